// POST /kb/articles — staff write a new article (a draft unless it says published).
import { createArticleSchema } from '#shared/domain/kb/article.ts';
import { createArticle } from '#shared/domain/kb/manage-articles.ts';
import { articleHeaders } from '#shared/http/article-http.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { kbDeps } from '#shared/wiring/kb-deps.ts';

export const handler = httpHandler({ body: createArticleSchema }, async ({ identity, body }) => {
  const article = await createArticle(kbDeps(), identity, body);
  return { status: 201, body: article, headers: { location: `/kb/articles/${article.id}`, ...articleHeaders(article) } };
});
