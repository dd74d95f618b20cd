// GET /tickets/{id} — one ticket, with its version as the ETag.

import { getTicket } from '#shared/domain/tickets/read-tickets.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketHeaders, ticketIdFrom } from '#shared/http/ticket-http.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({}, async ({ identity, pathParameters }) => {
  const ticket = await getTicket(ticketDeps(), identity, ticketIdFrom(pathParameters));
  return { status: 200, body: ticket, headers: ticketHeaders(ticket) };
});
