// DELETE /kb/articles/{id} — staff remove an article (If-Match); its history stays.
import { deleteArticle } from '#shared/domain/kb/manage-articles.ts';
import { articleIdFrom } from '#shared/http/article-http.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ifMatchVersion } from '#shared/http/ticket-http.ts';
import { kbDeps } from '#shared/wiring/kb-deps.ts';

export const handler = httpHandler({}, async ({ identity, pathParameters, headers }) => {
  await deleteArticle(kbDeps(), identity, articleIdFrom(pathParameters), ifMatchVersion(headers));
  return { status: 204 };
});
