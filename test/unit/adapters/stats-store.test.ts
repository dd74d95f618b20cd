// The statistics store on mocked DynamoDB: one transaction per event (marker + counters), a replay is a
// no-op, the backlog Query uses the queue key's status prefix.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStatsStore } from '#shared/adapters/stats-store.ts';
import { queueKey, statusPrefix } from '#shared/adapters/table-keys.ts';
import { STATUSES } from '#shared/domain/tickets/ticket-status.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const store = createStatsStore(ddb as unknown as DynamoDBDocumentClient, 'helpdesk-test');
const update = { date: '2026-03-02', keys: ['ALL#total', 'TEAM#it-support#total'], counters: { created: 1, h_frBiz_3: 1 } };

beforeEach(() => ddb.reset());

describe('stats store', () => {
  it('writes the event marker and every counter item in one transaction', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const applied = await store.applyOnce('01EVENT', update, new Date('2026-03-02T02:00:00Z'));

    // Assert
    expect(applied).toBe(true);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(3);
    expect(items[0]!.Put).toMatchObject({
      Item: { pk: 'STATSEVENT#01EVENT', sk: 'STATSEVENT', state: 'completed', date: '2026-03-02' },
      ConditionExpression: expect.stringContaining('attribute_not_exists(pk)'),
    });
    expect(items[1]!.Update).toMatchObject({
      Key: { pk: 'STATS#2026-03-02', sk: 'ALL#total' },
      UpdateExpression: 'ADD #c0 :c0, #c1 :c1 SET entity = :entity',
    });
  });

  it('reports a replay when the marker exists, so nothing is added twice', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    // Act / Assert
    expect(await store.applyOnce('01EVENT', update, new Date())).toBe(false);
  });

  it('fails (and so retries the message) on any other cancellation, such as a conflict with a concurrent update', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
      }),
    );

    // Act / Assert
    await expect(store.applyOnce('01EVENT', update, new Date())).rejects.toThrow(TransactionCanceledException);
  });

  it('refuses a counter name that is not a plain attribute name', async () => {
    await expect(store.applyOnce('01EVENT', { ...update, counters: { 'a.b': 1 } }, new Date())).rejects.toThrow('not a counter name');
  });

  it('reads the backlog with the status prefix of the queue key the ticket items carry', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [{ createdAt: '2026-03-02T02:00:00.000Z' }] });

    // Act
    const times = await store.openTicketCreationTimes('pending', 'it-support');

    // Assert
    expect(times).toEqual(['2026-03-02T02:00:00.000Z']);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      IndexName: 'gsi1',
      ExpressionAttributeValues: { ':pk': 'TEAM#it-support', ':status': statusPrefix('pending') },
    });
    for (const status of STATUSES) expect(queueKey(aTicket({ status })).startsWith(statusPrefix(status))).toBe(true);
  });
});
