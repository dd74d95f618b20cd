// Knowledge-base articles: Markdown with front matter (id, title, title_en, category, tags, language,
// status). The zod schemas are the API's types, validation and OpenAPI document. An article's body is in
// its `language`; a closing paragraph that starts "English:" (or "Indonesia:" in an English article) is the
// same answer in the other language, which the answer bot uses for a question asked in that language.

import { LANGUAGES, type Language } from '#shared/config/config-values.ts';
import type { Actor } from '#shared/domain/access/identity.ts';
import * as z from '#shared/domain/zod.ts';

export const ARTICLE_STATUSES = ['draft', 'published'] as const;

/** Slugs: they appear in URLs and in the default files' names. */
export const ARTICLE_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const oneLine = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((value) => !CONTROL.test(value) && !/[\r\n\t]/.test(value), 'must not contain control characters or line breaks'),
  );

export const ARTICLE_BODY_MAX = 20_000;

export const articleInputSchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    title: oneLine(200),
    title_en: z.optional(oneLine(200)),
    /** A category id of the configuration. */
    category: z.string().check(z.minLength(1), z.maxLength(64)),
    tags: z._default(z.array(oneLine(60)).check(z.maxLength(20)), []),
    language: z.enum(LANGUAGES),
    status: z._default(z.enum(ARTICLE_STATUSES), 'draft'),
    /** Markdown. Raw HTML in it is shown as text, never run (rendering is micromark's safe default). */
    body: z.string().check(
      z.maxLength(ARTICLE_BODY_MAX, `must be at most ${ARTICLE_BODY_MAX} characters`),
      z.refine((value) => value.trim().length > 0, 'must not be empty'),
      z.refine((value) => !CONTROL.test(value), 'must not contain control characters'),
    ),
  }),
);
export type ArticleInput = z.infer<typeof articleInputSchema>;

export const createArticleSchema = /* @__PURE__ */ z.schema(() =>
  z.extend(articleInputSchema, {
    /** A slug; derived from the title when absent. An id once used (even by a deleted article) is not reused. */
    id: z.optional(
      z.string().check(z.regex(ARTICLE_ID, 'must be lower-case letters, digits and dashes (at most 64), such as "reset-password"')),
    ),
  }),
);
export type CreateArticleInput = z.infer<typeof createArticleSchema>;

export const articleSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    id: z.string(),
    title: z.string(),
    title_en: z.optional(z.string()),
    category: z.string(),
    tags: z.array(z.string()),
    language: z.enum(LANGUAGES),
    status: z.enum(ARTICLE_STATUSES),
    body: z.string(),
    /** The body as safe HTML, rendered when this version was written (absent on versions written before it was kept). */
    html: z.optional(z.string()),
    version: z.number().check(z.int(), z.positive()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export type Article = z.infer<typeof articleSchema>;

export const listArticlesQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({ category: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) }),
);

export const ARTICLE_EVENT_TYPES = ['ArticleCreated', 'ArticleUpdated', 'ArticleDeleted'] as const;
export type ArticleEventType = (typeof ARTICLE_EVENT_TYPES)[number];

/** One version of an article: who made it, when, and the article as it left it (deleted: as it was). */
export type ArticleEvent = { articleId: string; version: number; type: ArticleEventType; at: string; actor: Actor; article: Article };

export const articleEventSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    articleId: z.string(),
    version: z.number().check(z.int(), z.positive()),
    type: z.enum(ARTICLE_EVENT_TYPES),
    at: z.iso.datetime(),
    actor: z.object({ id: z.string(), role: z.string() }),
    article: articleSchema,
  }),
);

const OTHER_LANGUAGE_LEAD: Record<Language, RegExp> = {
  // In an Indonesian article, the English version; in an English one, the Indonesian version.
  id: /^\s*English\s*:\s*/i,
  en: /^\s*(?:Bahasa Indonesia|Indonesia|Indonesian)\s*:\s*/i,
};

/** The article's text per language: its body, split at the closing paragraph in the other language. */
export const sectionsOf = (article: Pick<Article, 'body' | 'language'>): Partial<Record<Language, string>> => {
  const paragraphs = article.body.split(/\n\s*\n/);
  const other: Language = article.language === 'id' ? 'en' : 'id';
  const index = paragraphs.findIndex((paragraph, position) => position > 0 && OTHER_LANGUAGE_LEAD[article.language].test(paragraph));
  if (index < 0) return { [article.language]: article.body.trim() };
  return {
    [article.language]: paragraphs.slice(0, index).join('\n\n').trim(),
    [other]: paragraphs.slice(index).join('\n\n').replace(OTHER_LANGUAGE_LEAD[article.language], '').trim(),
  };
};

/** The title in a language: `title_en` for English where the article has one, else its own title. */
export const titleIn = (article: Pick<Article, 'title' | 'title_en' | 'language'>, language: Language): string =>
  language === 'en' && article.language !== 'en' ? (article.title_en ?? article.title) : article.title;

/** A slug from a title: lower case, accents dropped, anything else a dash. */
export const slugOf = (title: string): string =>
  title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '') || 'article';
