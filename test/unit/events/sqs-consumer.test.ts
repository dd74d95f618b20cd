// The batch consumer: each message settles on its own, a malformed one is refused alone, and a failure of what
// the whole batch needed hands every message back to be received again.
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ticketEventBatchConsumer } from '#shared/events/sqs-consumer.ts';
import { lambdaContext } from '#test/fixtures/api-gateway-event.ts';
import { busRecord, created } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const records = (...ids: string[]): SQSRecord[] =>
  ids.map((id, index) => busRecord(created(aTicket({ id, number: index + 1 })), `m-${index + 1}`));

describe('ticketEventBatchConsumer', () => {
  it('hands the valid events over together and reports only the ones that failed and the malformed', async () => {
    // Arrange: three events, the second fails; a fourth message is not an event at all
    const seen: string[][] = [];
    const handler = ticketEventBatchConsumer(async (events) => {
      seen.push(events.map((event) => event.detail.ticketId));
      return events.map((event) =>
        event.detail.ticketId === 'T2' ? { status: 'rejected', reason: new Error('throttled') } : { status: 'fulfilled', value: 'ok' },
      );
    });
    const malformed = { ...records('T9')[0]!, messageId: 'm-bad', body: '{"not":"an event"}' };

    // Act
    const result = await handler({ Records: [...records('T1', 'T2', 'T3'), malformed] } as SQSEvent, lambdaContext());

    // Assert
    expect(seen).toEqual([['T1', 'T2', 'T3']]);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad' }, { itemIdentifier: 'm-2' }] });
  });

  it('hands every message back when the batch as a whole failed', async () => {
    const handler = ticketEventBatchConsumer(async () => {
      throw new Error('the staff directory could not be read');
    });
    const result = await handler({ Records: records('T1', 'T2') } as SQSEvent, lambdaContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }] });
  });
});
