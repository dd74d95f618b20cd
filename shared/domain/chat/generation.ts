// Optional generation (knowledgeBase.generation.enabled): a model words the answer from the one retrieved
// article, in the asker's language, and the bot cites that article after it. The model is told to use the
// article only and to say NO_ANSWER when the article does not answer; then, or on any failure, the bot
// falls back to the article's own text, so a model can reword an answer but never invent one.
import type { Language } from '#shared/config/config-values.ts';
import { sectionsOf, titleIn } from '#shared/domain/kb/article.ts';
import { plainText } from '#shared/domain/kb/plain-text.ts';
import type { SearchHit } from '#shared/domain/kb/search-index.ts';

/** What the model is given: instructions (system) and the question with its article (user). */
export type GroundedPrompt = { system: string; user: string };

/** The port: a prompt in, the model's text out (the Bedrock adapter is shared/adapters/answer-writer.ts). */
export type AnswerWriter = (prompt: GroundedPrompt) => Promise<string>;

export const NO_ANSWER = 'NO_ANSWER';

const LANGUAGE_NAME: Record<Language, string> = { id: 'Indonesian', en: 'English' };

export const groundedPrompt = (hit: SearchHit, question: string, language: Language): GroundedPrompt => {
  const sections = sectionsOf(hit.article);
  const text = plainText(
    [sections[hit.article.language], sections[hit.article.language === 'id' ? 'en' : 'id']].filter(Boolean).join('\n\n'),
  );
  return {
    system: [
      "You are a school helpdesk's assistant. Answer the question using only the article given, in",
      `${LANGUAGE_NAME[language]}, in at most 120 words, keeping its steps, numbers and names exactly.`,
      'Do not add facts, links, phone numbers or advice that are not in the article.',
      `If the article does not answer the question, reply with exactly ${NO_ANSWER}.`,
    ].join(' '),
    user: `Article "${titleIn(hit.article, language)}":\n${text}\n\nQuestion: ${question}`,
  };
};

/** The model's answer to the question from the article, or undefined: not answered, empty, or failed. */
export const generateAnswer = async (
  writer: AnswerWriter,
  hit: SearchHit,
  question: string,
  language: Language,
  onError: (error: unknown) => void,
): Promise<string | undefined> => {
  try {
    const text = (await writer(groundedPrompt(hit, question, language))).trim();
    return text === '' || text.includes(NO_ANSWER) ? undefined : text;
  } catch (error) {
    onError(error);
    return undefined;
  }
};
