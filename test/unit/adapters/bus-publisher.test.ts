// The one way onto the bus: PutEvents ten entries a call, refused entries put again on their own, and what
// still did not arrive reported by index.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { busEntry, putEvents } from '#shared/adapters/bus-publisher.ts';

const bus = mockClient(EventBridgeClient);
const entries = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    busEntry({ type: 'TicketCreated', at: '2026-11-27T08:00:00.000Z', id: `E${index}` } as never),
  );
const idsOf = (input: { Entries?: { Detail?: string }[] }) => (input.Entries ?? []).map((entry) => JSON.parse(entry.Detail!).id as string);

beforeEach(() => {
  bus.reset();
  process.env.EVENT_BUS_NAME = 'helpdesk';
});

describe('putEvents', () => {
  it('puts helpdesk events on the helpdesk bus, ten a call', async () => {
    // Arrange
    bus
      .on(PutEventsCommand)
      .callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) }));

    // Act
    const outcome = await putEvents(entries(23));

    // Assert
    expect(outcome).toEqual({ failed: [], errors: [] });
    const calls = bus.commandCalls(PutEventsCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.Entries!.length)).toEqual([10, 10, 3]);
    expect(calls[0]!.Entries![0]).toMatchObject({ Source: 'helpdesk', DetailType: 'TicketCreated', EventBusName: 'helpdesk' });
  });

  it('puts an entry the bus refused again, on its own, and counts it delivered when the retry takes it', async () => {
    // Arrange: the bus throttles E1 once
    let throttled = false;
    bus.on(PutEventsCommand).callsFake((input: { Entries: { Detail: string }[] }) => ({
      Entries: idsOf(input).map((id) => {
        if (id !== 'E1' || throttled) return { EventId: id };
        throttled = true;
        return { ErrorCode: 'ThrottlingException' };
      }),
    }));

    // Act
    const outcome = await putEvents(entries(3));

    // Assert
    expect(outcome.failed).toEqual([]);
    expect(bus.commandCalls(PutEventsCommand).map((call) => idsOf(call.args[0].input))).toEqual([['E0', 'E1', 'E2'], ['E1']]);
  });

  it('reports the entries the bus still refuses after three attempts, by index', async () => {
    bus.on(PutEventsCommand).callsFake((input: { Entries: { Detail: string }[] }) => ({
      Entries: idsOf(input).map((id) => (id === 'E0' || id === 'E2' ? { ErrorCode: 'InternalFailure' } : { EventId: id })),
    }));
    const outcome = await putEvents(entries(4));
    expect(outcome).toEqual({ failed: [0, 2], errors: [] });
    expect(bus.commandCalls(PutEventsCommand)).toHaveLength(3);
  });

  it('fails the entries of a call that failed outright, with its error, and goes on with the next chunk', async () => {
    // Arrange
    const unreachable = new Error('bus unreachable');
    bus
      .on(PutEventsCommand)
      .rejectsOnce(unreachable)
      .resolves({ Entries: Array.from({ length: 2 }, () => ({ EventId: 'x' })) });

    // Act
    const outcome = await putEvents(entries(12));

    // Assert
    expect(outcome).toEqual({ failed: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], errors: [unreachable] });
  });
});
