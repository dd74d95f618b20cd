// What the bot does with one question: answer from the best article, or hand off to a person. The answer
// is the article's own text in the asker's language (where the article has it), never generated here.
import type { Language } from '#shared/config/config-values.ts';
import { sectionsOf, titleIn } from '#shared/domain/kb/article.ts';
import { plainText } from '#shared/domain/kb/plain-text.ts';
import { type SearchHit, type SearchIndex, search } from '#shared/domain/kb/search-index.ts';
import { isStopWord, wordsOf } from '#shared/domain/kb/text.ts';
import { type HandoffReason, sensitiveReason, smallTalk } from './screen-message.ts';

export type ArticleRef = { id: string; title: string; score: number };

export type Decision =
  | { kind: 'answer'; hit: SearchHit; confidence: number; articles: ArticleRef[] }
  | { kind: 'handoff'; reason: HandoffReason; confidence: number; articles: ArticleRef[] }
  | { kind: 'small-talk'; talk: 'greeting' | 'thanks' };

const EN = new Set([
  'the',
  'how',
  'what',
  'my',
  'i',
  'is',
  'do',
  'can',
  'to',
  'please',
  'where',
  'when',
  'why',
  'does',
  'are',
  'with',
  'need',
  'want',
  'forgot',
  'school',
  'it',
  'on',
  'of',
  'a',
  'an',
  'you',
  'get',
  'there',
]);
const ID = new Set([
  'saya',
  'bagaimana',
  'apa',
  'tidak',
  'yang',
  'di',
  'ke',
  'cara',
  'mau',
  'bisa',
  'tolong',
  'kok',
  'sudah',
  'belum',
  'untuk',
  'dengan',
  'ini',
  'itu',
  'ada',
  'dan',
  'mohon',
  'minta',
  'anak',
  'sekolah',
  'lupa',
  'buat',
  'kenapa',
  'berapa',
  'kapan',
  'ya',
]);

/** Indonesian or English by their most common words; undefined when the message says too little. */
export const languageOf = (message: string): Language | undefined => {
  let en = 0;
  let id = 0;
  for (const word of wordsOf(message)) {
    if (EN.has(word)) en++;
    if (ID.has(word)) id++;
  }
  if (en === id) return undefined;
  return en > id ? 'en' : 'id';
};

const refsOf = (hits: SearchHit[], language: Language): ArticleRef[] =>
  hits.slice(0, 3).map((hit) => ({ id: hit.article.id, title: titleIn(hit.article, language), score: Math.round(hit.score * 100) / 100 }));

/**
 * The decision for one question. Sensitive or abusive requests go to a person before retrieval; a question
 * with no word any article holds is out of scope; below `threshold` the best article is not trusted.
 */
export const decide = (index: SearchIndex, message: string, language: Language, threshold: number): Decision => {
  const sensitive = sensitiveReason(message);
  const result = search(index, message, 3);
  const articles = refsOf(result.hits, language);
  // No article is offered beside a sensitive request: a complaint is not answered with a how-to.
  if (sensitive) return { kind: 'handoff', reason: sensitive, confidence: 0, articles: [] };
  const talk = smallTalk(message);
  if (talk && result.confidence < threshold) return { kind: 'small-talk', talk };
  if (result.hits.length === 0) {
    // Nothing but greetings and little words ("ya", "ok") is no question: invite one.
    if (wordsOf(message).every(isStopWord)) return { kind: 'small-talk', talk: talk ?? 'greeting' };
    return { kind: 'handoff', reason: 'out-of-scope', confidence: 0, articles };
  }
  if (result.confidence < threshold) return { kind: 'handoff', reason: 'low-confidence', confidence: result.confidence, articles };
  return { kind: 'answer', hit: result.hits[0]!, confidence: result.confidence, articles };
};

const SOURCE: Record<Language, (title: string) => string> = {
  id: (title) => `Sumber: artikel "${title}". Belum terjawab? Ketik "tiket" dan petugas kami akan membantu.`,
  en: (title) => `Source: the article "${title}". Not answered? Type "ticket" and our staff will help.`,
};

const ONLY_IN: Record<Language, string> = {
  id: '(Artikel ini hanya tersedia dalam bahasa Inggris.)',
  en: '(This article is only available in Indonesian.)',
};

/**
 * The answer text: the article's title and its text in the asker's language (or, with generation on, the
 * model's wording of it), and where it came from.
 */
export const answerText = (hit: SearchHit, language: Language, generated?: string): string => {
  const title = titleIn(hit.article, language);
  if (generated) return [generated, SOURCE[language](title)].join('\n\n');
  const sections = sectionsOf(hit.article);
  const own = sections[language];
  const text = own ?? sections[hit.article.language] ?? hit.article.body;
  return [title, plainText(text), ...(own ? [] : [ONLY_IN[language]]), SOURCE[language](title)].join('\n\n');
};
