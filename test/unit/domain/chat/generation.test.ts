// Optional generation: the model gets the one retrieved article and the question, and its words are used
// only when it answered from the article; otherwise the bot gives the article's own text.
import { describe, expect, it, vi } from 'vitest';
import { type ChatDeps, converse } from '#shared/domain/chat/converse.ts';
import { type AnswerWriter, generateAnswer, groundedPrompt, NO_ANSWER } from '#shared/domain/chat/generation.ts';
import { buildIndex, search } from '#shared/domain/kb/search-index.ts';
import { defaultKnowledgeBase } from '#test/fixtures/articles.ts';
import { inMemoryArticleStore, inMemoryChatSessions, inMemoryDeflectionStore } from '#test/fixtures/in-memory-kb.ts';
import { testConfig } from '#test/fixtures/test-config.ts';
import { testDeps } from '#test/fixtures/tickets.ts';

const hit = search(buildIndex(defaultKnowledgeBase()), 'lupa kata sandi e-Rapor').hits[0]!;

const chatWith = (writer: AnswerWriter, onGenerationError = vi.fn()) => {
  const tickets = testDeps();
  const deps: ChatDeps = {
    sessions: inMemoryChatSessions(),
    articles: inMemoryArticleStore(defaultKnowledgeBase()),
    counters: inMemoryDeflectionStore(),
    tickets,
    clock: tickets.clock,
    newSessionId: () => 'session-000000000001',
    config: testConfig,
    writer,
    onGenerationError,
  };
  return (message: string) => converse(deps, { message, channel: 'web', client: 'ip:test' });
};

describe('grounded generation', () => {
  it('gives the model the retrieved article, both its languages, the question, and the rule to answer from it only', () => {
    // Act
    const prompt = groundedPrompt(hit, 'I forgot my e-Rapor password', 'en');

    // Assert
    expect(prompt.system).toContain('using only the article given, in English');
    expect(prompt.system).toContain(`reply with exactly ${NO_ANSWER}`);
    expect(prompt.user).toContain('Article "Resetting your e-Rapor password"');
    expect(prompt.user).toContain('Masukkan NUPTK atau NIP Anda');
    expect(prompt.user).toContain('enter your NUPTK or NIP');
    expect(prompt.user.endsWith('Question: I forgot my e-Rapor password')).toBe(true);
  });

  it('uses the model’s words and cites the article after them', async () => {
    // Arrange
    const say = chatWith(async () => 'Pilih "Lupa kata sandi" di halaman masuk e-Rapor, lalu masukkan NUPTK atau NIP Anda.');

    // Act
    const reply = await say('lupa pw erapor gmn');

    // Assert
    expect(reply.answer).toBe(
      'Pilih "Lupa kata sandi" di halaman masuk e-Rapor, lalu masukkan NUPTK atau NIP Anda.\n\n' +
        'Sumber: artikel "Reset kata sandi e-Rapor". Belum terjawab? Ketik "tiket" dan petugas kami akan membantu.',
    );
    expect(reply.handoff).toBe(false);
  });

  it('gives the article’s own text when the model finds no answer in it, answers nothing, or fails', async () => {
    // Arrange
    const onError = vi.fn();
    const writers: AnswerWriter[] = [async () => NO_ANSWER, async () => '  ', async () => Promise.reject(new Error('throttled'))];

    // Act
    const replies = await Promise.all(writers.map((writer) => chatWith(writer, onError)('lupa pw erapor gmn')));

    // Assert
    for (const reply of replies) expect(reply.answer).toContain('1. Buka halaman masuk e-Rapor dan pilih Lupa kata sandi.');
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('is not asked at all for a handoff', async () => {
    // Arrange
    const writer = vi.fn<AnswerWriter>();

    // Act
    await chatWith(writer)('resep nasi goreng');

    // Assert
    expect(writer).not.toHaveBeenCalled();
  });

  it('reports a failure and answers undefined', async () => {
    // Arrange
    const onError = vi.fn();

    // Act
    const answer = await generateAnswer(async () => Promise.reject(new Error('down')), hit, 'q', 'id', onError);

    // Assert
    expect(answer).toBeUndefined();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'down' }));
  });
});
