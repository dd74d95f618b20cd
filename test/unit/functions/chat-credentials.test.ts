// The chat webhooks and the chat queue consumer as deployed: their credentials in SSM Parameter Store (mocked), as
// the admin puts them at set-up (docs/channels.md). Before a value is put, a delivery is a 500 that does nothing and
// a queued message fails and is retried, each logging ChatCredentialMissing and never a value; once put, they work
// as with the sandbox's files.
import { createHmac } from 'node:crypto';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as telegramWebhook } from '#functions/http/telegram-webhook.ts';
import { handler as whatsappVerify } from '#functions/http/whatsapp-verify.ts';
import { handler as whatsappWebhook } from '#functions/http/whatsapp-webhook.ts';
import { handler as sendChat } from '#functions/queue/send-chat.ts';
import { type LocalTelegram, startLocalTelegram } from '#sandbox/telegram-local.ts';
import { CHANNEL_SECRET_NAMES, channelSecretFileEnv, channelSecretParameterEnv } from '#shared/adapters/channel-secrets.ts';
import { CHAT_QUEUE_URL_ENV } from '#shared/adapters/chat-outbox.ts';
import { TELEGRAM_API_URL_ENV } from '#shared/adapters/chat-platforms.ts';
import { logger } from '#shared/observability.ts';
import { httpEvent, invoke, lambdaContext } from '#test/fixtures/api-gateway-event.ts';
import { busRecord, comment } from '#test/fixtures/notifications.ts';
import '#test/fixtures/aws-mock-matchers.ts';

const ssm = mockClient(SSMClient);
const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let telegram: LocalTelegram;

/** What the admin has put so far, by parameter name; GetParameter of anything else is ParameterNotFound. */
let put: Record<string, string> = {};
const parameterOf = (name: (typeof CHANNEL_SECRET_NAMES)[number]) => `/helpdesk/prod/${name}`;

beforeAll(async () => {
  process.env.TABLE_NAME = 'helpdesk-test';
  process.env[CHAT_QUEUE_URL_ENV] = 'https://sqs.example/000000000000/chat';
  for (const name of CHANNEL_SECRET_NAMES) {
    delete process.env[channelSecretFileEnv(name)];
    process.env[channelSecretParameterEnv(name)] = parameterOf(name);
  }
  telegram = await startLocalTelegram({ botToken: '123456:from-ssm', webhook: { url: 'http://127.0.0.1:9/none', secretToken: 'x' } });
  process.env[TELEGRAM_API_URL_ENV] = telegram.endpoint;
});

afterAll(async () => {
  await telegram.stop();
});

beforeEach(() => {
  put = {};
  ssm.reset();
  ssm.on(GetParameterCommand).callsFake(({ Name }: { Name: string }) => {
    if (!(Name in put)) throw new ParameterNotFound({ message: '', $metadata: {} });
    return { Parameter: { Name, Type: 'SecureString', Value: put[Name] } };
  });
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(TransactWriteCommand).resolves({});
  sqs.reset();
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

const update = (updateId: number) => ({
  update_id: updateId,
  message: {
    message_id: 1,
    from: { id: 1001, is_bot: false, first_name: 'Ani' },
    chat: { id: 1001, type: 'private' },
    date: 1767225600,
    text: 'printer macet',
  },
});
const telegramPost = (updateId: number, secret: string) =>
  invoke(
    telegramWebhook,
    httpEvent({
      method: 'POST',
      path: '/channels/telegram',
      body: update(updateId),
      headers: { 'X-Telegram-Bot-Api-Secret-Token': secret },
    }),
  );

describe('the chat webhooks with their credentials in SSM Parameter Store', () => {
  it('answers 500 and does nothing before the webhook secret is put, logging what is missing and no value; then checks against it', async () => {
    // Arrange
    const logged = vi.spyOn(logger, 'error');

    // Act
    const before = await telegramPost(1, 'tg-secret-from-ssm');
    const touchedBefore = ddb.calls().length + sqs.calls().length;
    put[parameterOf('telegram-webhook-secret')] = 'tg-secret-from-ssm';
    const wrong = await telegramPost(2, 'guess');
    const right = await telegramPost(3, 'tg-secret-from-ssm');

    // Assert
    expect(before.statusCode).toBe(500);
    expect(before.headers['content-type']).toBe('application/problem+json');
    expect(touchedBefore).toBe(0);
    const log = JSON.stringify(logged.mock.calls);
    logged.mockRestore();
    expect(log).toContain('"name":"ChatCredentialMissing"');
    expect(log).not.toContain('tg-secret-from-ssm');
    expect([wrong.statusCode, right.statusCode]).toEqual([401, 200]);
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/helpdesk/prod/telegram-webhook-secret', WithDecryption: true });
  });

  it("checks WhatsApp's signatures with the app secret and Meta's callback check with the verify token, once put", async () => {
    // Arrange
    put[parameterOf('whatsapp-app-secret')] = 'app-secret-from-ssm';
    put[parameterOf('whatsapp-verify-token')] = 'verify-from-ssm';
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
    const signature = `sha256=${createHmac('sha256', 'app-secret-from-ssm').update(body).digest('hex')}`;
    const check = (token: string) =>
      invoke(
        whatsappVerify,
        httpEvent({
          method: 'GET',
          path: '/channels/whatsapp',
          query: { 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': 'c123' },
        }),
      );

    // Act
    const signed = await invoke(
      whatsappWebhook,
      httpEvent({
        method: 'POST',
        path: '/channels/whatsapp',
        body,
        headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': signature },
      }),
    );
    const verified = await check('verify-from-ssm');
    const refused = await check('guess');

    // Assert
    expect(signed.statusCode).toBe(200);
    expect([verified.statusCode, verified.body]).toEqual([200, 'c123']);
    expect(refused.statusCode).toBe(401);
  });
});

describe('the chat queue consumer with the bot token in SSM Parameter Store', () => {
  const record = (id: string): SQSRecord => ({
    ...busRecord(comment('x'), `sqs-${id}`),
    body: JSON.stringify({
      kind: 'chat-message',
      message: { id: `telegram:${id}#1`, channel: 'telegram', chatId: '1001', text: 'Jawaban' },
    }),
  });
  const consume = (id: string) => sendChat({ Records: [record(id)] } as SQSEvent, lambdaContext());

  it('fails the message for a retry before the token is put (its claim given back, no value logged), and sends it once put', async () => {
    // Arrange
    const warned = vi.spyOn(logger, 'warn');
    const before = telegram.sent('1001').length;

    // Act
    const missing = await consume('90');
    put[parameterOf('telegram-bot-token')] = '123456:from-ssm';
    const sent = await consume('91');

    // Assert
    expect(missing).toEqual({ batchItemFailures: [{ itemIdentifier: 'sqs-90' }] });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: 'CHATSENT#telegram:90#1', sk: 'CHATSENT' } });
    const log = JSON.stringify(warned.mock.calls);
    warned.mockRestore();
    expect(log).toContain('"name":"ChatCredentialMissing"');
    expect(log).not.toContain('from-ssm');
    expect(sent).toEqual({ batchItemFailures: [] });
    expect(
      telegram
        .sent('1001')
        .slice(before)
        .map((message) => message.text),
    ).toEqual(['Jawaban']);
  });
});
