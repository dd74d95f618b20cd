// Daily statistics folded from ticket events. Each event becomes one set of counter increments, added to a
// bounded number of counter items of its local date (the organisation's zone):
//
//   STATS#<yyyy-mm-dd> / ALL#total                         everything
//   STATS#<yyyy-mm-dd> / ALL#<dimension>#<value>           category, channel, team, priority, agent
//   STATS#<yyyy-mm-dd> / TEAM#<team>#total                 the same facts within the team that held the
//   STATS#<yyyy-mm-dd> / TEAM#<team>#<dimension>#<value>   ticket (so a team's report is one prefix Query)
//
// and, for a ticket with tags or report fields (list values the configuration marks `report`):
//   STATS#<yyyy-mm-dd> / ALL#field.<id>#<value>, TEAM#<team>#field.<id>#<value>   a dimension like category
//   STATS#<yyyy-mm-dd> / TAG#<tag>#total, FIELD#<id>#<value>#total                 a report filter's figures
// At most 11 items per event without them (6 in ALL, 5 in the team), 3 more per report field and 1 per tag
// (at most 20 tags), and 2 more for a rating with a comment (it also marks the ticket in both scopes): far
// under the 100 of one transaction. Durations are
// kept as sums (exact means) and as log-scale histograms (medians and p90 within ±4.5%): a sum cannot give
// a percentile, and a list of durations would grow with the day's volume; the histogram's size is bounded
// by its bucket count whatever the volume (docs/decisions.md).
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { csatCounters } from '#shared/domain/csat/csat.ts';
import { isoDate, localDateOf } from '#shared/domain/sla/business-calendar.ts';
import type { SlaClock } from '#shared/domain/sla/sla.ts';
import type { Ticket, TicketEvent, TicketSnapshot } from '#shared/domain/tickets/ticket.ts';

/** Counter name → increment. Names are attribute names of the counter items. */
export type StatsCounters = Record<string, number>;

export type StatsUpdate = { date: string; keys: string[]; counters: StatsCounters };

// Durations: `fr` first response, `res` resolution; `Biz` business time (the SLA clock's calendar), `Wall`
// wall-clock time from the ticket's creation.
export const DURATIONS = ['frBiz', 'frWall', 'resBiz', 'resWall'] as const;
export type DurationName = (typeof DURATIONS)[number];

// Histogram: bucket 0 holds [0, 1 min); bucket b ≥ 1 holds [1 min · 2^((b-1)/8), 1 min · 2^(b/8)); the last
// bucket also holds everything longer (2^18 minutes, about 182 days, and more). Eight buckets per doubling: a value read
// back as its bucket's geometric middle is within 2^(1/16) - 1 ≈ 4.4% of the truth.
const BASE_MS = 60_000;
const PER_DOUBLING = 8;
export const LAST_BUCKET = 1 + PER_DOUBLING * 18;

export const bucketOf = (ms: number): number => {
  if (!(ms >= BASE_MS)) return 0;
  return Math.min(LAST_BUCKET, 1 + Math.floor(PER_DOUBLING * Math.log2(ms / BASE_MS)));
};

/** The value a bucket stands for: its geometric middle (bucket 0: half a minute). */
export const bucketValue = (bucket: number): number => (bucket === 0 ? BASE_MS / 2 : BASE_MS * 2 ** ((bucket - 0.5) / PER_DOUBLING));

export const histogramCounter = (duration: DurationName, bucket: number) => `h_${duration}_${bucket}`;
const HISTOGRAM_COUNTER = /^h_(frBiz|frWall|resBiz|resWall)_(\d+)$/;
export const parseHistogramCounter = (name: string): { duration: DurationName; bucket: number } | undefined => {
  const match = HISTOGRAM_COUNTER.exec(name);
  return match ? { duration: match[1] as DurationName, bucket: Number(match[2]) } : undefined;
};

const addDuration = (counters: StatsCounters, duration: DurationName, ms: number) => {
  const value = Math.max(0, Math.round(ms));
  counters[`${duration}Count`] = 1;
  counters[`${duration}Sum`] = value;
  counters[histogramCounter(duration, bucketOf(value))] = 1;
};

/** The local date ("YYYY-MM-DD") of an instant in the organisation's zone. */
export const localDate = (instant: string | number, timeZone: string): string =>
  isoDate(localDateOf(typeof instant === 'number' ? instant : Date.parse(instant), timeZone));

/** The events whose facts are counted; the bus rule sends exactly these to the stats queue. */
export const STATS_EVENT_TYPES = [
  'TicketCreated',
  'StatusChanged',
  'PriorityChanged',
  'CategoryChanged',
  'TeamChanged',
  'Assigned',
  'CommentAdded',
  'SlaWarning',
  'SlaBreached',
  'CsatRated',
  'TagsChanged',
  'FieldsChanged',
] as const;

const isStaffPublicReply = (event: TicketEvent) =>
  event.type === 'CommentAdded' && event.data.visibility === 'public' && event.actor.role !== 'requester';

/** Whether folding this event needs the ticket as stored (its SLA clocks and creation time). */
export const needsTicket = (event: TicketEvent): boolean =>
  isStaffPublicReply(event) || (event.type === 'StatusChanged' && event.data.to === 'resolved');

/** A clock that stopped in this very change: its business time is the ticket's own record of it. */
const stoppedBy = (clock: SlaClock | undefined, event: TicketEvent): SlaClock | undefined =>
  clock?.stoppedAt !== undefined && Date.parse(clock.stoppedAt) === Date.parse(event.at) ? clock : undefined;

const met = (clock: SlaClock) => !clock.breachedAt && clock.elapsedMs <= clock.targetMs;

/**
 * First response, from the SLA clock: it stops at the first public reply by staff, or at resolution when
 * nobody replied. The clock never restarts, so once stopped its record is final and exact.
 */
const firstResponse = (counters: StatsCounters, event: TicketEvent, ticket: Ticket) => {
  const clock = stoppedBy(ticket.sla?.clocks.firstResponse, event);
  if (!clock) return;
  addDuration(counters, 'frWall', Date.parse(event.at) - Date.parse(ticket.createdAt));
  addDuration(counters, 'frBiz', clock.elapsedMs);
  counters[met(clock) ? 'frMet' : 'frMissed'] = 1;
};

/**
 * A resolution. Wall-clock time is always known; business time only while the ticket's resolution clock
 * still shows this stop (a ticket reopened before the event was counted has resumed its clock). Then the
 * resolution counts, its business time does not (`resBizCount` < `resolved`), rather than a guess.
 */
const resolution = (counters: StatsCounters, event: TicketEvent, ticket: Ticket) => {
  counters.resolved = 1;
  addDuration(counters, 'resWall', Date.parse(event.at) - Date.parse(ticket.createdAt));
  const clock = stoppedBy(ticket.sla?.clocks.resolution, event);
  if (!clock) return;
  addDuration(counters, 'resBiz', clock.elapsedMs);
  counters[met(clock) ? 'resMet' : 'resMissed'] = 1;
};

/**
 * The counter increments one event contributes, or undefined when it counts nothing. `ticket` is the
 * ticket as stored now (needed only when `needsTicket(event)`); a ticket deleted since counts its event
 * without durations.
 */
export const statsCountersOf = (event: TicketEvent, ticket: Ticket | undefined): StatsCounters | undefined => {
  const counters: StatsCounters = {};
  switch (event.type) {
    case 'TicketCreated':
      counters.created = 1;
      break;
    case 'StatusChanged':
      if (event.data.to === 'resolved') {
        if (ticket) {
          resolution(counters, event, ticket);
          firstResponse(counters, event, ticket);
        } else counters.resolved = 1;
      }
      if (event.data.from === 'resolved' && event.data.to === 'open') counters.reopened = 1;
      break;
    case 'PriorityChanged':
      counters.reprioritised = 1;
      break;
    case 'CategoryChanged':
      counters.recategorised = 1;
      break;
    case 'TeamChanged':
      counters.transferred = 1;
      break;
    case 'Assigned':
      if (event.data.from !== null && event.data.to !== null) counters.reassigned = 1;
      else if (event.data.to !== null) counters.assigned = 1;
      break;
    case 'CommentAdded':
      if (isStaffPublicReply(event)) {
        counters.publicReplies = 1;
        if (ticket) firstResponse(counters, event, ticket);
      }
      break;
    case 'SlaWarning':
      counters[`warned_${event.data.clock}`] = 1;
      break;
    case 'SlaBreached':
      counters[`breached_${event.data.clock}`] = 1;
      break;
    case 'CsatRated':
      Object.assign(counters, csatCounters(event.data.rating, event.data.previous));
      break;
    // A ticket entering a tag's or a report field value's figures counts as new there (statsUpdateOf picks the items).
    case 'TagsChanged':
      if (event.data.added.length > 0) counters.created = 1;
      break;
    case 'FieldsChanged':
      if (enteredValues(event).length > 0) counters.created = 1;
      break;
    default:
      break;
  }
  return Object.keys(counters).length > 0 ? counters : undefined;
};

/** A report field's dimension: `field.<id>` (only list fields marked `report` reach the snapshot). */
export const fieldDimension = (field: string) => `field.${field}`;

/** Whether the statistics count this event at all (the ticket only adds durations, never decides it). */
export const isCounted = (event: TicketEvent): boolean => statsCountersOf(event, undefined) !== undefined;

const dimensionValues = (snapshot: TicketSnapshot): [string, string][] => {
  const values: [string, string][] = [
    ['category', snapshot.category],
    ['channel', snapshot.channel],
    ['priority', snapshot.priority],
  ];
  if (snapshot.assignee) values.push(['agent', snapshot.assignee]);
  for (const [field, value] of Object.entries(snapshot.fields ?? {})) values.push([fieldDimension(field), String(value)]);
  return values;
};

export const ALL_SCOPE = 'ALL';
/** The key part of a rated ticket's comment mark (`<scope>#csatcomment#<ticket id>`). */
export const CSAT_COMMENT = 'csatcomment';
export const teamScope = (team: string) => `TEAM#${team}`;
/** The figures of the tickets carrying one tag, or one value of a report field: a report filter (reports.ts). */
export const tagScope = (tag: string) => `TAG#${tag}`;
export const fieldScope = (field: string, value: string) => `FIELD#${field}#${value}`;

/** Report field values a FieldsChanged event gave the ticket (the snapshot holds the report fields only). */
const enteredValues = (event: TicketEvent): [string, string][] =>
  event.type === 'FieldsChanged'
    ? event.data.changes.flatMap((change) =>
        change.to !== null && event.ticket.fields?.[change.field] !== undefined
          ? [[change.field, String(change.to)] as [string, string]]
          : [],
      )
    : [];

/**
 * The counter items an event adds to, by sort key: the total and each dimension's value in the whole desk
 * and within the ticket's team, as the event left the ticket (a resolution counts for the team and agent
 * that resolved it; a new ticket for the category it was filed in).
 */
export const statsKeysOf = (snapshot: TicketSnapshot): string[] => {
  const dimensions = dimensionValues(snapshot);
  const team = teamScope(snapshot.team);
  return [
    `${ALL_SCOPE}#total`,
    ...dimensions.map(([dimension, value]) => `${ALL_SCOPE}#${dimension}#${value}`),
    `${ALL_SCOPE}#team#${snapshot.team}`,
    `${team}#total`,
    ...dimensions.map(([dimension, value]) => `${team}#${dimension}#${value}`),
    ...(snapshot.tags ?? []).map((tag) => `${tagScope(tag)}#total`),
    ...Object.entries(snapshot.fields ?? {}).map(([field, value]) => `${fieldScope(field, String(value))}#total`),
  ];
};

/** A tag added, a report field given a value: the items that ticket now counts in, and nothing else. */
const enteredKeys = (event: TicketEvent): string[] | undefined => {
  if (event.type === 'TagsChanged') return event.data.added.map((tag) => `${tagScope(tag)}#total`);
  if (event.type !== 'FieldsChanged') return undefined;
  return enteredValues(event).flatMap(([field, value]) => [
    `${ALL_SCOPE}#${fieldDimension(field)}#${value}`,
    `${teamScope(event.ticket.team)}#${fieldDimension(field)}#${value}`,
    `${fieldScope(field, value)}#total`,
  ]);
};

/** The whole fold of one event: which date, which items, which increments; undefined if nothing counts. */
export const statsUpdateOf = (
  event: TicketEvent,
  ticket: Ticket | undefined,
  config: Pick<HelpdeskConfig, 'organisation'>,
): StatsUpdate | undefined => {
  const counters = statsCountersOf(event, ticket);
  if (!counters) return undefined;
  // A vote counts on the date of the resolution it rates (a replacement too), so that the responses and the
  // resolutions of a range are the same tickets' and the response rate is their ratio.
  const at = event.type === 'CsatRated' ? event.data.resolvedAt : event.at;
  const keys = enteredKeys(event) ?? statsKeysOf(event.ticket);
  // A vote with words also marks the ticket (not the words: they stay on the ticket, where erasure finds
  // them) on that date, so the report can show a range's comments without reading every ticket.
  if (event.type === 'CsatRated' && event.data.comment)
    keys.push(`${ALL_SCOPE}#${CSAT_COMMENT}#${event.ticketId}`, `${teamScope(event.ticket.team)}#${CSAT_COMMENT}#${event.ticketId}`);
  return { date: localDate(at, config.organisation.timeZone), keys, counters };
};

// ── The consumer's service and its port ────────────────────────────────────────────────────────────────

export interface StatsStore {
  getTicket(id: string): Promise<Ticket | undefined>;
  /**
   * Adds the increments to every item, and records the event as counted, all at once; returns false (and
   * changes nothing) when the event was counted before.
   */
  applyOnce(eventId: string, update: StatsUpdate, now: Date): Promise<boolean>;
  /**
   * The same for several events in one write: every event's increments and every marker, or nothing. False
   * (nothing changed) when any of them was counted before, or the write could not be made whole (too many
   * items, a concurrent write to one of them): the caller then applies them one by one.
   */
  applyAllOnce(entries: { eventId: string; update: StatsUpdate }[], now: Date): Promise<boolean>;
}

/** `counters`: what the event added (its durations among them), for the consumer's metrics. */
export type RecordStatsResult =
  | { outcome: 'counted'; items: number; counters: StatsCounters }
  | { outcome: 'duplicate' }
  | { outcome: 'ignored' };

type StatsDeps = { store: StatsStore; config: Pick<HelpdeskConfig, 'organisation'>; clock: { now(): Date } };

export const recordStats = async (deps: StatsDeps, event: TicketEvent): Promise<RecordStatsResult> => {
  const ticket = needsTicket(event) ? await deps.store.getTicket(event.ticketId) : undefined;
  const update = statsUpdateOf(event, ticket, deps.config);
  if (!update) return { outcome: 'ignored' };
  const applied = await deps.store.applyOnce(event.id, update, deps.clock.now());
  return applied ? { outcome: 'counted', items: update.keys.length, counters: update.counters } : { outcome: 'duplicate' };
};

/**
 * A batch of events, each settling on its own: counted together in one write when they can be (a burst's
 * events mostly add to the same few items of the day), else one by one as `recordStats` does.
 */
export const recordStatsBatch = async (deps: StatsDeps, events: TicketEvent[]): Promise<PromiseSettledResult<RecordStatsResult>[]> => {
  const prepared = await Promise.allSettled(
    events.map(async (event) => {
      const ticket = needsTicket(event) ? await deps.store.getTicket(event.ticketId) : undefined;
      return statsUpdateOf(event, ticket, deps.config);
    }),
  );
  const countable = prepared.flatMap((result, index) =>
    result.status === 'fulfilled' && result.value ? [{ eventId: events[index]!.id, update: result.value }] : [],
  );
  const distinct = new Set(countable.map((entry) => entry.eventId)).size === countable.length;
  const together = countable.length > 1 && distinct && (await deps.store.applyAllOnce(countable, deps.clock.now()));
  const results: PromiseSettledResult<RecordStatsResult>[] = [];
  for (const [index, result] of prepared.entries()) {
    if (result.status === 'rejected') {
      results.push(result);
      continue;
    }
    const update = result.value;
    if (!update) {
      results.push({ status: 'fulfilled', value: { outcome: 'ignored' } });
      continue;
    }
    const counted: RecordStatsResult = { outcome: 'counted', items: update.keys.length, counters: update.counters };
    if (together) {
      results.push({ status: 'fulfilled', value: counted });
      continue;
    }
    try {
      const applied = await deps.store.applyOnce(events[index]!.id, update, deps.clock.now());
      results.push({ status: 'fulfilled', value: applied ? counted : { outcome: 'duplicate' } });
    } catch (reason) {
      results.push({ status: 'rejected', reason });
    }
  }
  return results;
};
