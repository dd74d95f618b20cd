// Erasure: the person disappears from every ticket they filed; the facts the statistics need remain.
import { describe, expect, it } from 'vitest';
import { ERASED, eraseRequester, MAX_IDENTITIES, pseudonymFor } from '#shared/domain/privacy/erase-requester.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import { getTicket, listTicketEvents } from '#shared/domain/tickets/read-tickets.ts';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { admin, alice, bob, ivan, sari } from '#test/fixtures/identities.ts';
import { InMemoryChatAccountStore } from '#test/fixtures/in-memory-chat-accounts.ts';
import { testDeps } from '#test/fixtures/tickets.ts';

const arrange = async () => {
  const deps = testDeps();
  const { ticket } = await createTicket(deps, alice, {
    subject: 'Wi-Fi di kamar Alice Putri mati',
    description: 'HP saya 0812',
    channel: 'web',
  });
  await addComment(deps, alice, ticket.id, { body: 'Nomor saya 0812-3456', visibility: 'public' });
  await addComment(deps, ivan, ticket.id, { body: 'Kami cek router lantai 2.', visibility: 'public' });
  const { ticket: other } = await createTicket(deps, bob, { subject: 'Proyektor', description: '', channel: 'web' });
  return { deps, ticket, other, chats: new InMemoryChatAccountStore() };
};

describe('erasing a requester', () => {
  it('removes who they are and what they wrote, keeping the facts for statistics and the staff record', async () => {
    // Arrange
    const { deps, ticket, chats } = await arrange();

    // Act
    const result = await eraseRequester(deps, admin, alice.id, { chats });

    // Assert
    expect(result).toEqual({
      pseudonym: pseudonymFor(alice.id),
      tickets: 1,
      events: 2,
      chatAccounts: 0,
      identities: [
        { id: alice.id, tickets: 1, events: 2 },
        { id: `email:${alice.email}`, tickets: 0, events: 0 },
      ],
    });
    const erased = await getTicket(deps, sari, ticket.id);
    expect(erased).toMatchObject({
      subject: ERASED,
      description: ERASED,
      requester: { id: pseudonymFor(alice.id) },
      category: ticket.category,
      team: ticket.team,
      priority: ticket.priority,
      channel: 'web',
      createdAt: ticket.createdAt,
    });
    const history = (await listTicketEvents(deps, sari, ticket.id, { limit: 50 })).items;
    const text = JSON.stringify(history);
    for (const personal of [alice.id, alice.name!, alice.email!, '0812', 'Alice Putri']) expect(text).not.toContain(personal);
    expect(text).toContain('Kami cek router lantai 2.');
    expect(history.map((event) => event.type)).toContain('RequesterErased');
  });

  it('erases the custom field values that could name the person, and keeps a choice from a list for the reports', async () => {
    // Arrange
    const deps = testDeps();
    const { ticket } = await createTicket(deps, alice, {
      subject: 'Legalisir ijazah',
      description: '',
      channel: 'web',
      fields: { nisn: '0012345678', ruang: 'aula' },
    });
    // The requester corrects the number: the history holds both.
    await updateTicket(deps, alice, ticket.id, { fields: { nisn: '0099999999' } });

    // Act
    await eraseRequester(deps, admin, alice.id, { chats: new InMemoryChatAccountStore() });

    // Assert
    const erased = await getTicket(deps, sari, ticket.id);
    expect(erased.fields).toEqual({ ruang: 'aula' });
    const text = JSON.stringify((await listTicketEvents(deps, sari, ticket.id, { limit: 50 })).items);
    expect(text).not.toMatch(/0012345678|0099999999/);
    expect(text).toContain('aula');
  });

  it('leaves other requesters alone and changes nothing more when run again', async () => {
    const { deps, other, chats } = await arrange();
    await eraseRequester(deps, admin, alice.id, { chats });
    const again = await eraseRequester(deps, admin, alice.id, { chats });
    expect(again).toMatchObject({ tickets: 0, events: 0 });
    expect((await getTicket(deps, sari, other.id)).subject).toBe('Proyektor');
  });

  it('is for administrators only', async () => {
    const { deps, chats } = await arrange();
    for (const caller of [alice, ivan, sari])
      await expect(eraseRequester(deps, caller, alice.id, { chats })).rejects.toMatchObject({ kind: 'forbidden' });
  });
});

describe('erasing a requester who wrote on Telegram or WhatsApp', () => {
  it('forgets the chats linked to them and the tickets their chats filed, leaving a chat that only filed for them', async () => {
    // Arrange: Alice's Telegram linked to her address, and someone's WhatsApp that filed her ticket unlinked
    const { deps, ticket, chats } = await arrange();
    const at = '2026-01-05T01:00:00.000Z';
    const requester = { id: alice.id, email: alice.email, linkedVia: 'email-code' as const, linkedAt: at };
    const telegram = {
      channel: 'telegram' as const,
      userId: '1001',
      chatId: '1001',
      name: 'Alice',
      requester,
      lastInboundAt: at,
      version: 1,
      createdAt: at,
    };
    const whatsapp = {
      channel: 'whatsapp' as const,
      userId: '6281200000001',
      chatId: '6281200000001',
      lastInboundAt: at,
      version: 1,
      createdAt: at,
    };
    await chats.saveAccount(telegram, 0);
    await chats.saveAccount(whatsapp, 0);
    await chats.addTicketOrigin(whatsapp, alice.id, ticket.id);
    await chats.recordSentMessage('telegram', '1001', '17', ticket.id);

    // Act
    await expect(eraseRequester(deps, admin, alice.id)).rejects.toThrow(/chat account store/);
    const result = await eraseRequester(deps, admin, alice.id, { chats });

    // Assert
    expect(result.chatAccounts).toBe(1);
    expect(await chats.getAccount('telegram', '1001')).toBeUndefined();
    expect(await chats.ticketOfMessage('telegram', '1001', '17')).toBeUndefined();
    expect(await chats.chatsFor(alice.id, ticket.id)).toEqual([]);
    expect(await chats.getAccount('whatsapp', '6281200000001')).toEqual(whatsapp);
  });
});

describe('erasing a requester who rated a ticket', () => {
  it('keeps the rating and removes the words that came with it', async () => {
    // Arrange
    const { deps, ticket, chats } = await arrange();
    const current = (await deps.tickets.getTicket(ticket.id))!;
    const rated = {
      ...current,
      csat: { rating: 4, at: current.updatedAt, resolvedAt: current.updatedAt, comment: 'Terima kasih, Alice Putri' },
      version: current.version + 1,
    };
    await deps.tickets.saveTicket(rated as typeof current, current.version, []);

    // Act
    await eraseRequester(deps, admin, alice.id, { chats });

    // Assert
    const erased = await getTicket(deps, sari, ticket.id);
    expect(erased.csat).toMatchObject({ rating: 4, comment: ERASED });
    expect(JSON.stringify(erased)).not.toContain('Alice Putri');
  });
});

describe('erasing a requester who sent files', () => {
  it('deletes the files and their names, and fails rather than leave them when it cannot delete', async () => {
    // Arrange: a reply by mail with a scan of an ID card
    const { deps, ticket, chats } = await arrange();
    const [created] = (await deps.tickets.listEvents(ticket.id, { limit: 1 })).items;
    await deps.tickets.appendEvent({
      ...created!,
      id: '01J0000000000000000000ZZZZ',
      type: 'CommentAdded',
      data: {
        body: 'Ini KTP saya',
        visibility: 'public',
        attachments: [{ name: 'KTP Alice Putri.jpg', size: 1234, contentType: 'image/jpeg', key: 'attachments/abc/KTP.jpg' }],
      },
    });
    const deleted: string[] = [];

    // Act
    await expect(eraseRequester(deps, admin, alice.id, { chats })).rejects.toThrow(/attachment store/);
    await eraseRequester(deps, admin, alice.id, { chats, files: { deleteAttachments: async (keys) => void deleted.push(...keys) } });

    // Assert
    expect(deleted).toEqual(['attachments/abc/KTP.jpg']);
    const history = JSON.stringify((await listTicketEvents(deps, sari, ticket.id, { limit: 50 })).items);
    expect(history).not.toContain('KTP Alice Putri.jpg');
    expect(history).not.toContain('attachments/abc/KTP.jpg');
  });
});

describe('erasing a requester with a long history', () => {
  it('pages through every history item: a comment after ten thousand others is erased too', async () => {
    // Arrange: a ticket with 10,000 staff notes, then the requester's reply
    const { deps, ticket } = await arrange();
    const history = deps.tickets.historyOf(ticket.id);
    const note = history.find((event) => event.actor.id === 'ivan')!;
    const notes = Array.from(
      { length: 10_000 },
      (_, index) => ({ ...note, id: deps.ids.next(), data: { body: `Catatan ${index}`, visibility: 'internal' } }) as TicketEvent,
    );
    deps.tickets.seed((await deps.tickets.getTicket(ticket.id))!, [...history, ...notes]);
    await addComment(deps, alice, ticket.id, { body: 'Alice Putri di kamar 12', visibility: 'public' });

    // Act
    await eraseRequester(deps, admin, alice.id, { chats: new InMemoryChatAccountStore() });

    // Assert
    const after = deps.tickets.historyOf(ticket.id);
    expect(after.length).toBeGreaterThan(10_000);
    expect(JSON.stringify(after)).not.toContain('Alice Putri');
    expect(after.filter((event) => event.actor.id === alice.id)).toEqual([]);
  });
});

describe('erasing the whole person', () => {
  /** Alice's requests through every channel: the web (her sign-in id), mail, and staff filing for her. */
  const everywhere = async () => {
    const deps = testDeps();
    const web = (await createTicket(deps, alice, { subject: 'Wi-Fi kamar Alice Putri', description: '', channel: 'web' })).ticket;
    const byMail = { id: `email:${alice.email}`, role: 'requester' as const, email: alice.email, name: 'Alice Putri', teams: [] };
    const mail = (
      await createTicket(deps, byMail, { subject: 'Surat dari Alice Putri', description: 'via surel', channel: 'email' }, undefined, {
        channel: 'email',
      })
    ).ticket;
    const call = (
      await createTicket(deps, ivan, {
        subject: 'Telepon dari Alice Putri',
        description: '',
        channel: 'phone',
        requester: { name: 'Alice Putri', email: alice.email, phone: '+62 812 1111 2222' },
      })
    ).ticket;
    const phoneOnly = (
      await createTicket(deps, ivan, {
        subject: 'Telepon lagi, Alice Putri',
        description: '',
        channel: 'phone',
        requester: { name: 'Alice', phone: '+62 812-1111-2222' },
      })
    ).ticket;
    const strangers = (await createTicket(deps, bob, { subject: 'Proyektor', description: '', channel: 'web' })).ticket;
    return { deps, tickets: [web, mail, call, phoneOnly], strangers };
  };

  it('erases every identity linked to the sign-in id (its address, the phone staff recorded) and reports each', async () => {
    // Arrange
    const { deps, tickets, strangers } = await everywhere();

    // Act
    const result = await eraseRequester(deps, admin, alice.id, { chats: new InMemoryChatAccountStore() });

    // Assert
    for (const ticket of tickets) {
      const erased = (await deps.tickets.getTicket(ticket.id))!;
      expect(erased).toMatchObject({ subject: ERASED, requester: { id: pseudonymFor(alice.id) } });
      expect(JSON.stringify([erased, deps.tickets.historyOf(ticket.id)])).not.toMatch(/Alice|alice@|1111/);
    }
    expect((await deps.tickets.getTicket(strangers.id))!.subject).toBe('Proyektor');
    expect(result.identities.map(({ id, tickets: count }) => [id, count])).toEqual([
      [alice.id, 1],
      [`email:${alice.email}`, 2],
      ['phone:+6281211112222', 1],
    ]);
    expect(result.tickets).toBe(4);
  });

  it('follows the links the account has (a verified phone in the user pool) as well', async () => {
    // Arrange
    const { deps, tickets } = await everywhere();
    const links = { linkedTo: async (id: string) => (id === 'phone:+6281211112222' ? ['user-alice-old-account'] : []) };
    const oldAccount = { ...alice, id: 'user-alice-old-account' };
    const old = (await createTicket(deps, oldAccount, { subject: 'Akun lama Alice Putri', description: '', channel: 'web' })).ticket;

    // Act
    const result = await eraseRequester(deps, admin, alice.id, { chats: new InMemoryChatAccountStore(), links });

    // Assert
    expect(result.identities.map(({ id }) => id)).toContain('user-alice-old-account');
    for (const ticket of [...tickets, old]) expect((await deps.tickets.getTicket(ticket.id))!.subject).toBe(ERASED);
  });

  it('erasing an already-erased pseudonym is a no-op', async () => {
    // Arrange
    const { deps, tickets } = await everywhere();
    await eraseRequester(deps, admin, alice.id, { chats: new InMemoryChatAccountStore() });
    const before = deps.tickets.snapshot();

    // Act
    const again = await eraseRequester(deps, admin, pseudonymFor(alice.id), { chats: new InMemoryChatAccountStore() });

    // Assert
    expect(again).toMatchObject({ tickets: 0, events: 0, identities: [] });
    expect(deps.tickets.snapshot()).toEqual(before);
    expect((await deps.tickets.getTicket(tickets[0]!.id))!.requester.id).toBe(pseudonymFor(alice.id));
  });

  it('stops at a bound and names the ids it did not reach, for a second run', async () => {
    // Arrange: a directory that links the person to more ids than one run follows
    const { deps } = await everywhere();
    const many = Array.from({ length: MAX_IDENTITIES + 5 }, (_, index) => `user-alias-${index}`);
    const links = { linkedTo: async (id: string) => (id === alice.id ? many : []) };

    // Act
    const result = await eraseRequester(deps, admin, alice.id, { chats: new InMemoryChatAccountStore(), links });

    // Assert
    expect(result.identities).toHaveLength(MAX_IDENTITIES);
    expect(result.notYetErased?.length).toBeGreaterThan(0);
    expect(new Set([...result.identities.map(({ id }) => id), ...result.notYetErased!]).size).toBe(
      result.identities.length + result.notYetErased!.length,
    );
  });
});
