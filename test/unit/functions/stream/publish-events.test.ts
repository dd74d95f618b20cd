// publish-events: history items on the table's stream become bus events; a refused entry makes the stream
// retry from that record, not lose it.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '#functions/stream/publish-events.ts';
import { lambdaContext } from '#test/fixtures/api-gateway-event.ts';
import '#test/fixtures/aws-mock-matchers.ts';

const bus = mockClient(EventBridgeClient);

const historyRecord = (sequence: number, type = 'StatusChanged'): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: String(1000 + sequence),
    NewImage: marshall({
      pk: 'TICKET#01HZZZZZZZZZZZZZZZZZZZZZZ1',
      sk: `EVENT#01J00000000000000000000${String(sequence).padStart(3, '0')}`.slice(0, 32),
      entity: 'event',
      expiresAt: 1_900_000_000,
      gsi7pk: 'COUNTED#2026-11-27',
      gsi7sk: '2026-11-27T08:55:00.000Z#01J',
      id: `01J00000000000000000000${String(sequence).padStart(3, '0')}`,
      type,
      ticketId: '01HZZZZZZZZZZZZZZZZZZZZZZ1',
      number: 7,
      version: sequence,
      at: '2026-11-27T08:55:00.000Z',
      actor: { id: 'budi', role: 'agent' },
      data: { from: 'new', to: 'open' },
      ticket: { status: 'open', priority: 'medium', category: 'network', team: 'it-support', assignee: 'budi', channel: 'web' },
    }) as never,
  },
});

const ticketRecord = (sequence: number, eventName: 'INSERT' | 'MODIFY' = 'MODIFY'): DynamoDBRecord => ({
  eventName,
  dynamodb: { SequenceNumber: String(1000 + sequence), NewImage: marshall({ pk: 'TICKET#x', sk: 'TICKET', entity: 'ticket' }) as never },
});

const invoke = (records: DynamoDBRecord[]) => handler({ Records: records } as DynamoDBStreamEvent, lambdaContext());

beforeEach(() => {
  bus.reset();
  process.env.EVENT_BUS_NAME = 'helpdesk';
});

describe('publish-events', () => {
  it('puts each history item on the helpdesk bus as source helpdesk, detail-type its type', async () => {
    // Arrange
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });

    // Act
    const result = await invoke([ticketRecord(1), historyRecord(2), ticketRecord(3, 'INSERT')]);

    // Assert
    expect(result).toEqual({ batchItemFailures: [] });
    expect(bus).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const entry = bus.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    expect(entry).toMatchObject({ Source: 'helpdesk', DetailType: 'StatusChanged', EventBusName: 'helpdesk' });
    const detail = JSON.parse(entry.Detail!);
    expect(detail).toMatchObject({ type: 'StatusChanged', ticketId: '01HZZZZZZZZZZZZZZZZZZZZZZ1', number: 7, version: 2 });
    expect(detail).not.toHaveProperty('pk');
    expect(detail).not.toHaveProperty('entity');
    expect(detail).not.toHaveProperty('expiresAt');
    expect(Object.keys(detail).filter((key) => key.startsWith('gsi'))).toEqual([]);
  });

  it('reports the earliest record the bus keeps refusing, so the stream retries from there and loses nothing', async () => {
    // Arrange: the bus refuses the second and fourth entries every time (the adapter's retries included)
    const refused = new Set([2, 4].map((sequence) => `01J00000000000000000000${String(sequence).padStart(3, '0')}`));
    bus.on(PutEventsCommand).callsFake((input: { Entries: { Detail: string }[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((entry) =>
        refused.has(JSON.parse(entry.Detail).id) ? { ErrorCode: 'ThrottlingException' } : { EventId: 'ok' },
      ),
    }));

    // Act
    const result = await invoke([historyRecord(1), historyRecord(2), historyRecord(3), historyRecord(4)]);

    // Assert
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '1002' }] });
  });

  it('reports the first record of a chunk whose call failed outright', async () => {
    bus.on(PutEventsCommand).rejects(new Error('bus unreachable'));
    const result = await invoke([historyRecord(5), historyRecord(6)]);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '1005' }] });
  });
});
