// POST /tickets/{id}/links — relate two tickets (related, parent or child), recorded on both in one transaction.
import { linkTicketSchema, linkTickets } from '#shared/domain/tickets/relate-tickets.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketIdFrom } from '#shared/http/ticket-http.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ body: linkTicketSchema }, async ({ identity, body, pathParameters }) => ({
  status: 200,
  body: await linkTickets(ticketDeps(), identity, ticketIdFrom(pathParameters), body),
}));
