// The chat account store's contract (ChatAccountStore in shared/domain/channels/chat-account.ts), run against
// the DynamoDB store on DynamoDB Local and against the in-memory fake the unit tests use.
import { beforeEach, describe, expect, it } from 'vitest';
import { createChatAccountStore } from '#shared/adapters/chat-account-store.ts';
import { type ChatAccount, ChatAccountConflict, type ChatAccountStore } from '#shared/domain/channels/chat-account.ts';
import { InMemoryChatAccountStore } from '#test/fixtures/in-memory-chat-accounts.ts';
import { localTable } from './local-table.ts';

const implementations: { name: string; make: () => Promise<ChatAccountStore> }[] = [
  { name: 'in memory', make: async () => new InMemoryChatAccountStore() },
  {
    name: 'DynamoDB',
    make: async () => {
      const { client, table } = await localTable();
      return createChatAccountStore(client, table);
    },
  },
];

const AT = '2026-11-27T10:00:00.000Z';

const anAccount = (overrides: Partial<ChatAccount> = {}): ChatAccount => ({
  channel: 'telegram',
  userId: '1001',
  chatId: '1001',
  name: 'Ani',
  lastInboundAt: AT,
  createdAt: AT,
  version: 1,
  ...overrides,
});

const ani = { id: 'email:ani@example.org', email: 'ani@example.org', linkedVia: 'email-code' as const, linkedAt: AT };
const budi = { id: 'phone:+6281234567890', linkedVia: 'telegram-contact' as const, linkedAt: AT };

describe.each(implementations)('the chat account store ($name)', ({ make }) => {
  let store: ChatAccountStore;
  beforeEach(async () => {
    store = await make();
  });

  it('writes an account only at the version it read, and reads it back as written', async () => {
    // Arrange
    const account = anAccount({
      sessionId: 'session-1',
      language: 'id',
      pendingLink: { email: 'a@b.example', codeHash: 'ab', expiresAt: AT, attempts: 1 },
    });

    // Act
    await store.saveAccount(account, 0);
    const again = await store.saveAccount(anAccount(), 0).catch((error: unknown) => error);
    await store.saveAccount({ ...account, version: 2, sessionId: 'session-2' }, 1);
    const stale = await store.saveAccount({ ...account, version: 2 }, 1).catch((error: unknown) => error);

    // Assert
    expect(again).toBeInstanceOf(ChatAccountConflict);
    expect(stale).toBeInstanceOf(ChatAccountConflict);
    expect(await store.getAccount('telegram', '1001')).toEqual({ ...account, version: 2, sessionId: 'session-2' });
    expect(await store.getAccount('whatsapp', '1001')).toBeUndefined();
  });

  it("moves the requester's link with the account's requester", async () => {
    // Arrange
    await store.saveAccount(anAccount({ requester: ani }), 0);

    // Act
    const linkedToAni = await store.chatsFor(ani.id, 'T1');
    await store.saveAccount(anAccount({ requester: budi, version: 2 }), 1, ani.id);
    const afterMove = { ani: await store.chatsFor(ani.id, 'T1'), budi: await store.chatsFor(budi.id, 'T1') };
    await store.saveAccount(anAccount({ version: 3 }), 2, budi.id);

    // Assert
    expect(linkedToAni.map((account) => account.userId)).toEqual(['1001']);
    expect(afterMove.ani).toEqual([]);
    expect(afterMove.budi).toEqual([anAccount({ requester: budi, version: 2 })]);
    expect(await store.chatsFor(budi.id, 'T1')).toEqual([]);
  });

  it('finds the chat that filed a ticket, for that ticket only', async () => {
    // Arrange
    const account = anAccount();
    await store.saveAccount(account, 0);

    // Act
    await store.addTicketOrigin(account, ani.id, 'T1');

    // Assert
    expect(await store.isTicketOrigin(account, ani.id, 'T1')).toBe(true);
    expect(await store.isTicketOrigin(account, ani.id, 'T2')).toBe(false);
    expect(await store.isTicketOrigin(account, budi.id, 'T1')).toBe(false);
    expect(await store.chatsFor(ani.id, 'T1')).toEqual([account]);
    expect(await store.chatsFor(ani.id, 'T2')).toEqual([]);
  });

  it('names each chat once, when it is both linked and the ticket’s origin', async () => {
    // Arrange
    const account = anAccount({ requester: ani });
    await store.saveAccount(account, 0);

    // Act
    await store.addTicketOrigin(account, ani.id, 'T1');

    // Assert
    expect(await store.chatsFor(ani.id, 'T1')).toEqual([account]);
  });

  it('remembers which ticket a message the desk sent is about', async () => {
    // Act
    await store.recordSentMessage('telegram', '1001', '17', 'T1');

    // Assert
    expect(await store.ticketOfMessage('telegram', '1001', '17')).toBe('T1');
    expect(await store.ticketOfMessage('telegram', '1001', '18')).toBeUndefined();
    expect(await store.ticketOfMessage('whatsapp', '1001', '17')).toBeUndefined();
  });

  it("erases a requester's links, origins and linked accounts with their messages, and nothing of anyone else", async () => {
    // Arrange
    const linked = anAccount({ requester: ani });
    const originOnly = anAccount({ userId: '2002', chatId: '2002' });
    const someoneElse = anAccount({ channel: 'whatsapp', userId: '6281234567890', chatId: '6281234567890', requester: budi });
    await store.saveAccount(linked, 0);
    await store.saveAccount(originOnly, 0);
    await store.saveAccount(someoneElse, 0);
    await store.addTicketOrigin(originOnly, ani.id, 'T1');
    await store.recordSentMessage('telegram', '1001', '17', 'T1');
    await store.recordSentMessage('whatsapp', '6281234567890', 'wamid.1', 'T9');

    // Act
    const erased = await store.forgetRequester(ani.id);

    // Assert
    expect(erased).toBe(1);
    expect(await store.getAccount('telegram', '1001')).toBeUndefined();
    expect(await store.ticketOfMessage('telegram', '1001', '17')).toBeUndefined();
    expect(await store.chatsFor(ani.id, 'T1')).toEqual([]);
    expect(await store.isTicketOrigin(originOnly, ani.id, 'T1')).toBe(false);
    expect(await store.getAccount('telegram', '2002')).toEqual(originOnly);
    expect(await store.chatsFor(budi.id, 'T9')).toEqual([someoneElse]);
    expect(await store.ticketOfMessage('whatsapp', '6281234567890', 'wamid.1')).toBe('T9');
    expect(await store.forgetRequester(ani.id)).toBe(0);
  });

  it('hands out copies', async () => {
    // Arrange
    await store.saveAccount(anAccount({ requester: ani }), 0);

    // Act
    const read = (await store.getAccount('telegram', '1001'))!;
    read.requester!.id = 'someone-else';
    read.name = 'Mallory';

    // Assert
    expect(await store.getAccount('telegram', '1001')).toEqual(anAccount({ requester: ani }));
  });
});
