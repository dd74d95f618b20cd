// The sweeper: finds work that should have happened by now and did not, and hands it to the same consumers
// again. Every consumer is idempotent on the ticket's state or the event's id (routing assigns once, a mail
// goes once per claim, an event counts once per marker), so a re-drive of work that was only slow does
// nothing. It reads indexes only: the `new` range of the tickets index, the counted-events index of the last
// hours, and the claims and markers of what it found there; it never scans.
//
// Stuck is:
//   routing          a ticket still new and unassigned ROUTING_AFTER_MS after it was filed, while someone in
//                    its team is available (the router would assign it now);
//   acknowledgement  a new ticket whose requester should have had the "received" mail (the notify decision
//                    says so) and whose send claim is not done, EVENTS_AFTER_MS after it was filed;
//   stats            a counted event (statistics fold it) without its marker, EVENTS_AFTER_MS after it.
// Events are looked at for LOOKBACK_MS: past that, the queues' dead-letter queues and their alarms are
// where lost work shows (docs/operations.md).
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { ClaimStore } from '#shared/domain/claims.ts';
import { decideNotification } from '#shared/domain/mail/notify-requester.ts';
import { routableMembers, type StaffDirectory } from '#shared/domain/staff/staff.ts';
import type { Clock, TicketStore } from '#shared/domain/tickets/ports.ts';
import type { TicketEvent, TicketEventType, TicketSummary } from '#shared/domain/tickets/ticket.ts';

/** Past a few routing retries (the routing queue's visibility timeout is a minute). */
export const ROUTING_AFTER_MS = 5 * 60_000;
/** Past the notify queue's retries (five receives, two minutes apart) and the stats queue's. */
export const EVENTS_AFTER_MS = 10 * 60_000;
/** How far back events are looked at, every run (each run overlaps the last: a missed run loses nothing). */
export const LOOKBACK_MS = 2 * 3_600_000;

export const STUCK_KINDS = ['routing', 'acknowledgement', 'stats'] as const;
export type StuckKind = (typeof STUCK_KINDS)[number];

/** Which queue's consumer does each kind of work (shared/events/queues.ts). */
export const QUEUE_OF: Record<StuckKind, 'routing' | 'notify' | 'stats'> = {
  routing: 'routing',
  acknowledgement: 'notify',
  stats: 'stats',
};

/** An event on the counted-events index: where it is, and its type. */
export type EventRef = { ticketId: string; eventId: string; type: TicketEventType };

/** What the sweeper reads: two indexes and the history items they point at. */
export interface StuckWorkStore {
  /** Tickets in status `new` with no assignee, filed at or before `filedBefore` (the tickets index's `new` range). */
  unassignedNewTickets(filedBefore: string): Promise<TicketSummary[]>;
  /** Events the statistics count, written from `from` to `to` (inclusive), oldest first (the counted-events index). */
  countedEvents(from: string, to: string): Promise<EventRef[]>;
  /** The history items these refs point at (those that still exist), in any order. */
  getEvents(refs: EventRef[]): Promise<TicketEvent[]>;
}

/** Puts events back on a consumer's queue, in the envelope the bus would have given them. */
export interface Redriver {
  redrive(queue: 'routing' | 'notify' | 'stats', events: TicketEvent[]): Promise<void>;
}

export type SweepDeps = {
  store: StuckWorkStore;
  tickets: Pick<TicketStore, 'getTicket' | 'listEvents'>;
  staff: StaffDirectory;
  /** The statistics' markers (STATSEVENT#<event id>): done once the event is counted. */
  statsMarkers: Pick<ClaimStore, 'completedAmong'>;
  /** The mails' send claims (NOTIFIED#<event id> for the requester's): done once sent or suppressed. */
  sendClaims: Pick<ClaimStore, 'completedAmong'>;
  redriver: Redriver;
  clock: Clock;
  config: HelpdeskConfig;
};

export type SweepResult = {
  /** Pieces of stuck work found, by kind (every kind named, 0 included). */
  found: Record<StuckKind, number>;
  /** Which tickets, by kind (ids only), for the log. */
  tickets: Record<StuckKind, string[]>;
};

const before = (now: Date, ms: number) => new Date(now.getTime() - ms).toISOString();

/** New, unassigned, past ROUTING_AFTER_MS, in a team someone can take it in: its TicketCreated, to route again. */
const stuckRouting = async (deps: SweepDeps, now: Date): Promise<TicketEvent[]> => {
  const waiting = await deps.store.unassignedNewTickets(before(now, ROUTING_AFTER_MS));
  if (waiting.length === 0) return [];
  const staff = await deps.staff.list();
  const routable = waiting.filter((ticket) => routableMembers(staff, ticket.team).length > 0);
  const created = await Promise.all(routable.map(async (ticket) => (await deps.tickets.listEvents(ticket.id, { limit: 1 })).items[0]));
  return created.filter((event): event is TicketEvent => event?.type === 'TicketCreated');
};

export const sweepStuckWork = async (deps: SweepDeps): Promise<SweepResult> => {
  const now = deps.clock.now();
  const routing = await stuckRouting(deps, now);

  const counted = await deps.store.countedEvents(before(now, LOOKBACK_MS), before(now, EVENTS_AFTER_MS));
  const markers = await deps.statsMarkers.completedAmong(counted.map((ref) => ref.eventId));
  const uncounted = counted.filter((ref) => !markers.has(ref.eventId));
  const filed = counted.filter((ref) => ref.type === 'TicketCreated');
  const claims = await deps.sendClaims.completedAmong(filed.map((ref) => ref.eventId));
  const unsent = filed.filter((ref) => !claims.has(ref.eventId));

  const events = new Map((await deps.store.getEvents([...uncounted, ...unsent])).map((event) => [event.id, event]));
  const stats = uncounted.flatMap((ref) => events.get(ref.eventId) ?? []);
  // An acknowledgement is owed only where the notify consumer would send one (an address, not the desk's own).
  const acknowledgements: TicketEvent[] = [];
  for (const ref of unsent) {
    const event = events.get(ref.eventId);
    const ticket = event && (await deps.tickets.getTicket(ref.ticketId));
    if (event && ticket && decideNotification(event, ticket, deps.config).send) acknowledgements.push(event);
  }

  const stuck: Record<StuckKind, TicketEvent[]> = { routing, acknowledgement: acknowledgements, stats };
  for (const kind of STUCK_KINDS) if (stuck[kind].length > 0) await deps.redriver.redrive(QUEUE_OF[kind], stuck[kind]);
  return {
    found: { routing: routing.length, acknowledgement: acknowledgements.length, stats: stats.length },
    tickets: {
      routing: routing.map((event) => event.ticketId),
      acknowledgement: acknowledgements.map((event) => event.ticketId),
      stats: [...new Set(stats.map((event) => event.ticketId))],
    },
  };
};
