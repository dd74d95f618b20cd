// The summary report for leads and administrators: folded from the daily statistics items of the range
// (one Query per local date, bounded to 366 days) and the current backlog (one Query per working status on
// the queue index). Nothing scans, and nothing here reads a ticket's history.

import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { PRIORITIES } from '#shared/config/config-values.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { PERMISSIONS } from '#shared/domain/access/permissions.ts';
import { callerOf } from '#shared/domain/access/ticket-access.ts';
import { forbidden, notFound, validationError } from '#shared/domain/errors.ts';
import { KB_STATS_KEY } from '#shared/domain/kb/ports.ts';
import { ERASED } from '#shared/domain/privacy/erase-requester.ts';
import { type Ticket, tagSchema } from '#shared/domain/tickets/ticket.ts';
import type { Status } from '#shared/domain/tickets/ticket-status.ts';
import * as z from '#shared/domain/zod.ts';
import {
  ALL_SCOPE,
  bucketValue,
  CSAT_COMMENT,
  type DurationName,
  fieldDimension,
  fieldScope,
  parseHistogramCounter,
  type StatsCounters,
  tagScope,
  teamScope,
} from './stats.ts';

export const MAX_REPORT_DAYS = 366;

const isRealDate = (value: string) => {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

export const localDateSchema = /* @__PURE__ */ z.schema(() =>
  z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'), z.refine(isRealDate, 'must be a date that exists')),
);

export const reportQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    /** First local date of the range (the organisation's time zone), inclusive. */
    from: localDateSchema,
    /** Last local date of the range, inclusive. */
    to: localDateSchema,
    team: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    /** The tickets carrying one tag (one of team, tag and field at a time). */
    tag: z.optional(tagSchema),
    /** The tickets with one value of a report field, as `<field>:<value>` (`ruang:lab-komputer-1`). */
    field: z.optional(
      z
        .string()
        .check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}:[a-z0-9][a-z0-9-]{0,39}$/, 'must be <field>:<value>, such as ruang:lab-komputer-1')),
    ),
  }),
);
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export type StatsRow = { key: string; counters: StatsCounters };

/** What the report reads: the statistics items and the open tickets' ages. */
export interface StatsReader {
  /** The counter items of one local date in one scope (`ALL` or `TEAM#<team>`), keys without the scope. */
  readStatsDay(date: string, scope: string): Promise<StatsRow[]>;
  /** Creation instants of the tickets in one status, the whole desk's or one team's. */
  openTicketCreationTimes(status: Status, team: string | undefined): Promise<string[]>;
  /** One ticket (the words of a satisfaction comment stay on the ticket: the report reads them there). */
  getTicket(id: string): Promise<Ticket | undefined>;
}

export const BACKLOG_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const satisfies readonly Status[];
const DAY = 86_400_000;
/** Age bands of the backlog, by wall-clock age: [label, upper bound in days (exclusive)]. */
export const AGE_BANDS: readonly [string, number][] = [
  ['<1d', 1],
  ['1-3d', 3],
  ['3-7d', 7],
  ['7-14d', 14],
  ['14-30d', 30],
  ['>=30d', Infinity],
];

/** How long, in bands a person reads at a glance: the upper bound of each, in minutes (the last is open). */
export const DURATION_BANDS: readonly [string, number][] = [
  ['<15m', 15],
  ['15m-1h', 60],
  ['1-4h', 240],
  ['4-8h', 480],
  ['8-24h', 1440],
  ['1-3d', 4320],
  ['>=3d', Infinity],
];

export type DurationStats = {
  count: number;
  meanMs: number | null;
  medianMs: number | null;
  p90Ms: number | null;
  /** The distribution by band (DURATION_BANDS), each histogram bucket counted in the band of its middle value. */
  bands: Record<string, number>;
};
export type Compliance = { met: number; missed: number; compliance: number | null };

export type SummaryReport = {
  from: string;
  to: string;
  days: number;
  team: string | null;
  /** The filter on a tag or on a report field's value (`ruang:lab-komputer-1`), if any. */
  tag: string | null;
  field: string | null;
  timeZone: string;
  generatedAt: string;
  volume: {
    total: number;
    /** Each local date of the range: new tickets and resolutions. */
    byDay: { date: string; created: number; resolved: number }[];
    byCategory: Record<string, number>;
    byChannel: Record<string, number>;
    byTeam: Record<string, number>;
    byPriority: Record<string, number>;
    /** Per report field (the configuration's list fields marked `report`): tickets by value. */
    byField: Record<string, Record<string, number>>;
  };
  firstResponse: { business: DurationStats; wallClock: DurationStats };
  resolution: { resolved: number; business: DurationStats; wallClock: DurationStats };
  sla: {
    firstResponse: Compliance;
    resolution: Compliance;
    warnings: Record<string, number>;
    breaches: Record<string, number>;
    /** Compliance and breaches of each priority (the priority as the clock's stop or the breach left it). */
    byPriority: Record<string, { firstResponse: Compliance; resolution: Compliance; breaches: number }>;
  };
  /** As of now; null for a tag or field filter (the queue indexes cannot count by tag or field). */
  backlog: { asOf: string; total: number; byStatus: Record<string, number>; byAge: Record<string, number> } | null;
  reopen: { reopened: number; resolved: number; rate: number | null };
  dominantCategories: { category: string; tickets: number; share: number }[];
  csat: {
    mean: number | null;
    responses: number;
    responseRate: number | null;
    byRating: Record<string, number>;
    /** The latest comments of the range's rated resolutions (at most CSAT_COMMENTS), newest resolution date first. */
    comments: CsatComment[];
  };
  /** The desk's knowledge base (null in a team's report: suggestions and chats belong to no team). */
  knowledgeBase: KnowledgeBaseFigures | null;
};

export type CsatComment = { ticketId: string; number: number; rating: number; comment: string; resolvedAt: string; category: string };
/** Comments shown with a report: the newest ones, each one ticket read. */
export const CSAT_COMMENTS = 20;

export type KnowledgeBaseFigures = {
  /** The new-request form: suggestions shown, articles opened from them, requests withdrawn after reading. */
  deflection: { suggestionsShown: number; articlesOpened: number; requestsWithdrawn: number; rate: number | null };
  /** The answer bot: conversations, questions answered from an article, handoffs offered, tickets opened. */
  chat: { conversations: number; messages: number; answered: number; handoffs: number; tickets: number; answerRate: number | null };
};

/** Deflection rate: requests withdrawn after reading ÷ forms that were shown suggestions; answer rate: answered ÷ (answered + handed off). */
export const knowledgeBaseOf = (kb: StatsCounters): KnowledgeBaseFigures => {
  const count = (name: string) => kb[name] ?? 0;
  const shown = count('kbSuggestionsShown');
  const answered = count('chatAnswers');
  const handoffs = count('chatHandoffs');
  return {
    deflection: {
      suggestionsShown: shown,
      articlesOpened: count('kbArticlesOpened'),
      requestsWithdrawn: count('kbRequestsWithdrawn'),
      rate: shown > 0 ? count('kbRequestsWithdrawn') / shown : null,
    },
    chat: {
      conversations: count('chatConversations'),
      messages: count('chatMessages'),
      answered,
      handoffs,
      tickets: count('chatTickets'),
      answerRate: answered + handoffs > 0 ? answered / (answered + handoffs) : null,
    },
  };
};

/** Every local date from `from` to `to` inclusive. */
export const datesBetween = (from: string, to: string): string[] => {
  const dates: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += DAY)
    dates.push(new Date(at).toISOString().slice(0, 10));
  return dates;
};

/** Refuses what the report cannot answer: a range backwards or longer than a year, two filters at once, a field
 *  that is not a report field (400), a team not configured (404). */
export const checkReportQuery = (config: Pick<HelpdeskConfig, 'teams' | 'customFields'>, query: ReportQuery): void => {
  const filters = (['team', 'tag', 'field'] as const).filter((name) => query[name] !== undefined);
  if (filters.length > 1)
    throw validationError([{ path: filters[1]!, message: `cannot be combined with ${filters[0]}: filter by one of team, tag and field` }]);
  if (query.field !== undefined) {
    const [id, value] = query.field.split(':') as [string, string];
    const field = config.customFields.find((candidate) => candidate.id === id && candidate.report);
    const reported = config.customFields.filter((candidate) => candidate.report).map((candidate) => candidate.id);
    if (!field) throw validationError([{ path: 'field', message: `must name a report field: ${reported.join(', ') || 'none'}` }]);
    if (!field.options?.some((option) => option.id === value))
      throw validationError([
        { path: 'field', message: `must name a value of ${id}: ${field.options?.map((option) => option.id).join(', ')}` },
      ]);
  }
  if (query.to < query.from)
    throw validationError([{ path: 'to', message: `must not be before from (${query.from})` }], 'The date range is backwards.');
  const days = (Date.parse(query.to) - Date.parse(query.from)) / DAY + 1;
  if (days > MAX_REPORT_DAYS)
    throw validationError(
      [{ path: 'to', message: `the range holds ${days} days; at most ${MAX_REPORT_DAYS} are allowed` }],
      `A report covers at most ${MAX_REPORT_DAYS} days.`,
    );
  if (query.team !== undefined && !config.teams.some((team) => team.id === query.team))
    throw notFound(`There is no team ${JSON.stringify(query.team)}.`);
};

/**
 * Whose figures the caller may read: an administrator any team's or the desk's, a lead only the teams they
 * lead (their token's teams), each refusal naming the `team` parameter.
 */
export const requireReportScope = (identity: Identity, team: string | undefined): void => {
  const caller = callerOf(identity);
  const scope = PERMISSIONS[caller.role]['report:read'];
  if (scope === 'all') return;
  if (scope !== 'team') throw forbidden('Reports are for team leads and administrators.');
  const led = caller.teams.join(', ') || 'none';
  if (team === undefined)
    throw forbidden(`A lead reads the figures of the teams they lead (${led}); the whole desk's are the administrators'.`, [
      { path: 'team', message: `must be one of the teams you lead: ${led}` },
    ]);
  if (!caller.teams.includes(team))
    throw forbidden(`You do not lead ${team}; you lead ${led}.`, [{ path: 'team', message: `must be one of the teams you lead: ${led}` }]);
};

/** Adds the counters of every day, item by item. */
export const sumRows = (days: StatsRow[][]): Map<string, StatsCounters> => {
  const sums = new Map<string, StatsCounters>();
  for (const rows of days)
    for (const row of rows) {
      const sum = sums.get(row.key) ?? {};
      for (const [name, value] of Object.entries(row.counters)) if (typeof value === 'number') sum[name] = (sum[name] ?? 0) + value;
      sums.set(row.key, sum);
    }
  return sums;
};

/**
 * Percentile by nearest rank (the smallest value with at least p of all values at or below it), read from
 * the histogram: the bucket holding that rank, as its middle value.
 */
const percentileOf = (histogram: Map<number, number>, count: number, p: number): number | null => {
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil(p * count));
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket)!;
    if (seen >= rank) return Math.round(bucketValue(bucket));
  }
  return null;
};

export const durationStats = (counters: StatsCounters, duration: DurationName): DurationStats => {
  const count = counters[`${duration}Count`] ?? 0;
  const histogram = new Map<number, number>();
  for (const [name, value] of Object.entries(counters)) {
    const parsed = parseHistogramCounter(name);
    if (parsed?.duration === duration && value > 0) histogram.set(parsed.bucket, value);
  }
  const bands: Record<string, number> = Object.fromEntries(DURATION_BANDS.map(([label]) => [label, 0]));
  for (const [bucket, value] of histogram) {
    const minutes = bucketValue(bucket) / 60_000;
    bands[DURATION_BANDS.find(([, below]) => minutes < below)![0]]! += value;
  }
  return {
    count,
    meanMs: count > 0 ? Math.round((counters[`${duration}Sum`] ?? 0) / count) : null,
    medianMs: percentileOf(histogram, count, 0.5),
    p90Ms: percentileOf(histogram, count, 0.9),
    bands,
  };
};

const compliance = (met: number, missed: number): Compliance => ({
  met,
  missed,
  compliance: met + missed > 0 ? met / (met + missed) : null,
});

const byDimension = (sums: Map<string, StatsCounters>, dimension: string, counter: string): Record<string, number> => {
  const result: Record<string, number> = {};
  const prefix = `${dimension}#`;
  for (const [key, counters] of [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (key.startsWith(prefix) && (counters[counter] ?? 0) > 0) result[key.slice(prefix.length)] = counters[counter]!;
  return result;
};

const CLOCKS = ['firstResponse', 'nextUpdate', 'resolution'] as const;

const byPriorityOf = (sums: Map<string, StatsCounters>): SummaryReport['sla']['byPriority'] => {
  const result: SummaryReport['sla']['byPriority'] = {};
  // Most urgent first, as people read priorities (and the dashboard draws them).
  const rank = (key: string) => PRIORITIES.indexOf(key.slice('priority#'.length) as (typeof PRIORITIES)[number]);
  for (const [key, counters] of [...sums.entries()].filter(([key]) => key.startsWith('priority#')).sort(([a], [b]) => rank(a) - rank(b))) {
    const count = (name: string) => counters[name] ?? 0;
    result[key.slice('priority#'.length)] = {
      firstResponse: compliance(count('frMet'), count('frMissed')),
      resolution: compliance(count('resMet'), count('resMissed')),
      breaches: CLOCKS.reduce((sum, clock) => sum + count(`breached_${clock}`), 0),
    };
  }
  return result;
};
const DOMINANT_CATEGORIES = 3;

/**
 * CSAT of the tickets resolved in the range (a vote counts on its resolution's date): the mean of each
 * ticket's latest rating, and the share of resolutions that were rated.
 */
export const csatOf = (total: StatsCounters): Omit<SummaryReport['csat'], 'comments'> => {
  const responses = total.csatResponses ?? 0;
  const resolved = total.resolved ?? 0;
  return {
    mean: responses > 0 ? (total.csatSum ?? 0) / responses : null,
    responses,
    responseRate: resolved > 0 ? Math.min(1, responses / resolved) : null,
    byRating: Object.fromEntries([1, 2, 3, 4, 5].map((rating) => [String(rating), total[`csat_${rating}`] ?? 0])),
  };
};

export const backlogOf = (creationTimes: Record<string, string[]>, now: Date): SummaryReport['backlog'] => {
  const byAge: Record<string, number> = Object.fromEntries(AGE_BANDS.map(([label]) => [label, 0]));
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const [status, times] of Object.entries(creationTimes)) {
    byStatus[status] = times.length;
    total += times.length;
    for (const createdAt of times) {
      const ageDays = (now.getTime() - Date.parse(createdAt)) / DAY;
      const band = AGE_BANDS.find(([, below]) => ageDays < below)!;
      byAge[band[0]]! += 1;
    }
  }
  return { asOf: now.toISOString(), total, byStatus, byAge };
};

/** The report from the summed counter items of the range and the backlog; pure. */
export const summarise = (
  query: ReportQuery,
  sums: Map<string, StatsCounters>,
  backlog: SummaryReport['backlog'],
  config: Pick<HelpdeskConfig, 'organisation' | 'customFields'>,
  now: Date,
  extra: { byDay?: SummaryReport['volume']['byDay']; comments?: CsatComment[] } = {},
): SummaryReport => {
  const total = sums.get('total') ?? {};
  const count = (name: string) => total[name] ?? 0;
  const byCategory = byDimension(sums, 'category', 'created');
  const created = count('created');
  const byTeam = query.team ? (created > 0 ? { [query.team]: created } : {}) : byDimension(sums, 'team', 'created');
  const dominantCategories = Object.entries(byCategory)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, DOMINANT_CATEGORIES)
    .map(([category, tickets]) => ({ category, tickets, share: tickets / created }));
  return {
    from: query.from,
    to: query.to,
    days: datesBetween(query.from, query.to).length,
    team: query.team ?? null,
    tag: query.tag ?? null,
    field: query.field ?? null,
    timeZone: config.organisation.timeZone,
    generatedAt: now.toISOString(),
    volume: {
      total: created,
      byDay: extra.byDay ?? [],
      byCategory,
      byChannel: byDimension(sums, 'channel', 'created'),
      byTeam,
      byPriority: byDimension(sums, 'priority', 'created'),
      byField: Object.fromEntries(
        config.customFields
          .filter((field) => field.report)
          .map((field) => [field.id, byDimension(sums, fieldDimension(field.id), 'created')]),
      ),
    },
    firstResponse: { business: durationStats(total, 'frBiz'), wallClock: durationStats(total, 'frWall') },
    resolution: { resolved: count('resolved'), business: durationStats(total, 'resBiz'), wallClock: durationStats(total, 'resWall') },
    sla: {
      firstResponse: compliance(count('frMet'), count('frMissed')),
      resolution: compliance(count('resMet'), count('resMissed')),
      warnings: Object.fromEntries(CLOCKS.map((clock) => [clock, count(`warned_${clock}`)])),
      breaches: Object.fromEntries(CLOCKS.map((clock) => [clock, count(`breached_${clock}`)])),
      byPriority: byPriorityOf(sums),
    },
    backlog,
    reopen: {
      reopened: count('reopened'),
      resolved: count('resolved'),
      rate: count('resolved') > 0 ? count('reopened') / count('resolved') : null,
    },
    dominantCategories,
    csat: { ...csatOf(total), comments: extra.comments ?? [] },
    knowledgeBase: query.team || query.tag || query.field ? null : knowledgeBaseOf(sums.get(KB_STATS_KEY) ?? {}),
  };
};

/** How many days' Queries run at once: enough to hide latency, few enough not to burst the partition reads. */
const READ_CONCURRENCY = 8;

const mapLimited = async <T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

const scopeOf = (query: ReportQuery): string => {
  if (query.team) return teamScope(query.team);
  if (query.tag) return tagScope(query.tag);
  if (query.field) {
    const [field, value] = query.field.split(':') as [string, string];
    return fieldScope(field, value);
  }
  return ALL_SCOPE;
};

export const summaryReport = async (
  deps: { stats: StatsReader; config: HelpdeskConfig; clock: { now(): Date } },
  identity: Identity,
  query: ReportQuery,
): Promise<SummaryReport> => {
  if (PERMISSIONS[identity.role]['report:read'] === 'none') throw forbidden('Reports are for team leads and administrators.');
  checkReportQuery(deps.config, query);
  requireReportScope(identity, query.team);
  const scope = scopeOf(query);
  const dates = datesBetween(query.from, query.to);
  const days = await mapLimited(dates, READ_CONCURRENCY, (date) => deps.stats.readStatsDay(date, scope));
  const byTag = query.tag !== undefined || query.field !== undefined;
  const open = byTag
    ? undefined
    : await Promise.all(
        BACKLOG_STATUSES.map(async (status) => [status, await deps.stats.openTicketCreationTimes(status, query.team)] as const),
      );
  const byDay = dates.map((date, index) => {
    const total = days[index]!.find((row) => row.key === 'total')?.counters ?? {};
    return { date, created: total.created ?? 0, resolved: total.resolved ?? 0 };
  });
  const comments = await csatComments(deps.stats, days);
  const now = deps.clock.now();
  return summarise(query, sumRows(days), open ? backlogOf(Object.fromEntries(open), now) : null, deps.config, now, { byDay, comments });
};

/** The comments of the range's rated resolutions, newest date first: each marked ticket read, as it is now. */
const csatComments = async (stats: StatsReader, days: StatsRow[][]): Promise<CsatComment[]> => {
  const ids: string[] = [];
  for (const rows of [...days].reverse())
    for (const row of rows)
      if (row.key.startsWith(`${CSAT_COMMENT}#`) && !ids.includes(row.key.slice(CSAT_COMMENT.length + 1)))
        ids.push(row.key.slice(CSAT_COMMENT.length + 1));
  const tickets = await mapLimited(ids.slice(0, CSAT_COMMENTS), READ_CONCURRENCY, (id) => stats.getTicket(id));
  // A comment cleared since, or erased with its requester, is not shown.
  return tickets.flatMap((ticket) =>
    ticket?.csat?.comment && ticket.csat.comment !== ERASED
      ? [
          {
            ticketId: ticket.id,
            number: ticket.number,
            rating: ticket.csat.rating,
            comment: ticket.csat.comment,
            resolvedAt: ticket.csat.resolvedAt,
            category: ticket.category,
          },
        ]
      : [],
  );
};

// ── CSV ────────────────────────────────────────────────────────────────────────────────────────────────

/** One field: quoted when it holds a separator, and never read as a formula by a spreadsheet. */
const csvField = (value: string | number | null): string => {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const CSV_HEADER = ['section', 'dimension', 'key', 'metric', 'value'] as const;

/** The report as long-format CSV: one figure per row, so any spreadsheet can pivot it. */
export const reportCsv = (report: SummaryReport): string => {
  const rows: (string | number | null)[][] = [];
  const add = (section: string, dimension: string, key: string, metric: string, value: number | string | null) =>
    rows.push([section, dimension, key, metric, value]);
  add('report', 'range', '', 'from', report.from);
  add('report', 'range', '', 'to', report.to);
  add('report', 'range', '', 'days', report.days);
  add('report', 'team', '', 'team', report.team ?? 'all');
  if (report.tag) add('report', 'tag', '', 'tag', report.tag);
  if (report.field) add('report', 'field', '', 'field', report.field);
  add('report', 'range', '', 'time_zone', report.timeZone);
  add('volume', 'total', '', 'tickets', report.volume.total);
  for (const day of report.volume.byDay) {
    add('volume', 'day', day.date, 'tickets', day.created);
    add('volume', 'day', day.date, 'resolved', day.resolved);
  }
  for (const [dimension, values] of [
    ['category', report.volume.byCategory],
    ['channel', report.volume.byChannel],
    ['team', report.volume.byTeam],
    ['priority', report.volume.byPriority],
  ] as const)
    for (const [key, value] of Object.entries(values)) add('volume', dimension, key, 'tickets', value);
  for (const [field, values] of Object.entries(report.volume.byField))
    for (const [key, value] of Object.entries(values)) add('volume', fieldDimension(field), key, 'tickets', value);
  const durations = (section: string, calendar: string, stats: DurationStats) => {
    add(section, calendar, '', 'count', stats.count);
    add(section, calendar, '', 'mean_ms', stats.meanMs);
    add(section, calendar, '', 'median_ms', stats.medianMs);
    add(section, calendar, '', 'p90_ms', stats.p90Ms);
    for (const [band, value] of Object.entries(stats.bands)) add(section, calendar, band, 'tickets', value);
  };
  durations('first_response', 'business', report.firstResponse.business);
  durations('first_response', 'wall_clock', report.firstResponse.wallClock);
  add('resolution', 'total', '', 'resolved', report.resolution.resolved);
  durations('resolution', 'business', report.resolution.business);
  durations('resolution', 'wall_clock', report.resolution.wallClock);
  for (const target of ['firstResponse', 'resolution'] as const) {
    add('sla', target, '', 'met', report.sla[target].met);
    add('sla', target, '', 'missed', report.sla[target].missed);
    add('sla', target, '', 'compliance', report.sla[target].compliance);
  }
  for (const [clock, value] of Object.entries(report.sla.warnings)) add('sla', clock, '', 'warnings', value);
  for (const [clock, value] of Object.entries(report.sla.breaches)) add('sla', clock, '', 'breaches', value);
  for (const [priority, figures] of Object.entries(report.sla.byPriority)) {
    add('sla', 'priority', priority, 'first_response_compliance', figures.firstResponse.compliance);
    add('sla', 'priority', priority, 'resolution_compliance', figures.resolution.compliance);
    add('sla', 'priority', priority, 'breaches', figures.breaches);
  }
  if (report.backlog) {
    add('backlog', 'total', '', 'tickets', report.backlog.total);
    for (const [status, value] of Object.entries(report.backlog.byStatus)) add('backlog', 'status', status, 'tickets', value);
    for (const [band, value] of Object.entries(report.backlog.byAge)) add('backlog', 'age', band, 'tickets', value);
  }
  add('reopen', 'total', '', 'reopened', report.reopen.reopened);
  add('reopen', 'total', '', 'rate', report.reopen.rate);
  report.dominantCategories.forEach((entry, index) => {
    add('dominant_categories', 'category', entry.category, 'rank', index + 1);
    add('dominant_categories', 'category', entry.category, 'share', entry.share);
  });
  add('csat', 'total', '', 'mean', report.csat.mean);
  add('csat', 'total', '', 'responses', report.csat.responses);
  add('csat', 'total', '', 'response_rate', report.csat.responseRate);
  for (const [rating, value] of Object.entries(report.csat.byRating)) add('csat', 'rating', rating, 'responses', value);
  if (report.knowledgeBase) {
    const { deflection, chat } = report.knowledgeBase;
    add('knowledge_base', 'deflection', '', 'suggestions_shown', deflection.suggestionsShown);
    add('knowledge_base', 'deflection', '', 'articles_opened', deflection.articlesOpened);
    add('knowledge_base', 'deflection', '', 'requests_withdrawn', deflection.requestsWithdrawn);
    add('knowledge_base', 'deflection', '', 'rate', deflection.rate);
    add('knowledge_base', 'chat', '', 'conversations', chat.conversations);
    add('knowledge_base', 'chat', '', 'messages', chat.messages);
    add('knowledge_base', 'chat', '', 'answered', chat.answered);
    add('knowledge_base', 'chat', '', 'handoffs', chat.handoffs);
    add('knowledge_base', 'chat', '', 'tickets', chat.tickets);
    add('knowledge_base', 'chat', '', 'answer_rate', chat.answerRate);
  }
  return `${[CSV_HEADER as readonly (string | number | null)[], ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
};
