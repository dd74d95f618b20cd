// Folding ticket events into daily statistics: which items an event adds to, first response and resolution
// in business and wall-clock time from the SLA clocks, replays that change nothing, and the histogram's
// precision.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  bucketOf,
  bucketValue,
  LAST_BUCKET,
  recordStats,
  recordStatsBatch,
  statsKeysOf,
  statsUpdateOf,
} from '#shared/domain/reports/stats.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { admin, alice } from '#test/fixtures/identities.ts';
import { InMemoryStats } from '#test/fixtures/in-memory-stats.ts';
import { HOUR, MINUTE, wibIso } from '#test/fixtures/sla.ts';
import { testConfig } from '#test/fixtures/test-config.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const anEvent = (overrides: Partial<TicketEvent> & Pick<TicketEvent, 'type' | 'data'>): TicketEvent =>
  ({
    id: '01J00000000000000000000E01',
    ticketId: '01HZZZZZZZZZZZZZZZZZZZZZZ1',
    number: 1,
    version: 1,
    at: wibIso('2026-03-02 09:00'),
    actor: { id: 'ivan', role: 'agent' },
    ticket: { status: 'open', priority: 'medium', category: 'network', team: 'it-support', assignee: 'ivan', channel: 'web' },
    ...overrides,
  }) as TicketEvent;

/** Files a ticket and runs the steps through the real services, folding each change's events as a timely consumer would. */
const history = async (
  steps: { at: string; run: (deps: ReturnType<typeof testDeps>, id: string) => Promise<unknown> }[],
  filedAt: string,
) => {
  const deps = testDeps({ now: filedAt });
  const stats = new InMemoryStats(deps.tickets);
  const folded = new Set<string>();
  const fold = async (id: string) => {
    for (const event of deps.tickets.historyOf(id))
      if (!folded.has(event.id)) {
        folded.add(event.id);
        await recordStats({ store: stats, config: testConfig, clock: deps.clock }, event);
      }
  };
  const { ticket } = await createTicket(deps, alice, { subject: 'Wi-Fi di lab mati', description: '', channel: 'web' });
  await fold(ticket.id);
  for (const step of steps) {
    deps.clock.set(step.at);
    await step.run(deps, ticket.id);
    await fold(ticket.id);
  }
  return { deps, stats, id: ticket.id };
};

describe('statistics items of an event', () => {
  it('adds a new ticket to the total and each dimension, in the whole desk and in its team', () => {
    // Arrange
    const event = anEvent({
      type: 'TicketCreated',
      data: {} as never,
      ticket: { status: 'new', priority: 'high', category: 'network', team: 'it-support', assignee: null, channel: 'email' },
    });

    // Act
    const update = statsUpdateOf(event, undefined, testConfig);

    // Assert
    expect(update).toEqual({
      date: '2026-03-02',
      counters: { created: 1 },
      keys: [
        'ALL#total',
        'ALL#category#network',
        'ALL#channel#email',
        'ALL#priority#high',
        'ALL#team#it-support',
        'TEAM#it-support#total',
        'TEAM#it-support#category#network',
        'TEAM#it-support#channel#email',
        'TEAM#it-support#priority#high',
      ],
    });
  });

  it('counts on the local date of the organisation: 23:30 in Jakarta is already the next day in UTC terms only after 17:00 UTC', () => {
    // Arrange: 2026-03-02 23:30 WIB is 16:30 UTC the same date; 2026-03-03 00:30 WIB is 17:30 UTC on the 2nd.
    const late = anEvent({ type: 'TicketCreated', data: {} as never, at: wibIso('2026-03-02 23:30') });
    const afterMidnight = anEvent({ type: 'TicketCreated', data: {} as never, at: wibIso('2026-03-03 00:30') });

    // Act / Assert
    expect(statsUpdateOf(late, undefined, testConfig)?.date).toBe('2026-03-02');
    expect(statsUpdateOf(afterMidnight, undefined, testConfig)?.date).toBe('2026-03-03');
  });

  it('adds the agent dimension once the ticket has an assignee, and keeps every event within 11 items', () => {
    // Arrange
    const snapshot = {
      status: 'open',
      priority: 'low',
      category: 'hardware',
      team: 'it-support',
      assignee: 'iwan',
      channel: 'phone',
    } as const;

    // Act
    const keys = statsKeysOf(snapshot);

    // Assert
    expect(keys).toContain('ALL#agent#iwan');
    expect(keys).toContain('TEAM#it-support#agent#iwan');
    expect(keys).toHaveLength(11);
  });

  it('counts warnings and breaches per clock, reopenings, reassignments and transfers', () => {
    // Arrange
    const cases: [TicketEvent, Record<string, number>][] = [
      [anEvent({ type: 'SlaWarning', data: { clock: 'resolution', dueAt: wibIso('2026-03-02 10:00') } }), { warned_resolution: 1 }],
      [
        anEvent({ type: 'SlaBreached', data: { clock: 'firstResponse', dueAt: wibIso('2026-03-02 10:00') } }),
        { breached_firstResponse: 1 },
      ],
      [anEvent({ type: 'StatusChanged', data: { from: 'resolved', to: 'open' } }), { reopened: 1 }],
      [anEvent({ type: 'Assigned', data: { from: 'ivan', to: 'iwan' } }), { reassigned: 1 }],
      [anEvent({ type: 'Assigned', data: { from: null, to: 'iwan' } }), { assigned: 1 }],
      [anEvent({ type: 'TeamChanged', data: { from: 'helpdesk', to: 'it-support' } }), { transferred: 1 }],
      [anEvent({ type: 'PriorityChanged', data: { from: 'low', to: 'high' } }), { reprioritised: 1 }],
      [anEvent({ type: 'CategoryChanged', data: { from: 'other', to: 'network' } }), { recategorised: 1 }],
    ];

    // Act / Assert
    for (const [event, counters] of cases) expect(statsUpdateOf(event, undefined, testConfig)?.counters).toEqual(counters);
  });

  it('counts nothing for an internal note, a requester’s comment, or a status change that is not a resolution or a reopening', () => {
    // Arrange
    const events = [
      anEvent({ type: 'CommentAdded', data: { body: 'catatan', visibility: 'internal' } }),
      anEvent({ type: 'CommentAdded', data: { body: 'halo', visibility: 'public' }, actor: { id: 'user-alice', role: 'requester' } }),
      anEvent({ type: 'StatusChanged', data: { from: 'open', to: 'pending' } }),
    ];

    // Act / Assert
    for (const event of events) expect(statsUpdateOf(event, aTicket(), testConfig)).toBeUndefined();
  });
});

describe('first response and resolution', () => {
  it('takes business time from the SLA clock and wall-clock time from the creation: Friday 15:00 to Monday 09:00 is 2 business hours', async () => {
    // Arrange / Act: filed Friday 6 March 2026 15:00 WIB, answered Monday 09:00, resolved Monday 11:00.
    const { stats } = await history(
      [
        { at: wibIso('2026-03-09 09:00'), run: (deps, id) => addComment(deps, admin, id, { body: 'Kami cek.', visibility: 'public' }) },
        { at: wibIso('2026-03-09 11:00'), run: (deps, id) => updateTicket(deps, admin, id, { status: 'resolved' }) },
      ],
      wibIso('2026-03-06 15:00'),
    );

    // Assert
    const monday = stats.item('2026-03-09', 'ALL#total')!;
    expect(monday).toMatchObject({
      frBizCount: 1,
      frBizSum: 2 * HOUR,
      frWallCount: 1,
      frWallSum: 66 * HOUR,
      frMet: 1,
      resolved: 1,
      resBizSum: 4 * HOUR,
      resWallSum: 68 * HOUR,
      resMet: 1,
      publicReplies: 1,
    });
    expect(stats.item('2026-03-06', 'ALL#total')).toMatchObject({ created: 1 });
  });

  it('takes the first response only once: a second reply counts as a reply, not as a first response', async () => {
    // Arrange / Act
    const { stats } = await history(
      [
        { at: wibIso('2026-03-02 10:00'), run: (deps, id) => addComment(deps, admin, id, { body: 'Satu.', visibility: 'public' }) },
        { at: wibIso('2026-03-02 11:00'), run: (deps, id) => addComment(deps, admin, id, { body: 'Dua.', visibility: 'public' }) },
      ],
      wibIso('2026-03-02 09:00'),
    );

    // Assert
    expect(stats.item('2026-03-02', 'ALL#total')).toMatchObject({ publicReplies: 2, frBizCount: 1, frBizSum: HOUR });
  });

  it('leaves the pending time out of the business time, but not out of the wall-clock time', async () => {
    // Arrange / Act: 09:00 filed, 10:00 reply and pending, 13:00 the requester answers (open), 14:00 resolved.
    const { stats } = await history(
      [
        {
          at: wibIso('2026-03-02 10:00'),
          run: (deps, id) => addComment(deps, admin, id, { body: 'Nomor ruangnya?', visibility: 'public' }),
        },
        { at: wibIso('2026-03-02 10:00'), run: (deps, id) => updateTicket(deps, admin, id, { status: 'pending' }) },
        { at: wibIso('2026-03-02 13:00'), run: (deps, id) => addComment(deps, alice, id, { body: 'Lab 2.', visibility: 'public' }) },
        { at: wibIso('2026-03-02 14:00'), run: (deps, id) => updateTicket(deps, admin, id, { status: 'resolved' }) },
      ],
      wibIso('2026-03-02 09:00'),
    );

    // Assert
    expect(stats.item('2026-03-02', 'ALL#total')).toMatchObject({ resBizSum: 2 * HOUR, resWallSum: 5 * HOUR });
  });

  it('marks a target missed when the clock used more than its target, even before the SLA check recorded a breach', async () => {
    // Arrange / Act: medium first response is 4 business hours; answered after 5.
    const { stats } = await history(
      [{ at: wibIso('2026-03-02 13:00'), run: (deps, id) => addComment(deps, admin, id, { body: 'Maaf lama.', visibility: 'public' }) }],
      wibIso('2026-03-02 08:00'),
    );

    // Assert
    expect(stats.item('2026-03-02', 'ALL#total')).toMatchObject({ frMissed: 1 });
    expect(stats.item('2026-03-02', 'ALL#total')?.frMet).toBeUndefined();
  });

  it('counts a resolution whose ticket was reopened since without a business time, rather than guess one', () => {
    // Arrange: the ticket was resolved at 10:00 and reopened at 11:00; its resolution clock runs again.
    const resolvedAt = wibIso('2026-03-02 10:00');
    const ticket: Ticket = aTicket({
      status: 'open',
      createdAt: wibIso('2026-03-02 09:00'),
      sla: {
        policy: 'medium',
        calendar: 'business',
        clocks: { resolution: { targetMs: 24 * HOUR, elapsedMs: HOUR, runningSince: wibIso('2026-03-02 11:00') } },
      },
    });
    const event = anEvent({ type: 'StatusChanged', data: { from: 'open', to: 'resolved' }, at: resolvedAt });

    // Act
    const update = statsUpdateOf(event, ticket, testConfig);

    // Assert
    expect(update?.counters).toMatchObject({ resolved: 1, resWallCount: 1, resWallSum: HOUR });
    expect(update?.counters.resBizCount).toBeUndefined();
  });
});

describe('replays', () => {
  it('changes nothing when the same event is delivered again', async () => {
    // Arrange
    const { stats, deps, id } = await history(
      [{ at: wibIso('2026-03-02 10:00'), run: (d, ticketId) => addComment(d, admin, ticketId, { body: 'Oke.', visibility: 'public' }) }],
      wibIso('2026-03-02 09:00'),
    );
    const before = structuredClone([...stats.days.entries()].map(([date, items]) => [date, [...items.entries()]]));

    // Act
    const results = [];
    for (const event of deps.tickets.historyOf(id))
      results.push(await recordStats({ store: stats, config: testConfig, clock: deps.clock }, event));

    // Assert
    expect(results.map((result) => result.outcome)).toEqual(['duplicate', 'duplicate']);
    expect([...stats.days.entries()].map(([date, items]) => [date, [...items.entries()]])).toEqual(before);
  });

  it('reads the ticket only for the events that need its clocks', async () => {
    // Arrange
    const deps = testDeps();
    const stats = new InMemoryStats(deps.tickets);
    const events = [
      anEvent({ type: 'TicketCreated', data: {} as never }),
      anEvent({
        id: '01J00000000000000000000E02',
        type: 'SlaWarning',
        data: { clock: 'firstResponse', dueAt: wibIso('2026-03-02 10:00') },
      }),
    ];

    // Act
    for (const event of events) await recordStats({ store: stats, config: testConfig, clock: deps.clock }, event);

    // Assert
    expect(stats.ticketReads).toEqual([]);
  });
});

describe('a batch of events', () => {
  const created = (n: number, team = 'it-support') =>
    anEvent({
      id: `01J00000000000000000000C${String(n).padStart(2, '0')}`,
      ticketId: `01HZZZZZZZZZZZZZZZZZZZZZ${String(n).padStart(2, '0')}`,
      type: 'TicketCreated',
      data: {} as never,
      ticket: { status: 'new', priority: 'medium', category: 'network', team, assignee: null, channel: 'web' },
    });

  it('counts a burst’s events in one write, with the same counters as one by one', async () => {
    // Arrange
    const deps = testDeps();
    const together = new InMemoryStats(deps.tickets);
    const alone = new InMemoryStats(deps.tickets);
    const oneWrite = vi.spyOn(together, 'applyAllOnce');
    const events = [created(1), created(2), created(3, 'sarpras')];

    // Act
    const results = await recordStatsBatch({ store: together, config: testConfig, clock: deps.clock }, events);
    for (const event of events) await recordStats({ store: alone, config: testConfig, clock: deps.clock }, event);

    // Assert: all counted, by the one write
    expect(results.map((result) => result.status === 'fulfilled' && result.value.outcome)).toEqual(['counted', 'counted', 'counted']);
    expect(oneWrite).toHaveBeenCalledTimes(1);
    await expect(oneWrite.mock.results[0]!.value).resolves.toBe(true);
    expect(together.days).toEqual(alone.days);
    expect(await together.readStatsDay('2026-03-02', 'ALL')).toContainEqual({ key: 'total', counters: { created: 3 } });
  });

  it('counts one by one when an event of the batch was counted before, and tells the replay apart', async () => {
    // Arrange: event 2 was counted by an earlier delivery
    const deps = testDeps();
    const stats = new InMemoryStats(deps.tickets);
    await recordStats({ store: stats, config: testConfig, clock: deps.clock }, created(2));
    const together = vi.spyOn(stats, 'applyAllOnce');

    // Act
    const results = await recordStatsBatch({ store: stats, config: testConfig, clock: deps.clock }, [created(1), created(2), created(3)]);

    // Assert
    await expect(together.mock.results[0]!.value).resolves.toBe(false);
    expect(results.map((result) => result.status === 'fulfilled' && result.value.outcome)).toEqual(['counted', 'duplicate', 'counted']);
    expect(await stats.readStatsDay('2026-03-02', 'ALL')).toContainEqual({ key: 'total', counters: { created: 3 } });
  });

  it('settles each event on its own when reading its ticket fails', async () => {
    // Arrange: a resolution needs its ticket's clocks; the read fails
    const deps = testDeps();
    const stats = new InMemoryStats(deps.tickets);
    stats.getTicket = async () => {
      throw new Error('throttled');
    };
    const resolved = anEvent({ id: '01J00000000000000000000R01', type: 'StatusChanged', data: { from: 'open', to: 'resolved' } as never });

    // Act
    const results = await recordStatsBatch({ store: stats, config: testConfig, clock: deps.clock }, [created(1), resolved, created(3)]);

    // Assert
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stats.readStatsDay('2026-03-02', 'ALL')).toContainEqual({ key: 'total', counters: { created: 2 } });
  });
});

describe('duration histogram', () => {
  it('reads any duration of a minute or more back within 4.5%', () => {
    fc.assert(
      fc.property(fc.integer({ min: MINUTE, max: 100 * 24 * HOUR }), (ms) => {
        const estimate = bucketValue(bucketOf(ms));
        expect(Math.abs(estimate - ms) / ms).toBeLessThanOrEqual(0.045);
      }),
    );
  });

  it('keeps everything under a minute in one bucket and very long durations in the last one, so an item stays bounded', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(59_999)).toBe(0);
    expect(bucketOf(400 * 24 * HOUR)).toBe(LAST_BUCKET);
  });
});
