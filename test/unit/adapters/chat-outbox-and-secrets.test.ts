// The chat queue from the webhooks' side (SQS, mocked) and the channels' secrets (a file in the sandbox,
// Secrets Manager in AWS, mocked), read at most every five minutes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelSecret, channelSecretArnEnv, channelSecretFileEnv } from '#shared/adapters/channel-secrets.ts';
import { CHAT_QUEUE_URL_ENV, sqsChatOutbox } from '#shared/adapters/chat-outbox.ts';
import type { OutboundChatMessage } from '#shared/domain/channels/deliver.ts';
import '#test/fixtures/aws-mock-matchers.ts';

const sqs = mockClient(SQSClient);
const secrets = mockClient(SecretsManagerClient);

afterEach(() => {
  sqs.reset();
  secrets.reset();
  vi.unstubAllEnvs();
});

const message = (n: number): OutboundChatMessage => ({ id: `telegram:1#${n}`, channel: 'telegram', chatId: '1001', text: `Jawaban ${n}` });

describe('the chat outbox', () => {
  it('puts the messages on the chat queue, ten to a batch', async () => {
    // Arrange
    vi.stubEnv(CHAT_QUEUE_URL_ENV, 'https://sqs.example/000000000000/chat');
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    // Act
    await sqsChatOutbox.enqueue(Array.from({ length: 12 }, (_, index) => message(index + 1)));

    // Assert
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 2]);
    expect(calls[0]!.args[0].input.QueueUrl).toBe('https://sqs.example/000000000000/chat');
    expect(JSON.parse(calls[1]!.args[0].input.Entries![1]!.MessageBody!)).toEqual({ kind: 'chat-message', message: message(12) });
  });

  it('fails when a message could not be queued, or when it does not know the queue', async () => {
    // Arrange
    vi.stubEnv(CHAT_QUEUE_URL_ENV, 'https://sqs.example/000000000000/chat');
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });

    // Act
    const failed = await sqsChatOutbox.enqueue([message(1)]).catch((error: Error) => error.message);
    vi.stubEnv(CHAT_QUEUE_URL_ENV, '');
    delete process.env[CHAT_QUEUE_URL_ENV];
    const unknown = await sqsChatOutbox.enqueue([message(1)]).catch((error: Error) => error.message);

    // Assert
    expect(failed).toBe('1 chat message(s) could not be queued (InternalError)');
    expect(unknown).toBe('CHAT_QUEUE_URL is not set');
  });
});

describe('the channel secrets', () => {
  it('reads a file in the sandbox', async () => {
    // Arrange
    const file = join(mkdtempSync(join(tmpdir(), 'helpdesk-secret-')), 'token');
    writeFileSync(file, 'file-token\n');
    vi.stubEnv(channelSecretFileEnv('telegram-webhook-secret'), file);

    // Act / Assert
    expect(await channelSecret('telegram-webhook-secret', 0)).toBe('file-token');
  });

  it("reads its key of the channel's one secret in AWS once per five minutes, and again after a failed read", async () => {
    // Arrange
    vi.stubEnv(channelSecretArnEnv('whatsapp'), 'arn:aws:secretsmanager:ap-southeast-3:1:secret:wa');
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: JSON.stringify({ appSecret: 'app', verifyToken: 'verify', accessToken: ' token-1 ' }) });

    // Act
    const failed = await channelSecret('whatsapp-access-token', 1_000).catch((error: Error) => error.message);
    const first = await channelSecret('whatsapp-access-token', 2_000);
    const cached = await channelSecret('whatsapp-access-token', 3_000);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ accessToken: 'token-2' }) });
    const renewed = await channelSecret('whatsapp-access-token', 2_000 + 5 * 60_000 + 1);

    // Assert
    expect([failed, first, cached, renewed]).toEqual(['throttled', 'token-1', 'token-1', 'token-2']);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(3);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({
      SecretId: 'arn:aws:secretsmanager:ap-southeast-3:1:secret:wa',
    });
  });

  it('says plainly when the secret is not the JSON object docs/channels.md shows, or lacks the key', async () => {
    // Arrange
    vi.stubEnv(channelSecretArnEnv('telegram'), 'arn:aws:secretsmanager:ap-southeast-3:1:secret:tg');
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: '123456789:AA-a-bare-token' })
      .resolves({ SecretString: JSON.stringify({ webhookSecret: 'generated' }) });

    // Act
    const bare = await channelSecret('telegram-bot-token', 0).catch((error: Error) => error.message);
    const missing = await channelSecret('telegram-bot-token', 10 * 60_000).catch((error: Error) => error.message);

    // Assert
    expect(bare).toBe('the telegram secret is not a JSON object (docs/channels.md shows its keys)');
    expect(missing).toBe('the telegram secret has no "botToken" (docs/channels.md shows its keys)');
  });

  it('says which variable is missing', async () => {
    // Act
    const error = await channelSecret('whatsapp-verify-token', 0).catch((caught: Error) => caught.message);

    // Assert
    expect(error).toBe('neither WHATSAPP_SECRET_ARN nor WHATSAPP_VERIFY_TOKEN_FILE is set');
  });
});
