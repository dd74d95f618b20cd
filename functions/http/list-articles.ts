// GET /kb/articles?category= — the published articles (no account needed), without their bodies.
import { listArticlesQuerySchema } from '#shared/domain/kb/article.ts';
import { listPublishedArticles } from '#shared/domain/kb/manage-articles.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { kbDeps } from '#shared/wiring/kb-deps.ts';

export const handler = httpHandler({ auth: false, query: listArticlesQuerySchema }, async ({ query }) => ({
  status: 200,
  body: { items: await listPublishedArticles(kbDeps(), query.category) },
}));
