// Erasure: the person disappears from every ticket they filed; the facts the statistics need remain.
import { describe, expect, it } from 'vitest';
import { ERASED, eraseRequester, pseudonymFor } from '#shared/domain/privacy/erase-requester.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import { getTicket, listTicketEvents } from '#shared/domain/tickets/read-tickets.ts';
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
    expect(result).toEqual({ pseudonym: pseudonymFor(alice.id), tickets: 1, events: 2, chatAccounts: 0 });
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
