// HTTP details of the knowledge-base routes: the article id in the path and its version as the ETag.

import { notFound } from '#shared/domain/errors.ts';
import { ARTICLE_ID, type Article } from '#shared/domain/kb/article.ts';

/** Article ids are slugs; anything else cannot name an article, so it is simply not found. */
export const articleIdFrom = (pathParameters: Record<string, string>): string => {
  const id = pathParameters.id ?? '';
  if (!ARTICLE_ID.test(id)) throw notFound(`Article ${id.slice(0, 64)} was not found.`);
  return id;
};

export const articleHeaders = (article: Article): Record<string, string> => ({ etag: `"${article.version}"` });
