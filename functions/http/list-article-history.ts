// GET /kb/articles/{id}/history — staff: every version of an article, newest first.
import { articleHistory } from '#shared/domain/kb/manage-articles.ts';
import { pageQuerySchema } from '#shared/domain/tickets/ticket.ts';
import { articleIdFrom } from '#shared/http/article-http.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { kbDeps } from '#shared/wiring/kb-deps.ts';

export const handler = httpHandler({ query: pageQuerySchema }, async ({ identity, pathParameters, query }) => {
  const page = await articleHistory(kbDeps(), identity, articleIdFrom(pathParameters), query);
  return { status: 200, body: { items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) } };
});
