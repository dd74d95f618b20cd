// Sending one message to a chat exactly once: the claim before the send, a refusal that may pass given back
// for the retry, one that will not pass recorded and not retried, long texts in parts.
import { describe, expect, it } from 'vitest';
import {
  ChatSendError,
  type ChatSender,
  deliverChatMessage,
  type OutboundChatMessage,
  splitText,
} from '#shared/domain/channels/deliver.ts';
import { fakeClock } from '#test/fixtures/clock.ts';
import { InMemoryChatAccountStore } from '#test/fixtures/in-memory-chat-accounts.ts';
import { InMemoryClaimStore } from '#test/fixtures/in-memory-claims.ts';

/** A platform that records what it accepted and refuses as told. */
const platform = () => {
  const accepted: OutboundChatMessage[] = [];
  const refusals: ChatSendError[] = [];
  const sender: ChatSender = {
    async send(message) {
      const refusal = refusals.shift();
      if (refusal) throw refusal;
      accepted.push(message);
      return { messageId: String(100 + accepted.length) };
    },
  };
  return { accepted, refusals, sender };
};

const setup = () => {
  const telegram = platform();
  const whatsapp = platform();
  const accounts = new InMemoryChatAccountStore();
  const claims = new InMemoryClaimStore({ lockSeconds: 120, ttlSeconds: 35 * 86_400 });
  const deps = { claims, senders: { telegram: telegram.sender, whatsapp: whatsapp.sender }, accounts, clock: fakeClock() };
  return { deps, telegram, whatsapp, accounts, claims };
};

const message = (overrides: Partial<OutboundChatMessage> = {}): OutboundChatMessage => ({
  id: 'telegram:501#1',
  channel: 'telegram',
  chatId: '1001',
  text: 'Halo',
  ...overrides,
});

describe('delivering a chat message', () => {
  it('sends it once however often it is delivered, and remembers the ticket it is about', async () => {
    // Arrange
    const { deps, telegram, accounts } = setup();

    // Act
    const first = await deliverChatMessage(deps, message({ ticketId: 'T1' }));
    const second = await deliverChatMessage(deps, message({ ticketId: 'T1' }));

    // Assert
    expect(first).toEqual({ outcome: 'sent', parts: 1 });
    expect(second).toEqual({ outcome: 'duplicate' });
    expect(telegram.accepted).toHaveLength(1);
    expect(await accounts.ticketOfMessage('telegram', '1001', '101')).toBe('T1');
  });

  it('gives the claim back when the platform may take it later, so the retry sends it', async () => {
    // Arrange
    const { deps, whatsapp } = setup();
    whatsapp.refusals.push(new ChatSendError(false, 'unreachable'));
    const toWhatsapp = message({ id: 'whatsapp:wamid.1#1', channel: 'whatsapp', chatId: '6281234567890' });

    // Act
    const failed = await deliverChatMessage(deps, toWhatsapp).catch((error: unknown) => error);
    const retried = await deliverChatMessage(deps, toWhatsapp);

    // Assert
    expect(failed).toMatchObject({ permanent: false, reason: 'unreachable' });
    expect(retried).toEqual({ outcome: 'sent', parts: 1 });
    expect(whatsapp.accepted).toHaveLength(1);
  });

  it('records a refusal that will not pass, and does not try again', async () => {
    // Arrange
    const { deps, telegram, claims } = setup();
    telegram.refusals.push(new ChatSendError(true, 'telegram-403'));

    // Act
    const outcome = await deliverChatMessage(deps, message());
    const again = await deliverChatMessage(deps, message());

    // Assert
    expect(outcome).toEqual({ outcome: 'undeliverable', reason: 'telegram-403' });
    expect(again).toEqual({ outcome: 'duplicate' });
    expect(telegram.accepted).toEqual([]);
    expect(await claims.read('telegram:501#1')).toEqual({
      state: 'completed',
      fields: { outcome: 'undeliverable', reason: 'telegram-403' },
    });
  });

  it('lets an unexpected failure through with the claim given back', async () => {
    // Arrange
    const { deps, claims } = setup();
    deps.senders.telegram = {
      send: async () => {
        throw new Error('token secret unreadable');
      },
    };

    // Act
    const error = await deliverChatMessage(deps, message()).catch((caught: Error) => caught.message);

    // Assert
    expect(error).toBe('token secret unreadable');
    expect(await claims.read('telegram:501#1')).toBeUndefined();
  });

  it('sends a text over the limit in parts, the keyboard with the last, and on a retry only the parts not sent', async () => {
    // Arrange
    const { deps, telegram } = setup();
    const long = `${'a'.repeat(3000)}\n\n${'b'.repeat(3000)}`;
    telegram.refusals.push(new ChatSendError(false, 'telegram-429'));
    const withKeyboard = message({ text: long, keyboard: 'remove' });

    // Act: the first part is refused once, then both go.
    await deliverChatMessage(deps, withKeyboard).catch(() => undefined);
    const retried = await deliverChatMessage(deps, withKeyboard);
    const again = await deliverChatMessage(deps, withKeyboard);

    // Assert
    expect(retried).toEqual({ outcome: 'sent', parts: 2 });
    expect(again).toEqual({ outcome: 'duplicate' });
    expect(telegram.accepted.map((part) => [part.id, part.text.length, part.keyboard])).toEqual([
      ['telegram:501#1#1', 3000, undefined],
      ['telegram:501#1#2', 3000, 'remove'],
    ]);
  });

  it('splits at paragraphs, then lines, then words, and never returns nothing', () => {
    // Act / Assert
    expect(splitText('one two three four', 10)).toEqual(['one two', 'three four']);
    expect(splitText('line one\nline two', 12)).toEqual(['line one', 'line two']);
    expect(splitText('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(splitText('')).toEqual(['']);
  });

  it('sends a template whole, however long its text', async () => {
    // Arrange
    const { deps, whatsapp } = setup();
    const template = { name: 'helpdesk_ticket_update', language: 'id', parameters: ['12', 'sudah diselesaikan'] };

    // Act
    await deliverChatMessage(deps, message({ channel: 'whatsapp', text: 'x'.repeat(5000), template }));

    // Assert
    expect(whatsapp.accepted).toEqual([expect.objectContaining({ id: 'telegram:501#1', template })]);
  });
});
