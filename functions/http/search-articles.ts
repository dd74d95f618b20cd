// GET /kb/search?q= — published articles for a text, best first (no account needed).
import { searchArticles, searchQuerySchema } from '#shared/domain/kb/find-articles.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { kbDeps } from '#shared/wiring/kb-deps.ts';

export const handler = httpHandler({ auth: false, query: searchQuerySchema }, async ({ query }) => ({
  status: 200,
  body: await searchArticles(kbDeps(), query),
}));
