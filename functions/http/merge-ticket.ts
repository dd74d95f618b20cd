// POST /tickets/{id}/merge — merge this ticket (a duplicate) into `into`: the duplicate is closed with a
// reference and its requester told; the primary lists it. Both in one transaction.
import { mergeTicket, mergeTicketSchema } from '#shared/domain/tickets/relate-tickets.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketIdFrom } from '#shared/http/ticket-http.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ body: mergeTicketSchema }, async ({ identity, body, pathParameters }) => ({
  status: 200,
  body: await mergeTicket(ticketDeps(), identity, ticketIdFrom(pathParameters), body),
}));
