// The notify consumer against mocked DynamoDB and SES: one mail per event when the event is delivered
// twice, a failed send gives its claim back and fails only its own message, the hourly acknowledgement
// limit. (What it logs: notify-logging.test.ts.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import {
  BatchGetCommand,
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
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '#functions/queue/notify.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import { lambdaContext } from '#test/fixtures/api-gateway-event.ts';
import { busRecord, comment, created } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';
import '#test/fixtures/aws-mock-matchers.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
const SECRET_SUBJECT = 'Rahasia-subjek-Qp27';
const SECRET_BODY = 'Isi-balasan-pribadi-Hx93';
const SECRET_EMAIL = 'alice.secret@siswa.example';
const ticket = aTicket({
  subject: SECRET_SUBJECT,
  description: SECRET_BODY,
  requester: { id: 'user-alice', name: 'Alice', email: SECRET_EMAIL },
  status: 'open',
});

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const invoke = (...records: SQSRecord[]) => handler({ Records: records } as SQSEvent, lambdaContext());

beforeAll(() => {
  process.env.TABLE_NAME = 'helpdesk-test';
  process.env.SES_CONFIGURATION_SET = 'helpdesk-test-set';
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-notify-'));
  writeFileSync(join(dir, 'key'), Buffer.alloc(32, 9).toString('base64'));
  process.env.SIGNING_KEY_FILE = join(dir, 'key');
  return () => rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  ddb.reset();
  ses.reset();
  ddb.on(GetCommand).resolves({ Item: ticketItem(ticket) });
  ddb.on(BatchGetCommand).resolves({ Responses: { 'helpdesk-test': [ticketItem(ticket)] } });
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ses.on(SendEmailCommand).resolves({ MessageId: '0100018e-ses-id' });
});

describe('notify consumer', () => {
  it('mails the requester through SES v2 with the configuration set, the reply address and the thread headers', async () => {
    // Act
    const result = await invoke(busRecord(created(ticket)));

    // Assert
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      Destination: { ToAddresses: [SECRET_EMAIL] },
      ConfigurationSetName: 'helpdesk-test-set',
      EmailTags: [{ Name: 'kind', Value: 'received' }],
    });
    expect(input.ReplyToAddresses?.[0]).toMatch(/^reply\+[0-9a-z.]+@/);
    expect(input.FeedbackForwardingEmailAddress).toMatch(/^bounce\+[0-9a-z.]+@/);
    expect(input.Content?.Simple?.Subject).toEqual({ Data: `[#1] Tiket diterima: ${SECRET_SUBJECT}`, Charset: 'UTF-8' });
    expect(input.Content?.Simple?.Headers).toContainEqual({ Name: 'Auto-Submitted', Value: 'auto-replied' });
    // The claim comes first, conditionally, with a TTL, in one write with the hour's count of acknowledgements to
    // the address; then it is marked sent with SES's message id.
    const [claim, count] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(claim!.Put!.Item).toMatchObject({
      pk: expect.stringMatching(/^NOTIFIED#/),
      state: 'in_progress',
      expiresAt: expect.any(Number),
    });
    expect(claim!.Put!.ConditionExpression).toContain('attribute_not_exists(pk)');
    expect(count!.Update!.Key!.pk).toMatch(/^ACKS#/);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    const completed = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input.ExpressionAttributeValues ?? {});
    expect(completed).toContainEqual(expect.objectContaining({ ':f0': 'sent', ':f1': '0100018e-ses-id', ':completed': 'completed' }));
  });

  it('reads the staff directory once for a batch, and its events’ tickets in one request', async () => {
    // Arrange: three events of two tickets in one batch
    const other = aTicket({
      id: '01JZZZZZZZZZZZZZZZZZZZZZZ2',
      number: 2,
      requester: { id: 'user-budi', name: 'Budi', email: 'budi@siswa.example' },
    });
    ddb.on(BatchGetCommand).resolves({ Responses: { 'helpdesk-test': [ticketItem(ticket), ticketItem(other)] } });
    const records = [
      busRecord(created(ticket), 'm1'),
      busRecord(comment('dua', 'public', { id: 'ivan', role: 'agent' }, ticket), 'm2'),
      busRecord(created(other), 'm3'),
    ];

    // Act
    const result = await invoke(...records);

    // Assert: every mail out, after one staff read and one batch read of the two tickets
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 3);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    const [read] = ddb.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems!['helpdesk-test']!.Keys);
    expect(read).toEqual([
      { pk: `TICKET#${ticket.id}`, sk: 'TICKET' },
      { pk: `TICKET#${other.id}`, sk: 'TICKET' },
    ]);
  });

  it('sends one mail when the same event is delivered twice (the second claim fails)', async () => {
    // Arrange: DynamoDB accepts the first claim and refuses the second, as its condition would
    ddb.on(PutCommand).resolvesOnce({}).rejects(conditionFailed());
    const event = comment(SECRET_BODY, 'public', { id: 'ivan', role: 'agent' }, ticket);

    // Act: the same event in one batch twice, and once more in a later batch
    const first = await invoke(busRecord(event, 'm1'), busRecord(event, 'm2'));
    const second = await invoke(busRecord(event, 'm3'));

    // Assert
    expect(first).toEqual({ batchItemFailures: [] });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it('gives the claim back and fails only that message when SES throttles; the retry sends', async () => {
    // Arrange
    ses
      .on(SendEmailCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'Maximum sending rate exceeded', $metadata: { httpStatusCode: 429 } }))
      .resolves({ MessageId: 'ses-2' });
    const failing = comment('satu', 'public', { id: 'ivan', role: 'agent' }, ticket);
    const fine = comment('dua', 'public', { id: 'ivan', role: 'agent' }, ticket);

    // Act
    const result = await invoke(busRecord(failing, 'bad'), busRecord(fine, 'good'));
    const retry = await invoke(busRecord(failing, 'bad'));

    // Assert
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
    const release = ddb.commandCalls(DeleteCommand)[0]!.args[0].input;
    expect(release.Key).toEqual({ pk: `NOTIFIED#${failing.id}`, sk: 'NOTIFIED' });
    expect(release.ConditionExpression).toContain('claimId = :holder');
    expect(retry).toEqual({ batchItemFailures: [] });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 3);
  });

  it('sends no acknowledgement past the hourly limit, and does not retry it', async () => {
    // Arrange: the counter's condition (count < limit) fails, the claim's holds
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );

    // Act
    const result = await invoke(busRecord(created(ticket)));

    // Assert: nothing sent; the mail's claim recorded done (suppressed), so a redelivery sends nothing either
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
    const counter = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![1]!.Update!;
    expect(counter.ConditionExpression).toBe('attribute_not_exists(#count) OR #count < :limit');
    expect(counter.ExpressionAttributeValues?.[':limit']).toBe(5);
    // The key is a hash: no address in the table's keys.
    expect(JSON.stringify(counter.Key)).not.toContain('siswa');
    const suppressed = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item;
    expect(suppressed).toMatchObject({
      pk: expect.stringMatching(/^NOTIFIED#/),
      state: 'completed',
      outcome: 'suppressed',
      reason: 'rate-limited',
    });
  });

  it('dead-letters (fails) a message that is not a ticket event, without sending', async () => {
    const result = await invoke({ ...busRecord(created(ticket), 'junk'), body: '{"not":"an event"}' });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'junk' }] });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });
});
