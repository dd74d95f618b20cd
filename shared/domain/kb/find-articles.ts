// Finding articles: search for everybody, suggestions on the new-request form (deflection), and counting
// what happens to those suggestions: shown, opened, and the request withdrawn after reading.

import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { notFound } from '#shared/domain/errors.ts';
import { localDate } from '#shared/domain/reports/stats.ts';
import * as z from '#shared/domain/zod.ts';
import type { Article } from './article.ts';
import type { ArticleStore, DeflectionOutcome, DeflectionStore } from './ports.ts';
import { buildIndex, type SearchIndex, search } from './search-index.ts';

export type FindDeps = {
  articles: Pick<ArticleStore, 'listArticles'>;
  deflection: DeflectionStore;
  clock: { now(): Date };
  ids: { next(): string };
  config: Pick<HelpdeskConfig, 'knowledgeBase' | 'organisation'>;
};

let memo: { key: string; index: SearchIndex } | undefined;

/** The index of the published articles; rebuilt only when one of them was added, changed or removed. */
export const publishedIndex = async (articles: Pick<ArticleStore, 'listArticles'>): Promise<SearchIndex> => {
  const published = (await articles.listArticles()).filter((article) => article.status === 'published');
  const key = published.map((article) => `${article.id}@${article.version}`).join(' ');
  if (memo?.key !== key) memo = { key, index: buildIndex(published) };
  return memo.index;
};

export type FoundArticle = Pick<Article, 'id' | 'title' | 'title_en' | 'category'> & { score: number };

const found = (article: Pick<Article, 'id' | 'title' | 'title_en' | 'category'>, score: number): FoundArticle => ({
  id: article.id,
  title: article.title,
  ...(article.title_en ? { title_en: article.title_en } : {}),
  category: article.category,
  score: Math.round(score * 100) / 100,
});

export const searchQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    q: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(500, 'must be at most 500 characters')),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(20)), 10),
  }),
);
export type SearchQuery = z.infer<typeof searchQuerySchema>;

/** Published articles for a text, best first, with the confidence the answer bot would give the first. */
export const searchArticles = async (deps: Pick<FindDeps, 'articles'>, query: SearchQuery) => {
  const result = search(await publishedIndex(deps.articles), query.q, query.limit);
  return { query: query.q, confidence: result.confidence, articles: result.hits.map((hit) => found(hit.article, hit.score)) };
};

export const suggestQuerySchema = /* @__PURE__ */ z.schema(() =>
  z
    .strictObject({
      subject: z._default(z.string().check(z.trim(), z.maxLength(200, 'must be at most 200 characters')), ''),
      description: z._default(z.string().check(z.trim(), z.maxLength(2000, 'must be at most 2000 characters')), ''),
    })
    .check(
      z.refine((query) => query.subject.length + query.description.length > 0, {
        message: 'give a subject or a description',
        path: ['subject'],
      }),
    ),
);
export type SuggestQuery = z.infer<typeof suggestQuerySchema>;

export const MAX_SUGGESTIONS = 3;
/** Besides the best article, others are suggested only when they score at least this share of it. */
const RUNNER_UP_SHARE = 0.5;

/**
 * Up to three articles for what the requester is typing. When some are shown the suggestion is kept (a
 * day), so that opening one and withdrawing the request can be counted against it.
 */
export const suggestArticles = async (deps: FindDeps, identity: Identity, query: SuggestQuery) => {
  const result = search(await publishedIndex(deps.articles), `${query.subject}\n${query.description}`, MAX_SUGGESTIONS);
  const best = result.hits[0];
  const shown =
    best && result.confidence >= deps.config.knowledgeBase.suggestThreshold
      ? result.hits.filter((hit) => hit.score >= RUNNER_UP_SHARE * best.score)
      : [];
  if (shown.length === 0) return { suggestionId: null, articles: [] };
  const now = deps.clock.now();
  const suggestion = {
    id: deps.ids.next(),
    callerId: identity.id,
    articles: shown.map((hit) => hit.article.id),
    date: localDate(now.getTime(), deps.config.organisation.timeZone),
  };
  await deps.deflection.recordSuggestion(suggestion, { kbSuggestionsShown: 1, kbArticlesSuggested: shown.length }, now);
  return { suggestionId: suggestion.id, articles: shown.map((hit) => found(hit.article, hit.score)) };
};

export const DEFLECTION_OUTCOMES = ['opened', 'withdrawn'] as const satisfies readonly DeflectionOutcome[];

export const deflectionSchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    suggestionId: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be the suggestionId of GET /kb/suggest')),
    articleId: z.string().check(z.minLength(1), z.maxLength(64)),
    /** `opened`: the requester read the article; `withdrawn`: and then did not file the request. */
    outcome: z.enum(DEFLECTION_OUTCOMES),
  }),
);
export type DeflectionInput = z.infer<typeof deflectionSchema>;

const COUNTER: Record<DeflectionOutcome, string> = { opened: 'kbArticlesOpened', withdrawn: 'kbRequestsWithdrawn' };

/** Counts an opened article, or a request withdrawn after reading one, once per suggestion. */
export const recordDeflection = async (deps: Pick<FindDeps, 'deflection'>, identity: Identity, input: DeflectionInput) => {
  const result = await deps.deflection.recordOutcome(
    { id: input.suggestionId, callerId: identity.id, articleId: input.articleId },
    input.outcome,
    COUNTER[input.outcome],
  );
  if (result === 'unknown') throw notFound('There is no such suggestion of yours with that article (suggestions are kept for a day).');
  return { outcome: input.outcome, counted: result === 'counted' };
};
