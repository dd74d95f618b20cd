// The default knowledge base (shared/kb/articles/*.md, as default-articles.json: `npm run kb` regenerates it),
// validated with the same schema as an article written through the API.
import { type CreateArticleInput, createArticleSchema } from '#shared/domain/kb/article.ts';
import articles from './default-articles.json' with { type: 'json' };

export const defaultArticles = (): CreateArticleInput[] => articles.map((article) => createArticleSchema.parse(article));
