// GET /tickets/{id} — one ticket, with its version as the ETag.
import { ticketDeps } from '#shared/adapters/ticket-deps.ts';
import { getTicket } from '#shared/domain/read-tickets.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketHeaders, ticketIdFrom } from '#shared/http/ticket-http.ts';

export const handler = httpHandler({}, async ({ identity, pathParameters }) => {
  const ticket = await getTicket(ticketDeps(), identity, ticketIdFrom(pathParameters));
  return { status: 200, body: ticket, headers: ticketHeaders(ticket) };
});
