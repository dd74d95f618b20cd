// PATCH /tickets/{id} — status, priority, category, team, assignee; If-Match guards against lost updates.

import { updateTicketSchema } from '#shared/domain/tickets/ticket.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ifMatchVersion, ticketHeaders, ticketIdFrom } from '#shared/http/ticket-http.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ body: updateTicketSchema }, async ({ identity, body, pathParameters, headers }) => {
  const ticket = await updateTicket(ticketDeps(), identity, ticketIdFrom(pathParameters), body, ifMatchVersion(headers));
  return { status: 200, body: ticket, headers: ticketHeaders(ticket) };
});
