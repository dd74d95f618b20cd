// GET /tickets/{id}/views — who read the ticket (staff reads: who, role, time, IP), newest first; for those
// who may read its internals. Reading this list is not itself recorded.

import { listTicketViews } from '#shared/domain/tickets/read-tickets.ts';
import { pageQuerySchema } from '#shared/domain/tickets/ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketIdFrom } from '#shared/http/ticket-http.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ query: pageQuerySchema }, async ({ identity, pathParameters, query }) => {
  const page = await listTicketViews(ticketDeps(), identity, ticketIdFrom(pathParameters), query);
  return { status: 200, body: { items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) } };
});
