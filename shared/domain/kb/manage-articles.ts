// The knowledge base's articles: published ones for everybody, drafts, edits and history for staff. Every
// change is a new version, recorded with who made it and the article as it left it; an edit names the
// version it was made on (If-Match), so two people editing at once cannot overwrite each other.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { type Actor, actorOf, type Identity } from '#shared/domain/access/identity.ts';
import { callerOf, can } from '#shared/domain/access/ticket-access.ts';
import { conflict, DomainError, forbidden, notFound, validationError } from '#shared/domain/errors.ts';
import type { Page, PageRequest } from '#shared/domain/tickets/ports.ts';
import { type Article, type ArticleEvent, type ArticleEventType, type ArticleInput, type CreateArticleInput, slugOf } from './article.ts';
import { type ArticleStore, ArticleVersionConflict } from './ports.ts';

export type KbDeps = {
  articles: ArticleStore;
  clock: { now(): Date };
  config: HelpdeskConfig;
  /** An article's Markdown as safe HTML (render-article.ts): done when a version is written, kept with it. */
  renderHtml: (markdown: string) => Promise<string>;
};

/** The fields a list shows: no body. */
export type ArticleSummary = Omit<Article, 'body'>;

const summaryOf = ({ body: _body, html: _html, ...summary }: Article): ArticleSummary => summary;

const requireWriter = (identity: Identity) => {
  if (!can(callerOf(identity), 'article:write', undefined))
    throw forbidden('Only agents, team leads and administrators edit the knowledge base.');
};

const requireDraftReader = (identity: Identity) => {
  if (!can(callerOf(identity), 'article:read-draft', undefined))
    throw forbidden('Drafts and the history of articles are for agents, team leads and administrators.');
};

const checkCategory = (deps: KbDeps, input: ArticleInput) => {
  if (!deps.config.categories.some((category) => category.id === input.category))
    throw validationError([
      { path: 'category', message: `must be one of ${deps.config.categories.map((category) => category.id).join(', ')}` },
    ]);
};

const eventOf = (type: ArticleEventType, article: Article, actor: Actor, at: string): ArticleEvent => ({
  articleId: article.id,
  version: article.version,
  type,
  at,
  actor,
  article,
});

/** Published articles, by title (the public list and the answer bot's knowledge). */
export const listPublishedArticles = async (deps: Pick<KbDeps, 'articles'>, category?: string): Promise<ArticleSummary[]> =>
  (await deps.articles.listArticles())
    .filter((article) => article.status === 'published' && (category === undefined || article.category === category))
    .sort((a, b) => a.title.localeCompare(b.title, 'id'))
    .map(summaryOf);

/** One published article, with its HTML; a draft or a deleted one does not exist for the public. */
export const getPublishedArticle = async (
  deps: Pick<KbDeps, 'articles' | 'renderHtml'>,
  id: string,
): Promise<Article & { html: string }> => {
  const article = (await deps.articles.getArticleWithHtml(id)) ?? (await deps.articles.getArticle(id));
  if (article?.status !== 'published') throw notFound(`Article ${id.slice(0, 64)} was not found.`);
  // A version written before its HTML was kept is rendered now (until its next edit).
  return { ...article, html: article.html ?? (await deps.renderHtml(article.body)) };
};

/** Staff: the drafts, whole (they are few, and edited from this list). */
export const listDraftArticles = async (deps: KbDeps, identity: Identity): Promise<Article[]> => {
  requireDraftReader(identity);
  return (await deps.articles.listArticles())
    .filter((article) => article.status === 'draft')
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
};

/** Staff: every version of an article, newest first (also of a deleted one). */
export const articleHistory = async (deps: KbDeps, identity: Identity, id: string, page: PageRequest): Promise<Page<ArticleEvent>> => {
  requireDraftReader(identity);
  const history = await deps.articles.listHistory(id, page);
  if (history.items.length === 0 && !page.cursor) throw notFound(`Article ${id.slice(0, 64)} was not found.`);
  return history;
};

export const createArticle = async (deps: KbDeps, identity: Identity, input: CreateArticleInput): Promise<Article> => {
  requireWriter(identity);
  return writeNew(deps, input, actorOf(identity));
};

const writeNew = async (deps: KbDeps, input: CreateArticleInput, actor: Actor): Promise<Article> => {
  checkCategory(deps, input);
  const at = deps.clock.now().toISOString();
  const { id, ...fields } = input;
  const html = await deps.renderHtml(fields.body);
  const article: Article = { ...fields, html, id: id ?? slugOf(input.title_en ?? input.title), version: 1, createdAt: at, updatedAt: at };
  if (!(await deps.articles.createArticle(article, eventOf('ArticleCreated', article, actor, at))))
    throw conflict(`The id ${article.id} is taken (or was used by a deleted article); choose another id.`);
  return article;
};

const requireVersion = (id: string, expectedVersion: number | undefined): number => {
  if (expectedVersion === undefined)
    throw new DomainError('precondition-required', `Send If-Match with the version you edited (the ETag of GET /kb/articles/${id}).`);
  return expectedVersion;
};

const stale = (id: string, current: number) =>
  new DomainError(
    'precondition-failed',
    `Article ${id} has changed since you read it (now version ${current}); read it again and redo your edit.`,
  );

/** Staff: the article as the input says, as its next version. */
export const updateArticle = async (
  deps: KbDeps,
  identity: Identity,
  id: string,
  input: ArticleInput,
  expectedVersion: number | undefined,
): Promise<Article> => {
  requireWriter(identity);
  checkCategory(deps, input);
  const version = requireVersion(id, expectedVersion);
  const current = await deps.articles.getArticle(id);
  if (!current) throw notFound(`Article ${id.slice(0, 64)} was not found.`);
  if (current.version !== version) throw stale(id, current.version);
  const at = deps.clock.now().toISOString();
  const { title_en: _titleEn, ...kept } = current;
  const html = await deps.renderHtml(input.body);
  const article: Article = { ...kept, ...input, html, id, version: version + 1, createdAt: current.createdAt, updatedAt: at };
  try {
    await deps.articles.saveArticle(article, version, eventOf('ArticleUpdated', article, actorOf(identity), at));
  } catch (error) {
    if (error instanceof ArticleVersionConflict) throw stale(id, (await deps.articles.getArticle(id))?.version ?? version);
    throw error;
  }
  return article;
};

/** Staff: removes the article; its history stays, and its id is not used again. */
export const deleteArticle = async (deps: KbDeps, identity: Identity, id: string, expectedVersion: number | undefined): Promise<void> => {
  requireWriter(identity);
  const version = requireVersion(id, expectedVersion);
  const current = await deps.articles.getArticle(id);
  if (!current) throw notFound(`Article ${id.slice(0, 64)} was not found.`);
  if (current.version !== version) throw stale(id, current.version);
  const at = deps.clock.now().toISOString();
  const removed = { ...current, version: version + 1, updatedAt: at };
  try {
    await deps.articles.deleteArticle(id, version, eventOf('ArticleDeleted', removed, actorOf(identity), at));
  } catch (error) {
    if (error instanceof ArticleVersionConflict) throw stale(id, (await deps.articles.getArticle(id))?.version ?? version);
    throw error;
  }
};

/** Who wrote the default articles, in their history: the deploy-time seed (or the sandbox's). */
const SEED_ACTOR: Actor = { id: 'kb-seed', role: 'system' };

/**
 * Creates each default article that was never created; an article the organisation has edited, or
 * deleted, or made under the same id, is left as it is. Returns the ids created.
 */
export const seedArticles = async (deps: KbDeps, defaults: readonly CreateArticleInput[]): Promise<string[]> => {
  const created: string[] = [];
  for (const input of defaults) {
    try {
      created.push((await writeNew(deps, input, SEED_ACTOR)).id);
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
    }
  }
  return created;
};
