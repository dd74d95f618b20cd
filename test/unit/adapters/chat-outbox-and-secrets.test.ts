// The chat queue from the webhooks' side (SQS, mocked) and the channels' credentials (a file in the sandbox, an
// SSM SecureString in AWS, mocked), read at most every five minutes, with errors that name no value.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { ChatCredentialMissing, channelSecret, channelSecretFileEnv, channelSecretParameterEnv } from '#shared/adapters/channel-secrets.ts';
import { CHAT_QUEUE_URL_ENV, sqsChatOutbox } from '#shared/adapters/chat-outbox.ts';
import type { OutboundChatMessage } from '#shared/domain/channels/deliver.ts';
import '#test/fixtures/aws-mock-matchers.ts';

const sqs = mockClient(SQSClient);
const ssm = mockClient(SSMClient);

afterEach(() => {
  sqs.reset();
  ssm.reset();
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
    const dir = mkdtempSync(join(tmpdir(), 'helpdesk-secret-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'token');
    writeFileSync(file, 'file-token\n');
    vi.stubEnv(channelSecretFileEnv('telegram-webhook-secret'), file);

    // Act / Assert
    expect(await channelSecret('telegram-webhook-secret', 0)).toBe('file-token');
  });

  it('reads its SecureString in AWS, decrypted, once per five minutes, and again after a failed read', async () => {
    // Arrange
    vi.stubEnv(channelSecretParameterEnv('whatsapp-access-token'), '/helpdesk/dev/whatsapp-access-token');
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ Parameter: { Name: '/helpdesk/dev/whatsapp-access-token', Type: 'SecureString', Value: ' token-1\n' } });

    // Act
    const failed = await channelSecret('whatsapp-access-token', 1_000).catch((error: Error) => error.message);
    const first = await channelSecret('whatsapp-access-token', 2_000);
    const cached = await channelSecret('whatsapp-access-token', 3_000);
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'token-2' } });
    const renewed = await channelSecret('whatsapp-access-token', 2_000 + 5 * 60_000 + 1);

    // Assert
    expect([failed, first, cached, renewed]).toEqual(['throttled', 'token-1', 'token-1', 'token-2']);
    expect(ssm.commandCalls(GetParameterCommand).map((call) => call.args[0].input)).toEqual(
      Array.from({ length: 3 }, () => ({ Name: '/helpdesk/dev/whatsapp-access-token', WithDecryption: true })),
    );
  });

  it('says plainly which parameter the admin has not put yet, or left empty, and never a value', async () => {
    // Arrange
    vi.stubEnv(channelSecretParameterEnv('telegram-bot-token'), '/helpdesk/dev/telegram-bot-token');
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(new ParameterNotFound({ message: '', $metadata: {} }))
      .resolves({ Parameter: { Value: '   ' } });

    // Act
    const missing = await channelSecret('telegram-bot-token', 0).catch((error: Error) => error);
    const empty = await channelSecret('telegram-bot-token', 10 * 60_000).catch((error: Error) => error.message);

    // Assert
    expect(missing).toBeInstanceOf(ChatCredentialMissing);
    expect((missing as Error).message).toBe(
      'the parameter /helpdesk/dev/telegram-bot-token does not exist yet: put the telegram-bot-token there (docs/channels.md)',
    );
    expect(empty).toBe('the parameter /helpdesk/dev/telegram-bot-token is empty: put the telegram-bot-token there (docs/channels.md)');
  });

  it('says which variable is missing', async () => {
    // Act
    const error = await channelSecret('whatsapp-verify-token', 0).catch((caught: Error) => caught.message);

    // Assert
    expect(error).toBe('neither WHATSAPP_VERIFY_TOKEN_PARAMETER nor WHATSAPP_VERIFY_TOKEN_FILE is set');
  });
});
