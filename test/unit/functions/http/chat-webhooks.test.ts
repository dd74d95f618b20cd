// The chat platforms' webhooks as Lambda handlers, against mocked DynamoDB and SQS: no JWT, their own checks
// before the body is read (a wrong secret or signature is 401 and touches nothing), what is not a person's
// message acknowledged and left alone, a message answered through the chat queue; Meta's callback check.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as telegramWebhook } from '#functions/http/telegram-webhook.ts';
import { handler as whatsappVerify } from '#functions/http/whatsapp-verify.ts';
import { handler as whatsappWebhook } from '#functions/http/whatsapp-webhook.ts';
import { channelSecretFileEnv } from '#shared/adapters/channel-secrets.ts';
import { CHAT_QUEUE_URL_ENV } from '#shared/adapters/chat-outbox.ts';
import { httpEvent, invoke } from '#test/fixtures/api-gateway-event.ts';
import '#test/fixtures/aws-mock-matchers.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const SECRETS = {
  'telegram-webhook-secret': 'tg-secret',
  'whatsapp-app-secret': 'app-secret',
  'whatsapp-verify-token': 'verify-me',
} as const;

beforeAll(() => {
  process.env.TABLE_NAME = 'helpdesk-test';
  process.env[CHAT_QUEUE_URL_ENV] = 'https://sqs.example/000000000000/chat';
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-webhooks-'));
  for (const [name, value] of Object.entries(SECRETS)) {
    writeFileSync(join(dir, name), value);
    process.env[channelSecretFileEnv(name as keyof typeof SECRETS)] = join(dir, name);
  }
  return () => rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  ddb.reset();
  sqs.reset();
  // An empty desk: no account, no session, no article (so the bot offers a person), every write accepted.
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(TransactWriteCommand).resolves({});
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

const queued = () =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .map((entry) => JSON.parse(entry.MessageBody!).message);

const update = (message: Record<string, unknown>) => ({
  update_id: 4242,
  message: {
    message_id: 1,
    from: { id: 1001, is_bot: false, first_name: 'Ani' },
    chat: { id: 1001, type: 'private' },
    date: 1767225600,
    ...message,
  },
});

const telegramPost = (body: unknown, secret?: string) =>
  invoke(
    telegramWebhook,
    httpEvent({
      method: 'POST',
      path: '/channels/telegram',
      body,
      headers: { 'content-type': 'application/json', ...(secret === undefined ? {} : { 'X-Telegram-Bot-Api-Secret-Token': secret }) },
    }),
  );

describe('POST /channels/telegram', () => {
  it.each([
    ['a wrong secret token', 'guess'],
    ['no secret token', undefined],
  ])('refuses %s with 401 and touches nothing', async (_case, secret) => {
    // Act
    const response = await telegramPost(update({ text: 'printer macet' }), secret);

    // Assert
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(ddb.calls()).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('acknowledges an update that is not a private message, and leaves it alone', async () => {
    // Act
    const response = await telegramPost(update({ text: 'halo semua', chat: { id: -100, type: 'group' } }), 'tg-secret');

    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ ok: true });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers a private message through the chat queue, having claimed its update', async () => {
    // Act
    const response = await telegramPost(update({ text: 'Siapa presiden Indonesia sekarang?' }), 'tg-secret');

    // Assert
    expect(response.statusCode).toBe(200);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'CHATIN#telegram:4242' }) });
    expect(queued()).toEqual([
      expect.objectContaining({
        id: 'telegram:4242#1',
        channel: 'telegram',
        chatId: '1001',
        text: expect.stringContaining('Balas "ya" atau "tidak"'),
      }),
    ]);
  });

  it('refuses a body that is not JSON, naming it', async () => {
    // Act
    const response = await telegramPost('{not json', 'tg-secret');

    // Assert
    expect(response.statusCode).toBe(400);
    expect(response.json.errors[0].path).toBe('(body)');
  });
});

const signed = (body: string, secret = 'app-secret') => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const whatsappPost = (body: string, signature: string) =>
  invoke(
    whatsappWebhook,
    httpEvent({
      method: 'POST',
      path: '/channels/whatsapp',
      body,
      headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': signature },
    }),
  );

const notification = (value: Record<string, unknown>) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { metadata: { phone_number_id: '100000000000001' }, ...value } }] }],
  });

describe('POST /channels/whatsapp', () => {
  const text = notification({
    contacts: [{ profile: { name: 'Ani' }, wa_id: '6281234567890' }],
    messages: [
      {
        from: '6281234567890',
        id: 'wamid.A1',
        timestamp: '1767225600',
        type: 'text',
        text: { body: 'Siapa presiden Indonesia sekarang?' },
      },
    ],
  });

  it('refuses a body not signed with the app secret with 401, touching nothing', async () => {
    // Act
    const forged = await whatsappPost(text, signed(text, 'guess'));
    const altered = await whatsappPost(text.replace('presiden', 'Presiden'), signed(text));

    // Assert
    expect([forged.statusCode, altered.statusCode]).toEqual([401, 401]);
    expect(ddb.calls()).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('answers each signed message through the chat queue', async () => {
    // Act
    const response = await whatsappPost(text, signed(text));

    // Assert
    expect(response.statusCode).toBe(200);
    expect(queued()).toEqual([expect.objectContaining({ id: 'whatsapp:wamid.A1#1', channel: 'whatsapp', chatId: '6281234567890' })]);
  });

  it('acknowledges delivery reports without answering anything', async () => {
    // Arrange
    const statuses = notification({ statuses: [{ id: 'wamid.X', status: 'failed', recipient_id: '6281234567890' }] });

    // Act
    const response = await whatsappPost(statuses, signed(statuses));

    // Assert
    expect(response.statusCode).toBe(200);
    expect(sqs.calls()).toHaveLength(0);
  });
});

describe('GET /channels/whatsapp', () => {
  const check = (query: Record<string, string>) => invoke(whatsappVerify, httpEvent({ method: 'GET', path: '/channels/whatsapp', query }));

  it("answers Meta's check with the challenge as plain text for the verify token, and 401 otherwise", async () => {
    // Act
    const verified = await check({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' });
    const refused = await check({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1158201444' });
    const odd = await check({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '<script>' });

    // Assert
    expect(verified).toMatchObject({ statusCode: 200, body: '1158201444', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(refused.statusCode).toBe(401);
    expect(odd.statusCode).toBe(400);
    expect(odd.json.errors[0].path).toBe('hub.challenge');
  });
});
