// GET /tickets?status=&team=&assignee=me&requester=me&limit=&cursor= — one page of one Query.
import { ticketDeps } from '#shared/adapters/ticket-deps.ts';
import { listTickets } from '#shared/domain/read-tickets.ts';
import { listTicketsQuerySchema } from '#shared/domain/ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';

export const handler = httpHandler({ query: listTicketsQuerySchema }, async ({ identity, query }) => {
  const page = await listTickets(ticketDeps(), identity, query);
  return { status: 200, body: { items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) } };
});
