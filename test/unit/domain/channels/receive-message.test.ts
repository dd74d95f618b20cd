// A message from Telegram or WhatsApp, as the person sees the desk answer it: the answer bot, a handoff to a
// ticket for a proven or given requester, /status, /link with a mailed code, replies to the desk's messages as
// comments, polite words for what the bot cannot read, and each delivery acted on once.
import { describe, expect, it } from 'vitest';
import { ChatAccountConflict } from '#shared/domain/channels/chat-account.ts';
import { receiveChatMessage } from '#shared/domain/channels/receive-message.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { channelTestDeps, person } from '#test/fixtures/channels.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { testConfig, testConfigWith } from '#test/fixtures/test-config.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const setup = (options: Parameters<typeof channelTestDeps>[0] = {}) => {
  const deps = channelTestDeps(options);
  const lastText = () => deps.queued.at(-1)?.text ?? '';
  const ticketsOf = async () => (await deps.tickets.tickets.listTickets({}, { limit: 50 })).items;
  return { deps, lastText, ticketsOf };
};

describe('answering in the chat', () => {
  it('answers a question from the article, queued for the chat under the delivery, and remembers the conversation', async () => {
    // Arrange
    const { deps } = setup();
    const ani = person(deps);

    // Act
    const outcome = await ani.says('printer nyangkut kertasnya gmn', { deliveryId: '501' });

    // Assert
    expect(outcome).toEqual({ outcome: 'handled', replies: 1 });
    expect(deps.queued).toEqual([
      expect.objectContaining({
        id: 'telegram:501#1',
        channel: 'telegram',
        chatId: '1001',
        text: expect.stringContaining('1. Matikan printer'),
      }),
    ]);
    expect(await deps.accounts.getAccount('telegram', '1001')).toMatchObject({
      chatId: '1001',
      name: 'Ani',
      sessionId: 'session-000000000001',
      lastInboundAt: T0,
      version: 1,
    });
  });

  it('keeps one conversation across messages', async () => {
    // Arrange
    const { deps } = setup();
    const ani = person(deps);
    await ani.says('Siapa presiden Indonesia sekarang?');

    // Act
    await ani.says('tidak');

    // Assert
    expect(deps.queued[1]!.text).toContain('tidak dibuatkan tiket');
    expect((await deps.accounts.getAccount('telegram', '1001'))?.sessionId).toBe('session-000000000001');
  });

  it('starts a new conversation when the last one expired, so a late "ya" files nothing', async () => {
    // Arrange: a ticket offered, then the person goes quiet past the session's idle time
    const { deps, lastText, ticketsOf } = setup();
    const ani = person(deps, 'whatsapp');
    await ani.says('Siapa presiden Indonesia sekarang?');
    deps.tickets.clock.advance((testConfig.knowledgeBase.sessionIdleMinutes + 1) * 60_000);

    // Act
    await ani.says('ya');

    // Assert
    expect(await ticketsOf()).toEqual([]);
    expect(lastText()).not.toContain('Tiket #');
    expect((await deps.accounts.getAccount('whatsapp', ani.id))?.sessionId).toBe('session-000000000002');
  });

  it('acts once on a delivery the platform repeats', async () => {
    // Arrange
    const { deps } = setup();
    const ani = person(deps);
    await ani.says('printer macet', { deliveryId: '700' });

    // Act
    const again = await ani.says('printer macet', { deliveryId: '700' });

    // Assert
    expect(again).toEqual({ outcome: 'duplicate' });
    expect(deps.queued).toHaveLength(1);
    expect((await deps.accounts.getAccount('telegram', '1001'))?.version).toBe(1);
  });

  it('asks the platform to deliver again later while another attempt holds the delivery, doing nothing', async () => {
    // Arrange
    const { deps } = setup();
    await deps.inboundClaims.claim('telegram:800', deps.chat.clock.now());

    // Act
    const error = await person(deps)
      .says('printer macet', { deliveryId: '800' })
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ kind: 'conflict' });
    expect(deps.queued).toEqual([]);
  });

  it('gives the delivery back when its answer cannot be queued, so the redelivery answers', async () => {
    // Arrange
    const { deps } = setup();
    const enqueue = deps.outbox.enqueue;
    deps.outbox.enqueue = async () => {
      deps.outbox.enqueue = enqueue;
      throw new Error('SQS down');
    };
    const ani = person(deps);

    // Act
    const failed = await ani.says('printer macet', { deliveryId: '900' }).catch((caught: Error) => caught.message);
    const retried = await ani.says('printer macet', { deliveryId: '900' });

    // Assert
    expect(failed).toBe('SQS down');
    expect(retried).toEqual({ outcome: 'handled', replies: 1 });
    expect(deps.queued).toHaveLength(1);
  });

  it.each([
    ['sticker', 'stiker'],
    ['image', 'gambar'],
    ['voice', 'pesan suara'],
  ] as const)('answers a %s with polite words, in words', async (type, named) => {
    // Arrange
    const { deps, lastText, ticketsOf } = setup();

    // Act
    await person(deps).send({ kind: 'unsupported', type });

    // Assert
    expect(lastText()).toBe(`Maaf, saya hanya bisa membaca teks, bukan ${named}. Silakan tulis pertanyaan Anda dengan kata-kata.`);
    expect(await ticketsOf()).toEqual([]);
  });

  it('asks for a shorter message over 4096 characters, and for words when there are none', async () => {
    // Arrange
    const { deps } = setup();
    const ani = person(deps);

    // Act
    await ani.says('printer macet '.repeat(300));
    await ani.says('   ');

    // Assert
    expect(deps.queued.map((message) => message.text)).toEqual([
      'Pesan Anda terlalu panjang (lebih dari 4096 karakter). Mohon diringkas, atau kirim dalam beberapa pesan.',
      'Maaf, saya hanya bisa membaca teks, bukan jenis pesan ini. Silakan tulis pertanyaan Anda dengan kata-kata.',
    ]);
  });

  it("welcomes on /start in the language of the person's app, with the contact button on Telegram", async () => {
    // Arrange
    const { deps } = setup();

    // Act
    await person(deps).says('/start', { language: 'en' });
    await person(deps, 'whatsapp').says('/help');

    // Assert
    expect(deps.queued[0]).toMatchObject({
      text: expect.stringContaining('Hello! I am the helpdesk assistant of Sekolah Uji.'),
      keyboard: { shareContact: 'Share my phone number' },
    });
    expect(deps.queued[1]!.text).toContain('Halo! Saya asisten helpdesk Sekolah Uji.');
    expect(deps.queued[1]!.keyboard).toBeUndefined();
  });

  it('refuses to act when another message of the person changed their account meanwhile', async () => {
    // Arrange
    const { deps } = setup();
    const save = deps.accounts.saveAccount.bind(deps.accounts);
    deps.accounts.saveAccount = async () => {
      throw new ChatAccountConflict('telegram#1001');
    };

    // Act
    const error = await person(deps)
      .says('printer macet', { deliveryId: '950' })
      .catch((caught: unknown) => caught);
    deps.accounts.saveAccount = save;
    const retried = await person(deps).says('printer macet', { deliveryId: '950' });

    // Assert
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'conflict' });
    expect(retried.outcome).toBe('handled');
  });
});

describe('handing off to a ticket', () => {
  it('on Telegram asks an unknown person for an address or their number, and files for the address given', async () => {
    // Arrange
    const { deps, ticketsOf } = setup();
    const ani = person(deps);
    await ani.says('Siapa presiden Indonesia sekarang?');

    // Act
    await ani.says('ya');
    const asked = deps.queued.at(-1)!;
    await ani.says('ani@example.org');

    // Assert
    expect(asked.text).toContain('Ke alamat email mana');
    expect(asked.text).toContain('Atau ketuk tombol di bawah untuk membagikan nomor telepon Anda.');
    expect(asked.keyboard).toEqual({ shareContact: 'Bagikan nomor telepon saya' });
    const [ticket] = await ticketsOf();
    expect(ticket).toMatchObject({
      channel: 'chat',
      requester: { id: 'email:ani@example.org' },
      subject: 'Siapa presiden Indonesia sekarang?',
    });
    expect(deps.queued.at(-1)).toMatchObject({ text: expect.stringContaining(`Tiket #${ticket!.number}`), ticketId: ticket!.id });
    // The chat filed it: its news come back here.
    expect((await deps.accounts.chatsFor('email:ani@example.org', ticket!.id)).map((account) => account.userId)).toEqual(['1001']);
  });

  it('on Telegram files for the phone number the person shares of themselves while asked', async () => {
    // Arrange
    const { deps, ticketsOf } = setup();
    const ani = person(deps);
    await ani.says('Siapa presiden Indonesia sekarang?');
    await ani.says('ya');

    // Act
    await ani.send({ kind: 'contact', phone: '6281234567890', own: true });

    // Assert
    const [ticket] = await ticketsOf();
    expect(ticket).toMatchObject({ channel: 'chat', requester: { id: 'phone:+6281234567890', name: 'Ani' } });
    expect(deps.queued.at(-1)).toMatchObject({ keyboard: 'remove', text: expect.stringContaining(`Tiket #${ticket!.number}`) });
    expect((await deps.accounts.getAccount('telegram', '1001'))?.requester).toMatchObject({
      id: 'phone:+6281234567890',
      linkedVia: 'telegram-contact',
    });
  });

  it("refuses someone else's contact as proof", async () => {
    // Arrange
    const { deps, lastText } = setup();

    // Act
    await person(deps).send({ kind: 'contact', phone: '+6281234567890', own: false });

    // Assert
    expect(lastText()).toContain('Itu kontak orang lain.');
    expect((await deps.accounts.getAccount('telegram', '1001'))?.requester).toBeUndefined();
  });

  it('links a shared number at any time, and files later handoffs for it without asking', async () => {
    // Arrange
    const { deps, ticketsOf } = setup();
    const ani = person(deps);

    // Act
    await ani.send({ kind: 'contact', phone: '+62 812-3456-7890', own: true });
    const linked = deps.queued.at(-1)!;
    await ani.says('Siapa presiden Indonesia sekarang?');
    await ani.says('ya');

    // Assert
    expect(linked).toMatchObject({ keyboard: 'remove', text: expect.stringContaining('+6281234567890') });
    expect((await ticketsOf()).map((ticket) => ticket.requester.id)).toEqual(['phone:+6281234567890']);
  });

  it('reads a shared number in national form in the organisation’s country', async () => {
    // Arrange
    const { deps } = setup();

    // Act
    await person(deps).send({ kind: 'contact', phone: '0812-3456-7890', own: true });

    // Assert
    expect((await deps.accounts.getAccount('telegram', '1001'))?.requester?.id).toBe('phone:+6281234567890');
  });

  it('on WhatsApp knows the person by their number and files at once', async () => {
    // Arrange
    const { deps, ticketsOf } = setup();
    const ani = person(deps, 'whatsapp');
    await ani.says('Siapa presiden Indonesia sekarang?');

    // Act
    await ani.says('ya');

    // Assert
    const [ticket] = await ticketsOf();
    expect(ticket).toMatchObject({ channel: 'chat', requester: { id: 'phone:+6281234567890', name: 'Ani' } });
    expect(await deps.accounts.getAccount('whatsapp', '6281234567890')).toMatchObject({
      requester: { id: 'phone:+6281234567890', linkedVia: 'whatsapp-number' },
    });
  });
});

describe('/status', () => {
  const ticketFor = (requesterId: string, overrides = {}) =>
    aTicket({
      id: '01HZZZZZZZZZZZZZZZZZZZZZ12',
      number: 12,
      subject: 'Proyektor 7B mati',
      status: 'open',
      requester: { id: requesterId },
      ...overrides,
    });

  it("tells a linked requester their ticket's status, and lists their tickets", async () => {
    // Arrange
    const { deps } = setup();
    await deps.tickets.tickets.createTicket(ticketFor('phone:+6281234567890'), []);
    const ani = person(deps, 'whatsapp');

    // Act
    await ani.says('/status 12');
    await ani.says('/status');

    // Assert
    expect(deps.queued[0]).toMatchObject({
      text: expect.stringContaining('Tiket #12 "Proyektor 7B mati": Sedang diproses'),
      ticketId: ticketFor('').id,
    });
    expect(deps.queued[1]!.text).toBe('Tiket Anda:\n#12 Proyektor 7B mati — Sedang diproses');
  });

  it('tells the chat that filed a ticket its status, unlinked', async () => {
    // Arrange
    const { deps, ticketsOf } = setup();
    const ani = person(deps);
    await ani.says('Siapa presiden Indonesia sekarang?');
    await ani.says('ya');
    await ani.says('ani@example.org');
    const [ticket] = await ticketsOf();

    // Act
    await ani.says(`/status #${ticket!.number}`);

    // Assert
    expect(deps.queued.at(-1)!.text).toContain(`Tiket #${ticket!.number} "Siapa presiden Indonesia sekarang?": Baru`);
  });

  it("answers the same for someone else's ticket and for one that does not exist", async () => {
    // Arrange
    const { deps } = setup();
    await deps.tickets.tickets.createTicket(ticketFor('email:budi@example.org'), []);
    const ani = person(deps, 'whatsapp');

    // Act
    await ani.says('/status 12');
    await ani.says('/status 99');

    // Assert
    expect(deps.queued[0]!.text).toContain('Tiket #12 tidak ada di antara tiket Anda.');
    expect(deps.queued[1]!.text).toContain('Tiket #99 tidak ada di antara tiket Anda.');
    expect(deps.queued[0]!.text).not.toContain('Proyektor');
  });

  it('asks for a number when the chat is linked to no one, or the argument is not one', async () => {
    // Arrange
    const { deps } = setup();
    const ani = person(deps);

    // Act
    await ani.says('/status');
    await ani.says('/status@helpdesk_bot kemarin');

    // Assert
    expect(deps.queued.map((message) => message.text)).toEqual([
      expect.stringContaining('Tulis nomor tiketnya, misalnya /status 12.'),
      expect.stringContaining('Tulis nomor tiketnya, misalnya /status 12.'),
    ]);
  });
});

describe('/link and /unlink', () => {
  it('links the chat to an address once the code mailed there comes back', async () => {
    // Arrange
    const { deps } = setup();
    const ani = person(deps);

    // Act
    await ani.says('/link Ani@Example.org');
    await ani.says('/link 111111');
    await ani.says('/link 246810');

    // Assert
    expect(deps.mailer.sent).toEqual([
      expect.objectContaining({ kind: 'chat-link-code', to: 'ani@example.org', text: expect.stringContaining('246810') }),
    ]);
    expect(deps.queued.map((message) => message.text)).toEqual([
      'Kode sudah saya kirim ke a***@example.org. Kirim kode itu di sini (misalnya /link 123456) dalam 15 menit.',
      'Kode itu tidak cocok. Sisa 4 kali percobaan.',
      'Selesai: chat ini sekarang terhubung dengan ani@example.org. Tanyakan tiket Anda dengan /status.',
    ]);
    expect(await deps.accounts.getAccount('telegram', '1001')).toMatchObject({
      requester: { id: 'email:ani@example.org', email: 'ani@example.org', linkedVia: 'email-code' },
      pendingLink: undefined,
    });
    expect((await deps.accounts.chatsFor('email:ani@example.org', 'any')).map((account) => account.userId)).toEqual(['1001']);
  });

  it('takes the six digits alone while a code waits, and not after it expired', async () => {
    // Arrange
    const { deps, lastText } = setup();
    const ani = person(deps);
    await ani.says('/link ani@example.org');

    // Act
    deps.tickets.clock.advance(16 * 60_000);
    await ani.says('246810');

    // Assert
    expect(lastText()).toContain('Tidak ada kode yang sedang ditunggu');
    expect((await deps.accounts.getAccount('telegram', '1001'))?.requester).toBeUndefined();
    await ani.says('/link ani@example.org');
    await ani.says('246810');
    expect(lastText()).toContain('Selesai: chat ini sekarang terhubung dengan ani@example.org.');
  });

  it('forgets the code after five wrong tries', async () => {
    // Arrange
    const { deps, lastText } = setup();
    const ani = person(deps);
    await ani.says('/link ani@example.org');

    // Act
    for (const wrong of ['000001', '000002', '000003', '000004', '000005']) await ani.says(`/link ${wrong}`);
    await ani.says('/link 246810');

    // Assert
    expect(lastText()).toContain('Tidak ada kode yang sedang ditunggu');
    expect((await deps.accounts.getAccount('telegram', '1001'))?.requester).toBeUndefined();
  });

  it('mails at most five codes an hour per chat', async () => {
    // Arrange
    const { deps, lastText } = setup();
    const ani = person(deps);
    for (let n = 0; n < 5; n++) await ani.says(`/link ani${n}@example.org`);

    // Act
    await ani.says('/link ani9@example.org');

    // Assert
    expect(deps.mailer.sent).toHaveLength(5);
    expect(lastText()).toBe('Terlalu banyak permintaan kode dalam satu jam terakhir. Silakan coba lagi nanti.');
  });

  it('explains /link without an address', async () => {
    // Arrange
    const { deps, lastText } = setup();

    // Act
    await person(deps).says('/link');

    // Assert
    expect(lastText()).toContain('Tulis /link diikuti alamat email Anda');
  });

  it('unlinks a linked chat, says so when there is nothing to undo, and keeps the number on WhatsApp', async () => {
    // Arrange
    const { deps } = setup();
    const ani = person(deps);
    await ani.send({ kind: 'contact', phone: '+6281234567890', own: true });

    // Act
    await ani.says('/unlink');
    await ani.says('/unlink');
    await person(deps, 'whatsapp').says('/unlink');

    // Assert
    expect(deps.queued.slice(1).map((message) => message.text)).toEqual([
      'Chat ini tidak lagi terhubung dengan alamat atau nomor Anda.',
      'Chat ini belum terhubung dengan siapa pun.',
      'Di WhatsApp, nomor Anda sendiri yang menunjukkan siapa Anda; tidak ada yang perlu diputuskan.',
    ]);
    expect((await deps.accounts.chatsFor('phone:+6281234567890', 'any')).map((account) => account.channel)).toEqual(['whatsapp']);
  });
});

describe("replies to the desk's messages", () => {
  const filed = async (deps: ReturnType<typeof setup>['deps'], overrides = {}) => {
    const ticket = aTicket({
      id: '01HZZZZZZZZZZZZZZZZZZZZZ12',
      number: 12,
      requester: { id: 'phone:+6281234567890' },
      status: 'pending',
      ...overrides,
    });
    await deps.tickets.tickets.createTicket(ticket, []);
    await deps.accounts.recordSentMessage('whatsapp', '6281234567890', 'wamid.17', ticket.id);
    return ticket;
  };

  it("adds the reply to the ticket as its requester's comment, bringing a waiting ticket back into work", async () => {
    // Arrange
    const { deps, lastText } = setup();
    const ticket = await filed(deps);

    // Act
    await person(deps, 'whatsapp').says('Ruang 7B, lantai dua', { replyTo: 'wamid.17' });

    // Assert
    const events = (await deps.tickets.tickets.listEvents(ticket.id, { limit: 10 })).items;
    expect(events.find((event) => event.type === 'CommentAdded')).toMatchObject({
      actor: { id: 'phone:+6281234567890', role: 'requester' },
      data: { body: 'Ruang 7B, lantai dua', visibility: 'public' },
    });
    expect((await deps.tickets.tickets.getTicket(ticket.id))?.status).toBe('open');
    expect(lastText()).toBe('Terima kasih: pesan Anda sudah masuk ke tiket #12; petugas kami akan melihatnya.');
  });

  it('says a closed ticket takes no more messages, and so for a resolution past the reopen window', async () => {
    // Arrange
    const { deps } = setup();
    await filed(deps, { status: 'closed' });
    await deps.accounts.recordSentMessage('whatsapp', '6281234567890', 'wamid.18', '01HZZZZZZZZZZZZZZZZZZZZZ13');
    await deps.tickets.tickets.createTicket(
      aTicket({
        id: '01HZZZZZZZZZZZZZZZZZZZZZ13',
        number: 13,
        requester: { id: 'phone:+6281234567890' },
        status: 'resolved',
        resolvedAt: T0,
      }),
      [],
    );
    deps.tickets.clock.advance((testConfig.reopenWindowDays + 1) * 86_400_000);

    // Act
    await person(deps, 'whatsapp').says('Masih mati', { replyTo: 'wamid.17' });
    await person(deps, 'whatsapp').says('Masih mati', { replyTo: 'wamid.18' });

    // Assert
    expect(deps.queued.map((message) => message.text)).toEqual([
      expect.stringContaining('Tiket #12 sudah ditutup'),
      expect.stringContaining('Tiket #13 sudah ditutup'),
    ]);
  });

  it("answers a reply about someone else's ticket as a question, adding nothing", async () => {
    // Arrange
    const { deps } = setup();
    const ticket = await filed(deps);

    // Act
    await person(deps, 'whatsapp', '6289999999999').says('printer macet', { replyTo: 'wamid.17' });

    // Assert
    expect((await deps.tickets.tickets.listEvents(ticket.id, { limit: 10 })).items).toEqual([]);
  });
});

describe('limits', () => {
  it('answers over the hourly message limit with words, not silence or an error', async () => {
    // Arrange
    const config = testConfigWith({ knowledgeBase: { ...testConfig.knowledgeBase, messagesPerClientPerHour: 2 } });
    const { deps } = setup({ config });
    const ani = person(deps);
    await ani.says('/status');
    await ani.says('halo');

    // Act
    await ani.says('/status');
    await ani.says('printer macet');
    await ani.send({ kind: 'contact', phone: '+6281234567890', own: true });

    // Assert
    expect(deps.queued.slice(2).map((message) => message.text)).toEqual([
      'Anda sudah mengirim banyak pesan dalam satu jam terakhir. Silakan coba lagi nanti.',
      'Anda sudah mengirim banyak pesan dalam satu jam terakhir. Silakan coba lagi nanti.',
      'Anda sudah mengirim banyak pesan dalam satu jam terakhir. Silakan coba lagi nanti.',
    ]);
  });

  it('lets another failure through, giving the delivery back', async () => {
    // Arrange
    const { deps } = setup();
    deps.chat.articles = {
      listArticles: async () => {
        throw new Error('DynamoDB down');
      },
    };

    // Act
    const error = await receiveChatMessage(deps, {
      channel: 'telegram',
      deliveryId: '990',
      userId: '1001',
      chatId: '1001',
      content: { kind: 'text', text: 'printer macet' },
    }).catch((caught: Error) => caught.message);

    // Assert
    expect(error).toBe('DynamoDB down');
    expect(await deps.inboundClaims.read('telegram:990')).toBeUndefined();
  });
});
