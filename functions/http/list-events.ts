// GET /tickets/{id}/events — the ticket's history, oldest first (or `order=newest`); requesters see the public
// part. Staff reads are audit records of their own (GET /tickets/{id}/views), not part of the history.

import { listTicketEvents } from '#shared/domain/tickets/read-tickets.ts';
import { historyQuerySchema } from '#shared/domain/tickets/ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketIdFrom } from '#shared/http/ticket-http.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ query: historyQuerySchema }, async ({ identity, pathParameters, query }) => {
  const { order, ...page } = query;
  const result = await listTicketEvents(ticketDeps(), identity, ticketIdFrom(pathParameters), { ...page, newestFirst: order === 'newest' });
  return { status: 200, body: { items: result.items, ...(result.cursor ? { cursor: result.cursor } : {}) } };
});
