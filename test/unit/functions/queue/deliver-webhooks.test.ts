// The webhooks consumer with its real adapters: DynamoDB (the delivery claims) and SQS mocked, the signing key
// from a secrets directory, and a receiver on a local port. A delivered event acknowledges its message; a
// failed one fails only its message and backs it off by its receive count (30 s, doubling) on its own queue.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '#functions/queue/deliver-webhooks.ts';
import { WEBHOOK_QUEUE_URL_ENV } from '#shared/adapters/queue-retry.ts';
import { WEBHOOK_SECRETS_DIR_ENV, webhookSecretFile } from '#shared/adapters/webhook-secrets.ts';
import bundled from '#shared/config/helpdesk.config.json' with { type: 'json' };
import { SANDBOX_CONFIG_FILE_ENV } from '#shared/config/load-config.ts';
import { lambdaContext } from '#test/fixtures/api-gateway-event.ts';
import { busRecord, created } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.ap-southeast-3.amazonaws.com/000000000000/webhooks';
const invoke = (...records: SQSRecord[]) => handler({ Records: records } as SQSEvent, lambdaContext());
const withReceives = (record: SQSRecord, count: number): SQSRecord => ({
  ...record,
  attributes: { ...record.attributes, ApproximateReceiveCount: String(count) },
});

describe('webhooks consumer', () => {
  let receiver: Server;
  /** The receiver's next answers (then 200). */
  let answers: number[] = [];
  let received = 0;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received++;
        response.writeHead(answers.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    const dir = mkdtempSync(join(tmpdir(), 'helpdesk-deliver-'));
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(webhookSecretFile(join(dir, 'secrets'), 'helpdesk/webhooks/erp'), `whsec_${Buffer.alloc(32, 7).toString('base64')}`);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const config = {
      ...structuredClone(bundled),
      webhooks: [{ id: 'erp', url, events: ['TicketCreated'], secret: 'helpdesk/webhooks/erp' }],
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    process.env[SANDBOX_CONFIG_FILE_ENV] = join(dir, 'config.json');
    process.env[WEBHOOK_SECRETS_DIR_ENV] = join(dir, 'secrets');
    process.env[WEBHOOK_QUEUE_URL_ENV] = QUEUE_URL;
    process.env.TABLE_NAME = 'helpdesk-test';
    return () => rmSync(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
  });

  beforeEach(() => {
    ddb.reset();
    sqs.reset();
    answers = [];
    received = 0;
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
  });

  it('delivers the event and acknowledges its message', async () => {
    // Act
    const result = await invoke(busRecord(created(aTicket())));

    // Assert
    expect(result).toEqual({ batchItemFailures: [] });
    expect(received).toBe(1);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(0);
  });

  it('fails the message when the receiver answers 500, and backs it off by how often it was received', async () => {
    // Arrange
    answers = [500, 503];
    const record = busRecord(created(aTicket()), 'm-failing');

    // Act
    const first = await invoke(withReceives(record, 1));
    const third = await invoke(withReceives(record, 3));

    // Assert
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-failing' }] });
    expect(third).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-failing' }] });
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: QUEUE_URL, ReceiptHandle: 'r-m-failing', VisibilityTimeout: 30 },
      { QueueUrl: QUEUE_URL, ReceiptHandle: 'r-m-failing', VisibilityTimeout: 120 },
    ]);
    // The claim was given back each time, so the retry sends it again.
    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(2);
  });

  it('still fails the message, to be retried at the queue’s own pace, when the backoff cannot be set', async () => {
    // Arrange
    answers = [500];
    sqs.on(ChangeMessageVisibilityCommand).rejects(new Error('throttled'));

    // Act
    const result = await invoke(busRecord(created(aTicket()), 'm-no-backoff'));

    // Assert
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-no-backoff' }] });
  });
});
