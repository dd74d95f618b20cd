// The statistics stores' contract (StatsStore in shared/domain/reports/stats.ts, StatsReader in reports.ts),
// run against the DynamoDB store on DynamoDB Local and against the in-memory fake the unit tests use.
import { beforeEach, describe, expect, it } from 'vitest';
import { createStatsStore } from '#shared/adapters/stats-store.ts';
import { createTicketStore } from '#shared/adapters/ticket-store.ts';
import type { StatsReader } from '#shared/domain/reports/reports.ts';
import type { StatsStore } from '#shared/domain/reports/stats.ts';
import type { TicketStore } from '#shared/domain/tickets/ports.ts';
import { InMemoryStats } from '#test/fixtures/in-memory-stats.ts';
import { InMemoryTicketStore } from '#test/fixtures/in-memory-ticket-stores.ts';
import { aTicket } from '#test/fixtures/tickets.ts';
import { localTable } from './local-table.ts';

type Stores = { stats: StatsStore & StatsReader; tickets: TicketStore };

const implementations: { name: string; make: () => Promise<Stores> }[] = [
  {
    name: 'in memory',
    make: async () => {
      const tickets = new InMemoryTicketStore();
      return { stats: new InMemoryStats(tickets), tickets };
    },
  },
  {
    name: 'DynamoDB',
    make: async () => {
      const { client, table } = await localTable();
      return { stats: createStatsStore(client, table), tickets: createTicketStore(client, table) };
    },
  },
];

const NOW = new Date('2026-03-02T02:00:00.000Z');
const created = {
  date: '2026-03-02',
  keys: ['ALL#total', 'ALL#category#network', 'TEAM#it-support#total'],
  counters: { created: 1, h_frBiz_3: 1 },
};

describe.each(implementations)('the statistics store ($name)', ({ make }) => {
  let stores: Stores;
  beforeEach(async () => {
    stores = await make();
  });

  it('adds an event’s increments to every item of its day, once per event id', async () => {
    // Act
    const first = await stores.stats.applyOnce('E1', created, NOW);
    const replay = await stores.stats.applyOnce('E1', { ...created, counters: { created: 5 } }, NOW);
    const second = await stores.stats.applyOnce('E2', { ...created, counters: { created: 1, resolved: 1 } }, NOW);

    // Assert
    expect([first, replay, second]).toEqual([true, false, true]);
    expect(await stores.stats.readStatsDay('2026-03-02', 'ALL')).toEqual([
      { key: 'category#network', counters: { created: 2, h_frBiz_3: 1, resolved: 1 } },
      { key: 'total', counters: { created: 2, h_frBiz_3: 1, resolved: 1 } },
    ]);
  });

  it('adds several events’ increments and markers in one write, or nothing when one was counted before', async () => {
    // Act
    const together = await stores.stats.applyAllOnce(
      [
        { eventId: 'E1', update: created },
        { eventId: 'E2', update: { ...created, keys: ['ALL#total'], counters: { created: 1, resolved: 1 } } },
      ],
      NOW,
    );
    const withReplay = await stores.stats.applyAllOnce(
      [
        { eventId: 'E3', update: created },
        { eventId: 'E2', update: created },
      ],
      NOW,
    );

    // Assert: the second changed nothing, E3 included (it can still be counted alone)
    expect([together, withReplay]).toEqual([true, false]);
    expect(await stores.stats.readStatsDay('2026-03-02', 'ALL')).toEqual([
      { key: 'category#network', counters: { created: 1, h_frBiz_3: 1 } },
      { key: 'total', counters: { created: 2, h_frBiz_3: 1, resolved: 1 } },
    ]);
    expect(await stores.stats.applyOnce('E3', created, NOW)).toBe(true);
  });

  it('reads one scope of one day only', async () => {
    await stores.stats.applyOnce('E1', created, NOW);
    await stores.stats.applyOnce('E2', { ...created, date: '2026-03-03' }, NOW);
    expect(await stores.stats.readStatsDay('2026-03-02', 'TEAM#it-support')).toEqual([
      { key: 'total', counters: { created: 1, h_frBiz_3: 1 } },
    ]);
    expect(await stores.stats.readStatsDay('2026-03-02', 'TEAM#sarpras')).toEqual([]);
    expect(await stores.stats.readStatsDay('2026-03-04', 'ALL')).toEqual([]);
  });

  it('reads the creation times of the tickets in one status, the desk’s or one team’s, and the ticket itself', async () => {
    // Arrange
    const network = aTicket({ id: '01JSTATS000000000000000001', number: 1, status: 'open', createdAt: '2026-03-01T01:00:00.000Z' });
    const building = aTicket({
      id: '01JSTATS000000000000000002',
      number: 2,
      status: 'open',
      team: 'sarpras',
      createdAt: '2026-03-01T02:00:00.000Z',
    });
    const fresh = aTicket({ id: '01JSTATS000000000000000003', number: 3, createdAt: '2026-03-01T03:00:00.000Z' });
    for (const ticket of [network, building, fresh]) await stores.tickets.createTicket(ticket, []);

    // Act / Assert
    expect((await stores.stats.openTicketCreationTimes('open', undefined)).sort()).toEqual([network.createdAt, building.createdAt]);
    expect(await stores.stats.openTicketCreationTimes('open', 'sarpras')).toEqual([building.createdAt]);
    expect(await stores.stats.openTicketCreationTimes('pending', undefined)).toEqual([]);
    expect(await stores.stats.getTicket(network.id)).toEqual(network);
  });
});
