// GET /kb/suggest?subject=&description= — up to three articles for the new-request form, counted as shown.
import { suggestArticles, suggestQuerySchema } from '#shared/domain/kb/find-articles.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { kbDeps } from '#shared/wiring/kb-deps.ts';

export const handler = httpHandler({ query: suggestQuerySchema }, async ({ identity, query }) => ({
  status: 200,
  body: await suggestArticles(kbDeps(), identity, query),
}));
