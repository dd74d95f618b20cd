// The sweeper: what counts as stuck (a ticket left unrouted while someone could take it, an acknowledgement
// owed and not sent, an event not counted), what does not (too recent, too old, done, nothing owed), and
// that stuck work goes back to the consumer that should have done it, as the event it missed.
import { describe, expect, it } from 'vitest';
import {
  EVENTS_AFTER_MS,
  LOOKBACK_MS,
  ROUTING_AFTER_MS,
  type SweepDeps,
  sweepStuckWork,
} from '#shared/domain/stuck-work/sweep-stuck-work.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { InMemoryClaimStore } from '#test/fixtures/in-memory-claims.ts';
import { InMemoryStuckWorkStore, RecordingRedriver } from '#test/fixtures/in-memory-stuck-work.ts';
import { anEvent, created } from '#test/fixtures/notifications.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.parse(T0) - ms).toISOString();

let made = 0;
/** An it-support ticket filed `filedAgo` ms before T0, with its TicketCreated (and any later events). */
const filed = (filedAgo: number, overrides: Partial<Ticket> = {}): { ticket: Ticket; created: TicketEvent } => {
  made += 1;
  const ticket = aTicket({ id: `01JSWEEP${String(made).padStart(18, '0')}`, number: made, createdAt: ago(filedAgo), ...overrides });
  return { ticket, created: { ...created(ticket), at: ticket.createdAt } };
};

const sweeper = () => {
  const deps = testDeps({ now: T0 });
  const statsMarkers = new InMemoryClaimStore({ lockSeconds: 0, ttlSeconds: 35 * 86_400 });
  const sendClaims = new InMemoryClaimStore({ lockSeconds: 120, ttlSeconds: 35 * 86_400 });
  const redriver = new RecordingRedriver();
  const sweep: SweepDeps = {
    store: new InMemoryStuckWorkStore(deps.tickets),
    tickets: deps.tickets,
    staff: deps.staff,
    statsMarkers,
    sendClaims,
    redriver,
    clock: deps.clock,
    config: deps.config,
  };
  /** Marks the event done for its consumers: counted, and its mail sent. */
  const done = async (event: TicketEvent, what: ('counted' | 'mailed')[] = ['counted', 'mailed']) => {
    for (const [wanted, claims] of [
      ['counted', statsMarkers],
      ['mailed', sendClaims],
    ] as const)
      if (what.includes(wanted)) await claims.complete(event.id, (await claims.claim(event.id, new Date(event.at)))!);
  };
  return { deps, sweep, redriver, done };
};

describe('sweepStuckWork', () => {
  it('finds nothing in a desk where everything moved, and says so for every kind', async () => {
    // Arrange: a ticket routed, acknowledged and counted long enough ago
    const { deps, sweep, redriver, done } = sweeper();
    const { ticket, created: event } = filed(30 * MINUTE, { status: 'open', assignee: 'ivan' });
    deps.tickets.seed(ticket, [event]);
    await done(event);

    // Act
    const result = await sweepStuckWork(sweep);

    // Assert
    expect(result.found).toEqual({ routing: 0, acknowledgement: 0, stats: 0 });
    expect(redriver.sent).toEqual([]);
  });

  it('routes again a ticket left new and unassigned past a few minutes, when someone in its team is available', async () => {
    // Arrange: one stuck; one too recent; one whose team has nobody available; one taken by hand
    const { deps, sweep, redriver, done } = sweeper();
    const stuck = filed(ROUTING_AFTER_MS + MINUTE);
    const recent = filed(ROUTING_AFTER_MS - MINUTE);
    const nobody = filed(ROUTING_AFTER_MS + MINUTE, { team: 'keuangan', category: 'finance' });
    const taken = filed(ROUTING_AFTER_MS + MINUTE, { status: 'open', assignee: 'ivan' });
    for (const { ticket, created: event } of [stuck, recent, nobody, taken]) {
      deps.tickets.seed(ticket, [event]);
      await done(event);
    }
    for (const member of await deps.staff.list()) if (member.teams.includes('keuangan')) deps.staff.update(member.id, { available: false });

    // Act
    const result = await sweepStuckWork(sweep);

    // Assert: its TicketCreated goes back to the routing queue
    expect(result.found).toEqual({ routing: 1, acknowledgement: 0, stats: 0 });
    expect(result.tickets.routing).toEqual([stuck.ticket.id]);
    expect(redriver.sent).toEqual([{ queue: 'routing', events: [stuck.created] }]);
  });

  it('sends again an acknowledgement owed and not sent, and only where one is owed', async () => {
    // Arrange: Alice's ticket without a send claim; a phone caller's (no address) without one either
    const { deps, sweep, redriver, done } = sweeper();
    const owed = filed(EVENTS_AFTER_MS + MINUTE, { status: 'open', assignee: 'ivan' });
    const noAddress = filed(EVENTS_AFTER_MS + MINUTE, {
      status: 'open',
      assignee: 'ivan',
      requester: { id: 'phone:0812', name: 'Pak Darto', phone: '0812' },
    });
    for (const { ticket, created: event } of [owed, noAddress]) {
      deps.tickets.seed(ticket, [event]);
      await done(event, ['counted']);
    }

    // Act
    const result = await sweepStuckWork(sweep);

    // Assert
    expect(result.found).toEqual({ routing: 0, acknowledgement: 1, stats: 0 });
    expect(redriver.sent).toEqual([{ queue: 'notify', events: [owed.created] }]);
  });

  it('counts again events the statistics missed, in the window between a few minutes and two hours ago', async () => {
    // Arrange: a ticket whose creation was counted but whose assignment was not, and events outside the window
    const { deps, sweep, redriver, done } = sweeper();
    const { ticket, created: event } = filed(EVENTS_AFTER_MS + 5 * MINUTE, { status: 'open', assignee: 'ivan' });
    const missed = anEvent({ type: 'Assigned', data: { from: null, to: 'ivan' } }, { at: ago(EVENTS_AFTER_MS + 4 * MINUTE) }, ticket);
    const internal = anEvent(
      { type: 'CommentAdded', data: { body: 'catatan', visibility: 'internal' } },
      { at: ago(EVENTS_AFTER_MS + 3 * MINUTE) },
      ticket,
    );
    const tooRecent = anEvent(
      { type: 'PriorityChanged', data: { from: 'medium', to: 'high' } },
      { at: ago(EVENTS_AFTER_MS - MINUTE) },
      ticket,
    );
    const old = filed(LOOKBACK_MS + MINUTE, { status: 'open', assignee: 'ivan' });
    deps.tickets.seed(ticket, [event, missed, internal, tooRecent]);
    deps.tickets.seed(old.ticket, [old.created]);
    await done(event);

    // Act
    const result = await sweepStuckWork(sweep);

    // Assert: the assignment goes to the stats queue; the internal note counts nothing and is not looked at
    expect(result.found).toEqual({ routing: 0, acknowledgement: 0, stats: 1 });
    expect(result.tickets.stats).toEqual([ticket.id]);
    expect(redriver.sent).toEqual([{ queue: 'stats', events: [missed] }]);
  });

  it('hands a ticket that missed everything to every consumer it missed', async () => {
    // Arrange: filed a quarter of an hour ago; nothing happened since (the sandbox was stopped with it waiting)
    const { deps, sweep, redriver } = sweeper();
    const { ticket, created: event } = filed(15 * MINUTE);
    deps.tickets.seed(ticket, [event]);

    // Act
    const result = await sweepStuckWork(sweep);

    // Assert
    expect(result.found).toEqual({ routing: 1, acknowledgement: 1, stats: 1 });
    expect(redriver.ticketsSentTo('routing')).toEqual([ticket.id]);
    expect(redriver.ticketsSentTo('notify')).toEqual([ticket.id]);
    expect(redriver.ticketsSentTo('stats')).toEqual([ticket.id]);
  });
});
