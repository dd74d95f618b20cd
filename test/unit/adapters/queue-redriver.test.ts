// The sweeper's way back into a consumer: each event on the consumer's queue in the envelope the bus rule
// would have given it (so the consumer parses it as any other), ten a call, the queue named by its URL variable.
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueUrlEnv, sqsRedriver } from '#shared/adapters/queue-redriver.ts';
import { parseTicketBusEvent } from '#shared/events/ticket-bus-event.ts';
import { created } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const sqs = mockClient(SQSClient);
const URL = 'https://sqs.ap-southeast-3.amazonaws.com/123456789012/Helpdesk-dev-Stateless-EventsStatsQueue';

beforeEach(() => {
  sqs.reset();
  process.env[queueUrlEnv('stats')] = URL;
});
afterEach(() => {
  delete process.env[queueUrlEnv('stats')];
});

describe('sqsRedriver', () => {
  it('puts each event on the queue as the bus delivers it, ten a call', async () => {
    // Arrange
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const events = Array.from({ length: 12 }, (_, index) => created(aTicket({ id: `01JREDRIVE${String(index).padStart(16, '0')}` })));

    // Act
    await sqsRedriver.redrive('stats', events);

    // Assert
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => [input.QueueUrl, input.Entries!.length])).toEqual([
      [URL, 10],
      [URL, 2],
    ]);
    const delivered = calls.flatMap((input) => input.Entries!.map((entry) => parseTicketBusEvent(entry.MessageBody!)));
    expect(delivered.map((message) => message.detail)).toEqual(events);
    expect(delivered[0]).toMatchObject({ source: 'helpdesk', 'detail-type': 'TicketCreated', time: events[0]!.at });
  });

  it('fails when the queue refuses a message, so the sweep is retried on its next run', async () => {
    // Arrange
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'KMS.AccessDenied', SenderFault: true }] });

    // Act / Assert
    await expect(sqsRedriver.redrive('stats', [created()])).rejects.toThrow(
      '1 of 1 message(s) were refused by the stats queue (KMS.AccessDenied)',
    );
  });

  it('says which variable is missing when the queue is not configured', async () => {
    await expect(sqsRedriver.redrive('routing', [created()])).rejects.toThrow('ROUTING_QUEUE_URL is not set');
  });
});
