// GET /kb/articles/{id} — one published article (no account needed): its Markdown, and as safe HTML (rendered when
// the version was written).
import { getPublishedArticle } from '#shared/domain/kb/manage-articles.ts';
import { articleHeaders, articleIdFrom } from '#shared/http/article-http.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { kbDeps } from '#shared/wiring/kb-deps.ts';

export const handler = httpHandler({ auth: false }, async ({ pathParameters }) => {
  const article = await getPublishedArticle(kbDeps(), articleIdFrom(pathParameters));
  return { status: 200, body: article, headers: articleHeaders(article) };
});
