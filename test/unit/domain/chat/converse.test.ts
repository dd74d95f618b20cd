// The answer bot, conversation by conversation: answers come from the article, in the asker's language;
// below the threshold and for sensitive requests it offers a person; a yes opens a ticket (channel chat)
// with the conversation, for the address given, and says its number.
import { describe, expect, it } from 'vitest';
import { type ChatDeps, converse } from '#shared/domain/chat/converse.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { anArticle, defaultKnowledgeBase } from '#test/fixtures/articles.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { inMemoryArticleStore, inMemoryChatSessions, inMemoryDeflectionStore } from '#test/fixtures/in-memory-kb.ts';
import { testConfig, testConfigWith } from '#test/fixtures/test-config.ts';
import { testDeps } from '#test/fixtures/tickets.ts';

const setup = (options: { articles?: ReturnType<typeof defaultKnowledgeBase>; config?: typeof testConfig } = {}) => {
  const tickets = testDeps({ config: options.config ?? testConfig });
  const sessions = inMemoryChatSessions();
  const counters = inMemoryDeflectionStore();
  let sessionCount = 0;
  const deps: ChatDeps = {
    sessions,
    articles: inMemoryArticleStore(options.articles ?? defaultKnowledgeBase()),
    counters,
    tickets,
    clock: tickets.clock,
    newSessionId: () => `session-${String(++sessionCount).padStart(12, '0')}`,
    config: options.config ?? testConfig,
  };
  const say = (message: string, sessionId?: string, extra: { language?: 'id' | 'en' } = {}) =>
    converse(deps, { message, sessionId, channel: 'web', client: 'ip:test', ...extra });
  return { deps, say, tickets, sessions, counters };
};

describe('answering from the knowledge base', () => {
  it('answers an Indonesian question with the article’s own steps and names the article', async () => {
    // Arrange
    const { say, counters } = setup();

    // Act
    const reply = await say('printer nyangkut kertasnya gmn');

    // Assert
    expect(reply).toMatchObject({ handoff: false, awaiting: null, language: 'id', sessionId: 'session-000000000001' });
    expect(reply.articles[0]).toMatchObject({ id: 'printer-paper-jam', title: 'Printer macet atau kertas tersangkut' });
    expect(reply.answer).toContain('1. Matikan printer dan cabut kabel daya.');
    expect(reply.answer).toContain('Sumber: artikel "Printer macet atau kertas tersangkut"');
    expect(reply.confidence).toBeGreaterThanOrEqual(testConfig.knowledgeBase.answerThreshold);
    expect(counters.counters.get('2026-03-02')).toEqual({ chatMessages: 1, chatConversations: 1, chatAnswers: 1 });
  });

  it('answers an English question from the article’s English paragraph, with its English title', async () => {
    // Arrange
    const { say } = setup();

    // Act
    const reply = await say('How do I pay the school fees?');

    // Assert
    expect(reply.language).toBe('en');
    expect(reply.answer.startsWith('Paying school fees and confirming payment\n\nFees are paid to the virtual account')).toBe(true);
    expect(reply.answer).not.toContain('SPP dibayar');
  });

  it('answers in the language asked for, and says so when the article has no text in it', async () => {
    // Arrange
    const { say } = setup({ articles: [anArticle({ title_en: undefined, body: '1. Matikan printer.\n2. Tarik kertasnya.' })] });

    // Act
    const reply = await say('printer macet', undefined, { language: 'en' });

    // Assert
    expect(reply.answer).toContain('1. Matikan printer.');
    expect(reply.answer).toContain('(This article is only available in Indonesian.)');
  });

  it('greets back without offering a ticket', async () => {
    // Arrange
    const { say } = setup();

    // Act
    const reply = await say('Halo');

    // Assert
    expect(reply).toMatchObject({ handoff: false, awaiting: null, articles: [] });
    expect(reply.answer).toMatch(/^Halo! Saya asisten helpdesk/);
  });
});

describe('handing off to a person', () => {
  it('offers a ticket for a question no article answers, and opens none when declined', async () => {
    // Arrange
    const { say, tickets } = setup();

    // Act
    const offer = await say('Siapa presiden Indonesia sekarang?');
    const declined = await say('tidak', offer.sessionId);

    // Assert
    expect(offer).toMatchObject({ handoff: true, handoffReason: 'out-of-scope', awaiting: 'confirmation' });
    expect(offer.answer).toContain('Balas "ya" atau "tidak"');
    expect(declined).toMatchObject({ handoff: false, awaiting: null });
    expect((await tickets.tickets.listTickets({}, { limit: 10 })).items).toEqual([]);
  });

  it('offers a person, without any article, for a complaint about someone, even when words match an article', async () => {
    // Arrange
    const { say } = setup();

    // Act
    const reply = await say('Saya mau komplain, operator dapodik kasar sekali');

    // Assert
    expect(reply).toMatchObject({ handoff: true, handoffReason: 'complaint', articles: [], confidence: 0 });
  });

  it('on "ya" asks for an address, then opens a chat ticket holding the conversation and says its number', async () => {
    // Arrange
    const { say, tickets, counters } = setup();
    const offer = await say('bus sekolah jemput jam berapa');

    // Act
    const askAddress = await say('ya', offer.sessionId);
    const retry = await say('alamat saya ani di example', offer.sessionId);
    const opened = await say('ani@example.org', offer.sessionId);

    // Assert
    expect(askAddress).toMatchObject({ handoff: true, awaiting: 'contact' });
    expect(retry).toMatchObject({ awaiting: 'contact' });
    expect(retry.answer).toContain('belum terlihat seperti alamat email');
    expect(opened).toMatchObject({ handoff: true, awaiting: null, ticketNumber: 1 });
    expect(opened.answer).toBe(
      'Tiket #1 sudah dibuat berisi percakapan ini. Petugas kami akan membalas ke ani@example.org; sebutkan #1 bila menanyakannya.',
    );
    const ticket = await tickets.tickets.getTicket(opened.ticketId!);
    expect(ticket).toMatchObject({
      subject: 'bus sekolah jemput jam berapa',
      channel: 'chat',
      language: 'id',
      requester: { id: 'email:ani@example.org', email: 'ani@example.org' },
      createdAt: T0,
    });
    expect(ticket?.description).toContain('Penanya: bus sekolah jemput jam berapa');
    expect(ticket?.description).toContain('Penanya: ani@example.org');
    expect(counters.counters.get('2026-03-02')).toMatchObject({ chatHandoffs: 1, chatTickets: 1, chatMessages: 4, chatConversations: 1 });
  });

  it('opens the ticket at once for a requester the channel already knows', async () => {
    // Arrange
    const { deps, tickets } = setup();
    const requester = { id: 'phone:6281234567890', name: 'Bu Sri' };
    const say = (message: string, sessionId?: string) =>
      converse(deps, { message, sessionId, channel: 'whatsapp', client: 'wa:1', requester });
    const offer = await say('Saya minta refund SPP');

    // Act
    const opened = await say('iya', offer.sessionId);

    // Assert
    expect(offer.handoffReason).toBe('money');
    expect(opened.ticketNumber).toBe(1);
    expect(opened.answer).not.toContain(' ke ');
    expect((await tickets.tickets.getTicket(opened.ticketId!))?.requester).toMatchObject({ id: 'phone:6281234567890', name: 'Bu Sri' });
  });

  it('offers a person when asked with "tiket" after an answer, about the question before', async () => {
    // Arrange
    const { say, tickets } = setup();
    const answer = await say('lampu proyektor kedip merah');

    // Act
    const offer = await say('tiket', answer.sessionId);
    await say('ya', answer.sessionId);
    const opened = await say('budi@example.org', answer.sessionId);

    // Assert
    expect(offer).toMatchObject({ handoff: true, handoffReason: 'person-requested', awaiting: 'confirmation' });
    expect((await tickets.tickets.getTicket(opened.ticketId!))?.subject).toBe('lampu proyektor kedip merah');
  });

  it('takes the question, not a stray yes or a greeting, as the subject of a ticket asked for with "tiket"', async () => {
    // Arrange
    const { say, tickets } = setup();
    const answer = await say('lampu proyektor kedip merah');
    await say('ya', answer.sessionId);
    await say('halo', answer.sessionId);

    // Act
    await say('tiket', answer.sessionId);
    await say('ya', answer.sessionId);
    const opened = await say('budi@example.org', answer.sessionId);

    // Assert
    expect((await tickets.tickets.getTicket(opened.ticketId!))?.subject).toBe('lampu proyektor kedip merah');
  });

  it('opens the ticket for a requester the channel learns while the bot waits for an address', async () => {
    // Arrange
    const { deps, say, tickets } = setup();
    const offer = await say('resep nasi goreng');
    const asked = await say('ya', offer.sessionId);

    // Act: a Telegram contact shared meanwhile (shared/domain/channels) names the requester.
    const opened = await converse(deps, {
      message: '[nomor telepon dibagikan]',
      sessionId: offer.sessionId,
      channel: 'web',
      client: 'ip:test',
      requester: { id: 'phone:+6281234567890', name: 'Bu Sri' },
    });

    // Assert
    expect(asked.awaiting).toBe('contact');
    expect(opened).toMatchObject({ handoff: true, awaiting: null, ticketNumber: expect.any(Number) });
    expect((await tickets.tickets.getTicket(opened.ticketId!))?.requester).toMatchObject({ id: 'phone:+6281234567890', name: 'Bu Sri' });
  });

  it('stops asking for an address after three tries, opening nothing', async () => {
    // Arrange
    const { say, tickets } = setup();
    const offer = await say('resep nasi goreng');
    await say('ya', offer.sessionId);

    // Act
    await say('hmm', offer.sessionId);
    await say('sebentar', offer.sessionId);
    const gaveUp = await say('entahlah', offer.sessionId);

    // Assert
    expect(gaveUp).toMatchObject({ awaiting: null, handoff: false });
    expect((await tickets.tickets.listTickets({}, { limit: 10 })).items).toEqual([]);
  });

  it('takes "batal" while waiting for an address as a no', async () => {
    // Arrange
    const { say } = setup();
    const offer = await say('resep nasi goreng');
    await say('ya', offer.sessionId);

    // Act / Assert
    expect(await say('batal', offer.sessionId)).toMatchObject({ awaiting: null, handoff: false });
  });

  it('treats a new question after an offer as a new question', async () => {
    // Arrange
    const { say } = setup();
    const offer = await say('resep nasi goreng');

    // Act
    const reply = await say('lupa kata sandi e-Rapor', offer.sessionId);

    // Assert
    expect(reply).toMatchObject({ handoff: false, awaiting: null });
    expect(reply.articles[0]?.id).toBe('reset-password-erapor');
  });

  it('answers politely, opening nothing, when the requester has filed too many tickets this hour', async () => {
    // Arrange
    const config = testConfigWith({ limits: { ...testConfig.limits, ticketsPerRequesterPerHour: 1 } });
    const { say } = setup({ config });
    for (const round of [1, 2]) {
      const offer = await say(`resep nasi goreng ${round}`);
      await say('ya', offer.sessionId);
      const last = await say('ani@example.org', offer.sessionId);

      // Assert
      if (round === 1) expect(last.ticketNumber).toBe(1);
      else {
        expect(last.answer).toBe('Anda sudah membuat banyak tiket dalam satu jam terakhir. Silakan coba lagi nanti.');
        expect(last).not.toHaveProperty('ticketNumber');
      }
    }
  });
});

describe('sessions', () => {
  it('starts a new conversation for an unknown or expired session', async () => {
    // Arrange
    const { say, tickets } = setup();
    const first = await say('resep nasi goreng');
    tickets.clock.advance((testConfig.knowledgeBase.sessionIdleMinutes + 1) * 60_000);

    // Act
    const afterExpiry = await say('ya', first.sessionId);
    const unknown = await say('ya', 'never-issued-session-id');

    // Assert
    expect(afterExpiry.sessionId).not.toBe(first.sessionId);
    expect(afterExpiry.awaiting).toBeNull();
    expect(unknown.sessionId).not.toBe('never-issued-session-id');
  });

  it('keeps the session alive while messages come, with its expiry moved on', async () => {
    // Arrange
    const { say, sessions, tickets } = setup();
    const first = await say('printer macet');
    tickets.clock.advance(60 * 60_000);

    // Act
    await say('proyektor tidak ada gambar', first.sessionId);

    // Assert
    const session = sessions.sessions.get(first.sessionId)!;
    expect(session.turns).toHaveLength(4);
    expect(session.version).toBe(2);
    expect(session.expiresAt).toBe(Math.floor(tickets.clock.now().getTime() / 1000) + testConfig.knowledgeBase.sessionIdleMinutes * 60);
  });

  it('refuses a message sent while another of the same session is being answered (409), keeping the first', async () => {
    // Arrange
    const { deps, say, sessions } = setup();
    const first = await say('printer macet');
    const save = sessions.saveSession.bind(sessions);
    sessions.saveSession = async (session, expected) => {
      await save({ ...session }, expected);
      await save(session, expected);
    };

    // Act
    const error = await converse(deps, { message: 'halo', sessionId: first.sessionId, channel: 'web', client: 'ip:test' }).catch(
      (caught: DomainError) => caught,
    );

    // Assert
    expect(error).toMatchObject({ kind: 'conflict' });
  });

  it('limits the messages one client sends in an hour (429 with Retry-After)', async () => {
    // Arrange
    const config = testConfigWith({ knowledgeBase: { ...testConfig.knowledgeBase, messagesPerClientPerHour: 2 } });
    const { say } = setup({ config });
    await say('halo');
    await say('halo');

    // Act
    const error = await say('halo').catch((caught: DomainError) => caught);

    // Assert
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'too-many-requests', details: { headers: { 'retry-after': expect.any(String) } } });
  });
});
