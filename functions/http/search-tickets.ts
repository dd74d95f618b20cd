// GET /tickets/search?q=&status=&team=&category=&tag=&from=&to=&limit=&cursor= — tickets by number, address,
// phone or words, best first, within what the caller may see.
import { searchTickets, searchTicketsQuerySchema } from '#shared/domain/search/search-tickets.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { searchDeps } from '#shared/wiring/search-deps.ts';

export const handler = httpHandler({ query: searchTicketsQuerySchema }, async ({ identity, query }) => {
  const result = await searchTickets(searchDeps(), identity, query);
  return { status: 200, body: result };
});
