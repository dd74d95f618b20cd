// GET /tickets/{id}/events — the ticket's history in order; requesters see the public part.
import { ticketDeps } from '#shared/adapters/ticket-deps.ts';
import { listTicketEvents } from '#shared/domain/read-tickets.ts';
import { pageQuerySchema } from '#shared/domain/ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketIdFrom } from '#shared/http/ticket-http.ts';

export const handler = httpHandler({ query: pageQuerySchema }, async ({ identity, pathParameters, query }) => {
  const page = await listTicketEvents(ticketDeps(), identity, ticketIdFrom(pathParameters), query);
  return { status: 200, body: { items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) } };
});
