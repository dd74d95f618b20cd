// The answer bot's quality on the question set (chatbot-questions.ts), through the very decision the bot
// makes (shared/domain/chat/answer.ts `decide`) over the default knowledge base, at the configured
// threshold: top-1 accuracy on the answerable questions, and handoff precision and recall. Written into
// docs/chatbot.md, with every miss.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '#shared/config/load-config.ts';
import { decide, languageOf } from '#shared/domain/chat/answer.ts';
import type { Article } from '#shared/domain/kb/article.ts';
import { buildIndex, type SearchIndex, search } from '#shared/domain/kb/search-index.ts';
import { defaultArticles } from '#shared/kb/default-articles.ts';
import { BENCH_QUESTIONS, type BenchQuestion } from './chatbot-questions.ts';
import { ms, table } from './stats.ts';

const START = '<!-- chatbot-bench:start -->';
const END = '<!-- chatbot-bench:end -->';

type Outcome = { question: BenchQuestion; handedOff: boolean; top: string | undefined; confidence: number; reason?: string };

export type QualityFigures = {
  threshold: number;
  answerable: number;
  correct: number;
  byKind: Record<string, { questions: number; right: number }>;
  handoff: { truePositives: number; falsePositives: number; falseNegatives: number };
  misses: Outcome[];
  sweep: { threshold: number; top1: number; precision: number; recall: number }[];
  msPerQuestion: number;
  articles: number;
};

const run = (index: SearchIndex, threshold: number): Outcome[] =>
  BENCH_QUESTIONS.map((question) => {
    const language = languageOf(question.question) ?? 'id';
    const decision = decide(index, question.question, language, threshold);
    const top = decision.kind === 'answer' ? decision.hit.article.id : search(index, question.question, 1).hits[0]?.article.id;
    return {
      question,
      handedOff: decision.kind !== 'answer',
      top,
      confidence: decision.kind === 'small-talk' ? 0 : decision.confidence,
      ...(decision.kind === 'handoff' ? { reason: decision.reason } : {}),
    };
  });

/** Right: an answerable question answered from its article, or a question no article answers handed off. */
const isRight = (outcome: Outcome) =>
  outcome.question.article === null ? outcome.handedOff : !outcome.handedOff && outcome.top === outcome.question.article;

const tally = (outcomes: Outcome[]) => {
  const answerable = outcomes.filter((outcome) => outcome.question.article !== null);
  const truePositives = outcomes.filter((outcome) => outcome.question.article === null && outcome.handedOff).length;
  const falsePositives = answerable.filter((outcome) => outcome.handedOff).length;
  const falseNegatives = outcomes.filter((outcome) => outcome.question.article === null && !outcome.handedOff).length;
  return { answerable: answerable.length, correct: answerable.filter(isRight).length, truePositives, falsePositives, falseNegatives };
};

const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);

export const measureChatbotQuality = (): QualityFigures => {
  const articles: Article[] = defaultArticles().map((input) => ({
    ...input,
    id: input.id!,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  }));
  const index = buildIndex(articles);
  const threshold = loadConfig().knowledgeBase.answerThreshold;
  const started = performance.now();
  const outcomes = run(index, threshold);
  const msPerQuestion = (performance.now() - started) / outcomes.length;
  const figures = tally(outcomes);
  const byKind: QualityFigures['byKind'] = {};
  for (const outcome of outcomes) {
    const kind = (byKind[outcome.question.kind] ??= { questions: 0, right: 0 });
    kind.questions++;
    if (isRight(outcome)) kind.right++;
  }
  const sweep = [0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5].map((candidate) => {
    const at = tally(run(index, candidate));
    return {
      threshold: candidate,
      top1: ratio(at.correct, at.answerable),
      precision: ratio(at.truePositives, at.truePositives + at.falsePositives),
      recall: ratio(at.truePositives, at.truePositives + at.falseNegatives),
    };
  });
  return {
    threshold,
    answerable: figures.answerable,
    correct: figures.correct,
    byKind,
    handoff: { truePositives: figures.truePositives, falsePositives: figures.falsePositives, falseNegatives: figures.falseNegatives },
    misses: outcomes.filter((outcome) => !isRight(outcome)),
    sweep,
    msPerQuestion,
    articles: articles.length,
  };
};

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export const renderChatbotReport = (figures: QualityFigures, date: Date): string => {
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = figures.handoff;
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return [
    `Measured ${date.toISOString().slice(0, 10)} with \`npm run bench\` (or \`npm run bench -- chatbot\` for this part alone), on the ` +
      `${BENCH_QUESTIONS.length} questions of \`bench/chatbot-questions.ts\` against the ${figures.articles} default articles, at the ` +
      `configured threshold ${figures.threshold} (\`knowledgeBase.answerThreshold\`).`,
    '',
    table(
      ['figure', 'value'],
      [
        [
          'top-1 accuracy on answerable questions',
          `${figures.correct} / ${figures.answerable} = **${percent(ratio(figures.correct, figures.answerable))}**`,
        ],
        ['handoff precision (handed off, and no article answers it)', `${tp} / ${tp + fp} = **${percent(ratio(tp, tp + fp))}**`],
        ['handoff recall (no article answers it, and handed off)', `${tp} / ${tp + fn} = **${percent(ratio(tp, tp + fn))}**`],
        ['time to decide one question (index built once)', ms(figures.msPerQuestion)],
      ],
    ),
    '',
    table(
      ['kind', 'questions', 'right'],
      Object.entries(figures.byKind).map(([kind, { questions, right }]) => [kind, String(questions), String(right)]),
    ),
    '',
    'The same questions at other thresholds:',
    '',
    table(
      ['threshold', 'top-1', 'handoff precision', 'handoff recall'],
      figures.sweep.map((row) => [String(row.threshold), percent(row.top1), percent(row.precision), percent(row.recall)]),
    ),
    '',
    'Misses:',
    '',
    figures.misses.length === 0
      ? '(none)'
      : table(
          ['question', 'kind', 'expected', 'got', 'confidence'],
          figures.misses.map((miss) => [
            cell(miss.question.question),
            miss.question.kind,
            miss.question.article ?? 'handoff',
            miss.handedOff ? `handoff (${miss.reason ?? 'small talk'}; best: ${miss.top ?? 'none'})` : (miss.top ?? 'none'),
            String(miss.confidence),
          ]),
        ),
  ].join('\n');
};

export const writeChatbotReport = (file: string, report: string): void => {
  const section = `${START}\n${report}\n${END}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  writeFileSync(
    file,
    start >= 0 && end > start ? `${text.slice(0, start)}${section}${text.slice(end + END.length)}` : `${text.trimEnd()}\n\n${section}\n`,
  );
};
