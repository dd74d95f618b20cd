// Retrieval over the knowledge base: BM25F (BM25 over weighted fields) on the terms of text.ts, with
// spelling mistakes corrected against the articles' own vocabulary. A knowledge base is tens to a few
// hundred articles, so the index is built in memory from the published articles in well under a
// millisecond per article, and rebuilt only when one of them changes (see kb-deps.ts).
import { distance } from 'fastest-levenshtein';
import type { Article } from './article.ts';
import { type Term, termsOf } from './text.ts';

export type IndexedArticle = Pick<Article, 'id' | 'title' | 'title_en' | 'tags' | 'body' | 'language' | 'category' | 'version'>;

const FIELDS = ['title', 'tags', 'body'] as const;
type Field = (typeof FIELDS)[number];

/** A word in a title counts three times one in the body, a tag twice and a half. */
export const FIELD_WEIGHTS: Record<Field, number> = { title: 3, tags: 2.5, body: 1 };
const K1 = 1.2;
const B: Record<Field, number> = { title: 0.5, tags: 0.3, body: 0.75 };
/** A corrected word weighs less than one spelt as in the articles. */
const CORRECTED_WEIGHT = 0.8;

type Doc = { article: IndexedArticle; tf: Record<Field, Map<string, number>>; length: Record<Field, number> };

export type SearchIndex = {
  docs: Doc[];
  /** Stem → how many articles hold it. */
  df: Map<string, number>;
  /** Word as written in the articles → its stem (the vocabulary spelling is corrected against). */
  words: Map<string, string>;
  averageLength: Record<Field, number>;
};

const fieldText = (article: IndexedArticle): Record<Field, string> => ({
  title: [article.title, article.title_en ?? ''].join('\n'),
  tags: article.tags.join('\n'),
  body: article.body,
});

export const buildIndex = (articles: readonly IndexedArticle[]): SearchIndex => {
  const df = new Map<string, number>();
  const words = new Map<string, string>();
  const totals: Record<Field, number> = { title: 0, tags: 0, body: 0 };
  const docs = articles.map((article): Doc => {
    const text = fieldText(article);
    const tf = { title: new Map(), tags: new Map(), body: new Map() } as Record<Field, Map<string, number>>;
    const length = { title: 0, tags: 0, body: 0 };
    const seen = new Set<string>();
    for (const field of FIELDS) {
      const terms = termsOf(text[field]);
      length[field] = terms.length;
      totals[field] += terms.length;
      for (const { word, stem } of terms) {
        tf[field].set(stem, (tf[field].get(stem) ?? 0) + 1);
        words.set(word, stem);
        seen.add(stem);
      }
    }
    for (const stem of seen) df.set(stem, (df.get(stem) ?? 0) + 1);
    return { article, tf, length };
  });
  const count = Math.max(1, docs.length);
  return {
    docs,
    df,
    words,
    averageLength: { title: totals.title / count || 1, tags: totals.tags / count || 1, body: totals.body / count || 1 },
  };
};

const idf = (index: SearchIndex, stem: string) => {
  const n = index.docs.length;
  const df = index.df.get(stem) ?? 0;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
};

/** The most an edit may change: none for short words (too many neighbours), one up to 6 letters, then two. */
const maxEdits = (word: string) => (word.length < 4 ? 0 : word.length <= 6 ? 1 : 2);

/**
 * The nearest known word within the edit budget of `word` (fewest edits; on a tie the one `weightOf` rates
 * higher), or undefined. Shared by the knowledge base and the ticket search (shared/domain/search/).
 */
export const closestWord = <T>(
  word: string,
  candidates: Iterable<[known: string, value: T]>,
  weightOf: (value: T) => number,
): { word: string; value: T } | undefined => {
  const budget = maxEdits(word);
  let best: { word: string; value: T; edits: number; weight: number } | undefined;
  if (budget > 0)
    for (const [known, value] of candidates) {
      if (Math.abs(known.length - word.length) > budget) continue;
      const edits = distance(known, word);
      if (edits > budget) continue;
      const weight = weightOf(value);
      if (!best || edits < best.edits || (edits === best.edits && weight > best.weight)) best = { word: known, value, edits, weight };
    }
  return best && { word: best.word, value: best.value };
};

/** A question's word as the index knows it: itself, or the nearest article word within the edit budget. */
export type QueryTerm = Term & { weight: number; corrected?: string; known: boolean };

export const resolveTerm = (index: SearchIndex, term: Term): QueryTerm => {
  if (index.df.has(term.stem)) return { ...term, weight: 1, known: true };
  const best = closestWord(term.word, index.words, (stem) => index.df.get(stem) ?? 0);
  if (!best) return { ...term, weight: 1, known: false };
  return { word: term.word, stem: best.value, corrected: best.word, weight: CORRECTED_WEIGHT, known: true };
};

export type SearchHit = { article: IndexedArticle; score: number; matched: string[] };

export type SearchResult = {
  hits: SearchHit[];
  /** 0–1: how much of the question the best article covers, and how clearly it beats the next one. */
  confidence: number;
  terms: QueryTerm[];
};

const scoreDoc = (index: SearchIndex, doc: Doc, terms: QueryTerm[]): SearchHit => {
  let score = 0;
  const matched: string[] = [];
  for (const term of terms) {
    if (!term.known) continue;
    let weighted = 0;
    for (const field of FIELDS) {
      const tf = doc.tf[field].get(term.stem) ?? 0;
      if (tf === 0) continue;
      const norm = 1 - B[field] + (B[field] * doc.length[field]) / index.averageLength[field];
      weighted += (FIELD_WEIGHTS[field] * tf) / norm;
    }
    if (weighted === 0) continue;
    matched.push(term.stem);
    score += term.weight * idf(index, term.stem) * ((weighted * (K1 + 1)) / (weighted + K1));
  }
  return { article: doc.article, score, matched };
};

/**
 * Confidence = coverage × separation. Coverage: the share of the question's weight (each word by its
 * rarity; a word no article holds as much as the rarest) that the best article matches. Separation: 1 when
 * the best article clearly beats the second, falling to 0.6 when they tie.
 */
const confidenceOf = (index: SearchIndex, terms: QueryTerm[], hits: SearchHit[]): number => {
  const best = hits[0];
  if (!best || best.score <= 0) return 0;
  const unseen = Math.log(1 + (index.docs.length + 0.5) / 0.5);
  let total = 0;
  let covered = 0;
  for (const term of terms) {
    const weight = term.known ? idf(index, term.stem) * term.weight : unseen;
    total += weight;
    if (best.matched.includes(term.stem)) covered += weight;
  }
  const coverage = total > 0 ? covered / total : 0;
  const second = hits[1]?.score ?? 0;
  const separation = 0.6 + 0.4 * Math.min(1, (2 * (best.score - second)) / best.score);
  return Math.round(coverage * separation * 1000) / 1000;
};

/** Articles for a text, best first (only those that match something), with a confidence for the best. */
export const search = (index: SearchIndex, text: string, limit = 5): SearchResult => {
  const unique = new Map<string, Term>();
  for (const term of termsOf(text)) if (!unique.has(term.word)) unique.set(term.word, term);
  const resolved = [...unique.values()].map((term) => resolveTerm(index, term));
  // Two words that land on one stem ("bayar", "pembayaran") count once.
  const terms = [...new Map(resolved.map((term) => [term.known ? term.stem : `?${term.word}`, term])).values()];
  const hits = index.docs
    .map((doc) => scoreDoc(index, doc, terms))
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score || (a.article.id < b.article.id ? -1 : 1));
  return { hits: hits.slice(0, limit), confidence: confidenceOf(index, terms, hits), terms };
};
