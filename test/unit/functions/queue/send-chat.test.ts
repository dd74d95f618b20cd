// The chat queue consumer against mocked DynamoDB and the sandbox's Telegram stand-in: a queued answer sent
// once, a platform that is down failing only that message (retried, its claim given back), a ticket's news
// sent to the requester's linked chat (its log naming no chat), and what is not a chat queue message refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '#functions/queue/send-chat.ts';
import { type LocalTelegram, startLocalTelegram } from '#sandbox/telegram-local.ts';
import { channelSecretFileEnv } from '#shared/adapters/channel-secrets.ts';
import { TELEGRAM_API_URL_ENV } from '#shared/adapters/chat-platforms.ts';
import { chatAccountKey, chatLinksPartition, ticketKey } from '#shared/adapters/table-keys.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import type { OutboundChatMessage } from '#shared/domain/channels/deliver.ts';
import { logger } from '#shared/observability.ts';
import { lambdaContext } from '#test/fixtures/api-gateway-event.ts';
import { busRecord, comment } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';
import '#test/fixtures/aws-mock-matchers.ts';

const ddb = mockClient(DynamoDBDocumentClient);
let telegram: LocalTelegram;

const record = (body: unknown, messageId = 'sqs-1'): SQSRecord => ({ ...busRecord(comment('x'), messageId), body: JSON.stringify(body) });
const invoke = (...records: SQSRecord[]) => handler({ Records: records } as SQSEvent, lambdaContext());
const answer = (overrides: Partial<OutboundChatMessage> = {}): OutboundChatMessage => ({
  id: 'telegram:77#1',
  channel: 'telegram',
  chatId: '1001',
  text: 'Printer macet atau kertas tersangkut …',
  ...overrides,
});

beforeAll(async () => {
  process.env.TABLE_NAME = 'helpdesk-test';
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-send-chat-'));
  writeFileSync(join(dir, 'bot-token'), 'bot-token');
  process.env[channelSecretFileEnv('telegram-bot-token')] = join(dir, 'bot-token');
  telegram = await startLocalTelegram({ botToken: 'bot-token', webhook: { url: 'http://127.0.0.1:9/none', secretToken: 'x' } });
  process.env[TELEGRAM_API_URL_ENV] = telegram.endpoint;
  return () => rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await telegram.stop();
});

beforeEach(async () => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  await telegram.setRunning(true);
});

describe('the chat queue consumer', () => {
  it('sends a queued answer to its chat, once', async () => {
    // Arrange
    const before = telegram.sent('1001').length;

    // Act
    const first = await invoke(record({ kind: 'chat-message', message: answer() }));
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'claimed', $metadata: {} }));
    ddb.on(GetCommand).resolves({ Item: { pk: 'CHATSENT#telegram:77#1', sk: 'CHATSENT', state: 'completed' } });
    const again = await invoke(record({ kind: 'chat-message', message: answer() }));

    // Assert
    expect(first).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(
      telegram
        .sent('1001')
        .slice(before)
        .map((message) => message.text),
    ).toEqual(['Printer macet atau kertas tersangkut …']);
  });

  it('fails only the message whose platform is down, giving its claim back for the retry', async () => {
    // Arrange
    await telegram.setRunning(false);

    // Act
    const result = await invoke(record({ kind: 'chat-message', message: answer({ id: 'telegram:78#1' }) }, 'sqs-down'));

    // Assert
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'sqs-down' }] });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: 'CHATSENT#telegram:78#1', sk: 'CHATSENT' } });
  });

  it("sends a staff member's public reply to the requester's linked chat, and remembers the message's ticket", async () => {
    // Arrange
    const ticket = aTicket({ requester: { id: 'phone:+6281234567890' }, status: 'open', channel: 'chat' });
    ddb.on(GetCommand, { Key: ticketKey(ticket.id) }).resolves({ Item: ticketItem(ticket) });
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': chatLinksPartition('phone:+6281234567890') } }).resolves({
      Items: [{ ...chatAccountKey('telegram', '2002'), sk: 'LINK#telegram#2002', channel: 'telegram', userId: '2002' }],
    });
    ddb.on(GetCommand, { Key: chatAccountKey('telegram', '2002') }).resolves({
      Item: {
        ...chatAccountKey('telegram', '2002'),
        channel: 'telegram',
        userId: '2002',
        chatId: '2002',
        lastInboundAt: '2026-03-02T02:00:00.000Z',
        version: 1,
        createdAt: '2026-03-02T02:00:00.000Z',
      },
    });
    const event = comment('Teknisi datang jam 10.', 'public', { id: 'ivan', role: 'agent' }, ticket);
    const logged = vi.spyOn(logger, 'info');

    // Act
    const result = await invoke({ ...busRecord(event), messageId: 'sqs-event' });

    // Assert
    expect(result).toEqual({ batchItemFailures: [] });
    // The log says a message went to a Telegram chat, not whose chat or what it said.
    expect(JSON.stringify(logged.mock.calls)).toContain('"channel":"telegram"');
    expect(JSON.stringify(logged.mock.calls)).not.toMatch(/2002|Teknisi|6281234567890/);
    logged.mockRestore();
    expect(telegram.sent('2002').at(-1)?.text).toContain('Teknisi datang jam 10.');
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ entity: 'chat-message', ticketId: ticket.id }) });
  });

  it('refuses what is not a chat queue message, sending nothing', async () => {
    // Arrange
    const before = telegram.sent().length;

    // Act
    const result = await invoke(record({ kind: 'something-else' }, 'sqs-bad'), { ...record({}, 'sqs-not-json'), body: '{' });

    // Assert
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'sqs-bad' }, { itemIdentifier: 'sqs-not-json' }] });
    expect(telegram.sent()).toHaveLength(before);
  });
});
