// What the knowledge base needs from the outside world. The DynamoDB adapter is shared/adapters/kb-store.ts;
// tests pass in-memory ones (test/fixtures/in-memory-kb.ts).
import type { StatsCounters } from '#shared/domain/reports/stats.ts';
import type { Page, PageRequest } from '#shared/domain/tickets/ports.ts';
import type { Article, ArticleEvent } from './article.ts';

/** Thrown when the stored version is not the expected one (someone else changed or deleted the article). */
export class ArticleVersionConflict extends Error {
  constructor(readonly articleId: string) {
    super(`article ${articleId} changed concurrently`);
    this.name = 'ArticleVersionConflict';
  }
}

export interface ArticleStore {
  /** Every article, drafts included (one Query: the knowledge base is one partition). */
  listArticles(): Promise<Article[]>;
  /** The article, without its HTML (what an edit or a list reads). */
  getArticle(id: string): Promise<Article | undefined>;
  /** The article with the HTML kept with its version (one read); undefined when there is none (no such article, or
   *  one written before HTML was kept). */
  getArticleWithHtml(id: string): Promise<(Article & { html: string }) | undefined>;
  /**
   * Writes a new article and its first version at once; false (and nothing written) when the id is taken
   * or was ever used, so a deleted article's id, and its history, are never reused.
   */
  createArticle(article: Article, event: ArticleEvent): Promise<boolean>;
  /** Replaces the article if its stored version is `expectedVersion`, with the new version's event. */
  saveArticle(article: Article, expectedVersion: number, event: ArticleEvent): Promise<void>;
  /** Deletes the article if its stored version is `expectedVersion`, recording the deletion as a version. */
  deleteArticle(id: string, expectedVersion: number, event: ArticleEvent): Promise<void>;
  /** The article's versions, newest first. */
  listHistory(id: string, page: PageRequest): Promise<Page<ArticleEvent>>;
}

/** The knowledge base's statistics: `STATS#<date>` / `ALL#kb`, read by the summary report. */
export const KB_STATS_KEY = 'kb';

/** A set of suggestions shown on the new-request form; opening and withdrawing refer to it. */
export type Suggestion = { id: string; callerId: string; articles: string[]; date: string };

export type DeflectionOutcome = 'opened' | 'withdrawn';

export interface DeflectionStore {
  /** Keeps the suggestion (for a day) and counts it as shown, at once. */
  recordSuggestion(suggestion: Suggestion, counters: StatsCounters, now: Date): Promise<void>;
  /**
   * Counts an outcome of a suggestion once: `unknown` when there is no such suggestion of this caller (or
   * the article was not among it), `duplicate` when it was counted before.
   */
  recordOutcome(
    suggestion: { id: string; callerId: string; articleId: string },
    outcome: DeflectionOutcome,
    counter: string,
  ): Promise<'counted' | 'duplicate' | 'unknown'>;
  /** Adds to the day's knowledge-base counters (chat figures). */
  addCounters(date: string, counters: StatsCounters): Promise<void>;
}
