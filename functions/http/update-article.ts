// PUT /kb/articles/{id} — staff replace an article; If-Match names the version the edit was made on.
import { articleInputSchema } from '#shared/domain/kb/article.ts';
import { updateArticle } from '#shared/domain/kb/manage-articles.ts';
import { articleHeaders, articleIdFrom } from '#shared/http/article-http.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { ifMatchVersion } from '#shared/http/ticket-http.ts';
import { kbDeps } from '#shared/wiring/kb-deps.ts';

export const handler = httpHandler({ body: articleInputSchema }, async ({ identity, body, pathParameters, headers }) => {
  const article = await updateArticle(kbDeps(), identity, articleIdFrom(pathParameters), body, ifMatchVersion(headers));
  return { status: 200, body: article, headers: articleHeaders(article) };
});
