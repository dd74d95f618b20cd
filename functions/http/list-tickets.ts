// GET /tickets?status=&team=&assignee=me&requester=me&limit=&cursor= — one page of one Query.

import { listTickets } from '#shared/domain/tickets/read-tickets.ts';
import { listTicketsQuerySchema } from '#shared/domain/tickets/ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = httpHandler({ query: listTicketsQuerySchema }, async ({ identity, query }) => {
  const page = await listTickets(ticketDeps(), identity, query);
  return { status: 200, body: { items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) } };
});
