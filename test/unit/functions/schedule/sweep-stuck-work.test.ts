// The sweeper's job against mocked DynamoDB and SQS: a ticket left new and unassigned for ten minutes goes
// back to the routing queue as its TicketCreated, through the indexes only (never a Scan), and the job
// answers with what it found, every kind named.
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '#functions/schedule/sweep-stuck-work.ts';
import { queueUrlEnv } from '#shared/adapters/queue-redriver.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import { parseTicketBusEvent } from '#shared/events/ticket-bus-event.ts';
import { lambdaContext } from '#test/fixtures/api-gateway-event.ts';
import { created } from '#test/fixtures/notifications.ts';
import { TEST_STAFF } from '#test/fixtures/staff.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const ROUTING_URL = 'https://sqs.example/routing';
const filedAt = new Date(Date.now() - 10 * 60_000).toISOString();
const ticket = aTicket({ createdAt: filedAt, team: 'it-support' });
const filed = { ...created(ticket), at: filedAt };

beforeAll(() => {
  process.env.TABLE_NAME = 'helpdesk-test';
  for (const queue of ['routing', 'notify', 'stats']) process.env[queueUrlEnv(queue)] = `https://sqs.example/${queue}`;
});
afterAll(() => {
  for (const queue of ['routing', 'notify', 'stats']) delete process.env[queueUrlEnv(queue)];
});

beforeEach(() => {
  ddb.reset();
  sqs.reset();
  ddb.on(QueryCommand).callsFake((input: { IndexName?: string; ExpressionAttributeValues: Record<string, unknown> }) => {
    if (input.IndexName === 'gsi4') return { Items: [ticketItem(ticket)] };
    if (input.IndexName === 'gsi7') return { Items: [] };
    if (input.ExpressionAttributeValues[':staff'] === 'STAFF')
      return { Items: TEST_STAFF.map((member) => ({ pk: 'STAFF', sk: `MEMBER#${member.id}`, ...member })) };
    return { Items: [{ pk: `TICKET#${ticket.id}`, sk: `EVENT#${filed.id}`, entity: 'event', ...filed }] };
  });
  ddb.on(BatchGetCommand).resolves({ Responses: { 'helpdesk-test': [] } });
  ddb.on(GetCommand).resolves({ Item: ticketItem(ticket) });
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: 'x' }], Failed: [] });
});

describe('sweep-stuck-work', () => {
  it('routes again a ticket left unassigned, and reports every kind', async () => {
    // Act
    const result = await handler({} as ScheduledEvent, lambdaContext());

    // Assert
    expect(result).toEqual({
      found: { routing: 1, acknowledgement: 0, stats: 0 },
      tickets: { routing: [ticket.id], acknowledgement: [], stats: [] },
    });
    const sent = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(sent.map((input) => input.QueueUrl)).toEqual([ROUTING_URL]);
    expect(parseTicketBusEvent(sent[0]!.Entries![0]!.MessageBody!).detail).toEqual(filed);
    expect(ddb.commandCalls(ScanCommand)).toEqual([]);
  });
});
