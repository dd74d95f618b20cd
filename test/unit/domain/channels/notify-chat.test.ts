// A ticket's news in the requester's chats: the requester mail's decision table, to the chats linked to them
// and the chat that filed the ticket; on WhatsApp past the 24-hour window, the configured template.
import { describe, expect, it } from 'vitest';
import type { ChatAccount } from '#shared/domain/channels/chat-account.ts';
import { type ChatNoticeDeps, chatNotices, WHATSAPP_WINDOW_MS } from '#shared/domain/channels/notify-chat.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { whatsappConfig } from '#test/fixtures/channels.ts';
import { fakeClock, T0 } from '#test/fixtures/clock.ts';
import { InMemoryChatAccountStore } from '#test/fixtures/in-memory-chat-accounts.ts';
import { comment, created, statusChanged } from '#test/fixtures/notifications.ts';
import { InMemoryStaffDirectory } from '#test/fixtures/staff.ts';
import { testConfig } from '#test/fixtures/test-config.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const REQUESTER = 'phone:+6281234567890';

const account = (overrides: Partial<ChatAccount> = {}): ChatAccount => ({
  channel: 'telegram',
  userId: '1001',
  chatId: '1001',
  lastInboundAt: T0,
  createdAt: T0,
  version: 1,
  requester: { id: REQUESTER, linkedVia: 'telegram-contact', linkedAt: T0 },
  ...overrides,
});

const setup = async (options: { ticket?: Ticket; accounts?: ChatAccount[]; config?: ChatNoticeDeps['config'] } = {}) => {
  const ticket = options.ticket ?? aTicket({ requester: { id: REQUESTER, name: 'Bu Sri' }, channel: 'chat', status: 'open' });
  const accounts = new InMemoryChatAccountStore();
  for (const chat of options.accounts ?? [account()]) await accounts.saveAccount(chat, 0);
  const clock = fakeClock();
  const deps: ChatNoticeDeps = {
    accounts,
    tickets: { getTicket: async (id) => (id === ticket.id ? ticket : undefined) },
    staff: new InMemoryStaffDirectory(),
    clock,
    config: options.config ?? whatsappConfig(),
  };
  return { deps, ticket, accounts, clock };
};

describe("a ticket's news in the requester's chats", () => {
  it("sends a staff member's public reply to the linked chat, with their name and how to answer", async () => {
    // Arrange
    const { deps, ticket } = await setup();
    const event = comment('Teknisi datang jam 10.', 'public', { id: 'ivan', role: 'agent' }, ticket);

    // Act
    const { messages } = await chatNotices(deps, event);

    // Assert
    expect(messages).toEqual([
      {
        id: `${event.id}:telegram:1001`,
        channel: 'telegram',
        chatId: '1001',
        ticketId: ticket.id,
        text: `Ivan membalas tiket #1 Wi-Fi di lab mati:\n\nTeknisi datang jam 10.\n\nBalas (reply) pesan ini untuk menjawab.`,
      },
    ]);
  });

  it('names the team when the author is not in the directory, and says the status news in the ticket’s language', async () => {
    // Arrange
    const ticket = aTicket({ requester: { id: REQUESTER }, language: 'en', status: 'resolved' });
    const { deps } = await setup({ ticket });

    // Act
    const reply = await chatNotices(deps, comment('Fixed.', 'public', { id: 'gone', role: 'agent' }, ticket));
    const resolved = await chatNotices(deps, statusChanged('open', 'resolved', { id: 'ivan', role: 'agent' }, ticket));

    // Assert
    expect(reply.messages[0]!.text).toContain('IT Support replied on ticket #1 Wi-Fi di lab mati:');
    expect(resolved.messages[0]!.text).toBe(
      `Ticket #1 Wi-Fi di lab mati is resolved. If the problem is still there, reply to this message within ${testConfig.reopenWindowDays} days and it opens again.`,
    );
  });

  it('tells of a waiting ticket, and of a ticket filed elsewhere (received), but not again of one filed in the chat', async () => {
    // Arrange
    const web = aTicket({ requester: { id: REQUESTER }, channel: 'web', status: 'pending' });
    const { deps } = await setup({ ticket: web });
    const { deps: chatDeps, ticket: chatTicket } = await setup();

    // Act
    const received = await chatNotices(deps, created(web));
    const pending = await chatNotices(deps, statusChanged('open', 'pending', { id: 'ivan', role: 'agent' }, web));
    const announced = await chatNotices(chatDeps, created(chatTicket));

    // Assert
    expect(received.messages[0]!.text).toBe(
      'Permintaan Anda #1 Wi-Fi di lab mati sudah kami terima. Kabar selanjutnya kami sampaikan di sini.',
    );
    expect(pending.messages[0]!.text).toBe('Tiket #1 Wi-Fi di lab mati menunggu tanggapan Anda. Balas (reply) pesan ini untuk menjawab.');
    expect(announced).toEqual({ messages: [], skipped: 'announced-in-chat' });
  });

  it('sends nothing for what the requester would not be mailed about, nor without a chat or a ticket', async () => {
    // Arrange
    const { deps, ticket } = await setup();
    const { deps: noChat } = await setup({ accounts: [] });

    // Act / Assert
    expect(await chatNotices(deps, comment('rahasia', 'internal', { id: 'ivan', role: 'agent' }, ticket))).toEqual({
      messages: [],
      skipped: 'not-for-requester',
    });
    expect(await chatNotices(deps, comment('Masih mati', 'public', { id: REQUESTER, role: 'requester' }, ticket))).toMatchObject({
      skipped: 'not-for-requester',
    });
    expect(await chatNotices(noChat, comment('Sudah', 'public', { id: 'ivan', role: 'agent' }, ticket))).toEqual({
      messages: [],
      skipped: 'no-chat',
    });
    expect(await chatNotices(deps, { ...comment('Sudah'), ticketId: 'gone' })).toEqual({ messages: [], skipped: 'no-ticket' });
  });

  it('writes to every chat of the requester: each linked one and the one that filed the ticket', async () => {
    // Arrange
    const filedIt = account({ userId: '2002', chatId: '2002', requester: undefined });
    const { deps, ticket, accounts } = await setup({
      accounts: [account(), account({ channel: 'whatsapp', userId: '6281234567890', chatId: '6281234567890' }), filedIt],
    });
    await accounts.addTicketOrigin(filedIt, REQUESTER, ticket.id);

    // Act
    const { messages } = await chatNotices(deps, comment('Sudah', 'public', { id: 'ivan', role: 'agent' }, ticket));

    // Assert
    expect(messages.map((message) => `${message.channel}:${message.chatId}`).sort()).toEqual([
      'telegram:1001',
      'telegram:2002',
      'whatsapp:6281234567890',
    ]);
  });

  it('sends text on WhatsApp inside the 24-hour window, and the status template past it', async () => {
    // Arrange
    const whatsapp = account({ channel: 'whatsapp', userId: '6281234567890', chatId: '6281234567890' });
    const { deps, ticket, clock } = await setup({ accounts: [whatsapp] });
    const event = statusChanged('open', 'resolved', { id: 'ivan', role: 'agent' }, { ...ticket, status: 'resolved' });
    deps.tickets.getTicket = async () => ({ ...ticket, status: 'resolved' });

    // Act
    const inside = await chatNotices(deps, event);
    clock.advance(WHATSAPP_WINDOW_MS);
    const past = await chatNotices(deps, event);

    // Assert
    expect(inside.messages[0]!.text).toContain('sudah diselesaikan');
    expect(inside.messages[0]!.template).toBeUndefined();
    expect(past.messages[0]).toMatchObject({
      channel: 'whatsapp',
      template: { name: 'helpdesk_ticket_update', language: 'id', parameters: ['1', 'sudah diselesaikan'] },
    });
  });

  it('sends nothing to WhatsApp past the window when no template is configured', async () => {
    // Arrange
    const whatsapp = account({ channel: 'whatsapp', userId: '6281234567890', chatId: '6281234567890' });
    const { deps, ticket, clock } = await setup({ accounts: [whatsapp], config: testConfig });
    clock.advance(WHATSAPP_WINDOW_MS);

    // Act / Assert
    expect(await chatNotices(deps, comment('Sudah', 'public', { id: 'ivan', role: 'agent' }, ticket))).toEqual({
      messages: [],
      skipped: 'no-template',
    });
  });
});
