// Import: tickets from another helpdesk (import-sources.ts) or from this one's export (export-format.ts) into
// the table. A ticket from elsewhere keeps its number (plus an offset when asked), its times, its requester, its
// conversation (public replies and internal notes) and its status; its category comes from the mapping file. It
// is marked `imported` and has no SLA clocks: its SLA is not replayed, and its history never goes on the bus (no
// mail, routing, webhooks or statistics for what was handled long ago). Ids are derived from the source (the
// system, its id, the position in its history), so running the same file again writes nothing new, and a run
// that was interrupted finishes where it stopped. A record that cannot be imported is reported and skipped.
import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { PRIORITIES } from '#shared/config/config-values.ts';
import type { Actor } from '#shared/domain/access/identity.ts';
import {
  CHANNELS,
  type Channel,
  SUBJECT_MAX,
  TEXT_MAX,
  type Ticket,
  type TicketEvent,
  type TicketEventData,
} from '#shared/domain/tickets/ticket.ts';
import { STATUSES, type Status } from '#shared/domain/tickets/ticket-status.ts';
import * as z from '#shared/domain/zod.ts';
import type { ExportLine } from './export-format.ts';
import { IMPORT_SYSTEMS, type ImportSystem, type SourceRecord, type SourceTicket } from './import-sources.ts';

/** The mapping file: the source's words for categories (required), statuses, priorities and staff, to ours. */
export const mappingSchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    /** Source category (osTicket topic or department, Zammad group, CSV category) → category id; `*` for the rest. */
    categories: z.record(z.string(), z.string().check(z.minLength(1))),
    statuses: z._default(z.record(z.string(), z.enum(STATUSES)), {}),
    priorities: z._default(z.record(z.string(), z.enum(PRIORITIES)), {}),
    /** Source agent (name, login or address) → staff id. An agent not named here leaves the ticket unassigned. */
    staff: z._default(z.record(z.string(), z.string().check(z.minLength(1))), {}),
  }),
);
export type ImportMapping = z.infer<typeof mappingSchema>;

/** Each system's own status and priority words, when the mapping file does not name them (matched lower-case). */
const DEFAULT_STATUSES: Record<SourceTicket['system'], Record<string, Status>> = {
  osticket: { open: 'open', resolved: 'resolved', closed: 'closed', archived: 'closed' },
  zammad: { new: 'new', open: 'open', 'pending reminder': 'pending', 'pending close': 'pending', closed: 'closed', merged: 'closed' },
  csv: Object.fromEntries(STATUSES.map((status) => [status, status])) as Record<string, Status>,
};
const DEFAULT_PRIORITIES: Record<SourceTicket['system'], Record<string, (typeof PRIORITIES)[number]>> = {
  osticket: { low: 'low', normal: 'medium', high: 'high', emergency: 'critical' },
  zammad: { '1 low': 'low', '2 normal': 'medium', '3 high': 'high' },
  csv: Object.fromEntries(PRIORITIES.map((priority) => [priority, priority])) as Record<string, (typeof PRIORITIES)[number]>,
};
const CHANNEL_WORDS: Record<string, Channel> = { email: 'email', web: 'web', phone: 'phone', api: 'api', chat: 'chat', other: 'web' };

/** What an import writes to. Each write is idempotent: what is there already stays as it is. */
export interface ImportTarget {
  /** The ticket a source ticket became, if it was imported before. */
  importedAs(system: string, sourceId: string): Promise<string | undefined>;
  /** Writes history items that are not there yet (never published on the bus). */
  writeEvents(events: TicketEvent[]): Promise<void>;
  /**
   * Writes the ticket, its number's pointer and (for a source ticket) the import's marker in one transaction:
   * `exists` when the ticket or the marker is there already, `number-taken` when another ticket has the number.
   */
  writeTicket(ticket: Ticket, marker?: { system: string; sourceId: string }): Promise<'written' | 'exists' | 'number-taken'>;
  /** Makes the ticket counter hand out numbers above `number` from now on. */
  raiseCounter(number: number): Promise<void>;
}

export type ImportOptions = {
  mapping: ImportMapping;
  /** Added to every source number (a desk that already has tickets with those numbers). */
  numberOffset: number;
  dryRun: boolean;
  now: Date;
};

export type ImportReport = {
  imported: number;
  /** Imported by an earlier run (or already in the table). */
  already: number;
  /** Closed longer ago than retention.closedTicketDays: the desk would delete them at once. */
  pastRetention: number;
  /** Records not imported, with where they are and why. */
  problems: { at: string; problems: string[] }[];
  /** History items written from a helpdesk export. */
  events: number;
};

const MS_PER_DAY = 86_400_000;

/** A ULID for a source's item: the instant's time part, the rest from a hash of what it is, so every run gives the same id. */
export const importId = (at: string, seed: string) => {
  const hash = createHash('sha256').update(seed).digest();
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let random = '';
  for (let index = 0; index < 16; index++) random += alphabet[hash[index]! % 32];
  return `${encodeTime(Date.parse(at), 10)}${random}`;
};

const singleLine = (value: string) =>
  value
    .replace(/[\u0000-\u001F\u007F-\u009F]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const clip = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);
const cleanText = (value: string) => clip(value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, ''), TEXT_MAX);

const requesterOf = (source: SourceTicket): Ticket['requester'] | undefined => {
  const { name, email, phone } = source.requester;
  const digits = phone?.replace(/[^0-9+]/g, '');
  const id = email ? `email:${email.toLowerCase()}` : digits ? `phone:${digits}` : undefined;
  if (!id) return undefined;
  return { id, ...(name ? { name: singleLine(name) } : {}), ...(email ? { email: email.toLowerCase() } : {}), ...(phone ? { phone } : {}) };
};

const pick = <T>(words: Record<string, T>, defaults: Record<string, T>, value: string | undefined): T | undefined =>
  value === undefined ? undefined : (words[value] ?? defaults[value.toLowerCase().trim()]);

/** A source ticket as this desk's ticket and history, or the reasons it cannot be. */
export const convertTicket = (
  config: HelpdeskConfig,
  source: SourceTicket,
  options: Pick<ImportOptions, 'mapping' | 'numberOffset' | 'now'>,
): { ticket: Ticket; events: TicketEvent[] } | { problems: string[] } => {
  const { mapping } = options;
  const problems: string[] = [];
  const categoryId = (source.category !== undefined ? mapping.categories[source.category] : undefined) ?? mapping.categories['*'];
  const category = config.categories.find((candidate) => candidate.id === categoryId);
  if (!categoryId) problems.push(`category "${source.category ?? '(none)'}" is not in the mapping file (add it, or a "*" entry)`);
  else if (!category)
    problems.push(
      `the mapping file maps category "${source.category ?? '*'}" to "${categoryId}", which is not a category of the configuration`,
    );
  const status = pick(mapping.statuses, DEFAULT_STATUSES[source.system], source.status);
  if (!status) problems.push(`status "${source.status}" is not in the mapping file`);
  const priority = source.priority === undefined ? 'medium' : pick(mapping.priorities, DEFAULT_PRIORITIES[source.system], source.priority);
  if (!priority) problems.push(`priority "${source.priority}" is not in the mapping file`);
  const number = Number.parseInt(source.number, 10) + options.numberOffset;
  if (!/^\d+$/.test(source.number.trim()) || !Number.isSafeInteger(number) || number < 1)
    problems.push(`number "${source.number}" is not a positive whole number`);
  const requester = requesterOf(source);
  if (!requester) problems.push('the requester has neither an email address nor a phone number');
  const subject = clip(singleLine(source.subject), SUBJECT_MAX);
  if (!subject) problems.push('the subject is empty');
  if (problems.length > 0 || !category || !status || !priority || !requester) return { problems };

  const seed = `${source.system}:${source.id}`;
  const messages = [...source.messages].sort((a, b) => a.at.localeCompare(b.at)).filter((message) => message.body.trim().length > 0);
  const opening = messages[0] && !messages[0].author.staff && !messages[0].internal ? messages[0] : undefined;
  const assignee = source.assignee === undefined ? null : (mapping.staff[source.assignee] ?? null);
  const closedAt = status === 'closed' ? (source.closedAt ?? source.updatedAt ?? messages.at(-1)?.at ?? source.createdAt) : undefined;
  const resolvedAt =
    status === 'resolved' || status === 'closed'
      ? (source.closedAt ?? source.updatedAt ?? messages.at(-1)?.at ?? source.createdAt)
      : undefined;
  const lastAt = [source.createdAt, source.updatedAt, closedAt, ...messages.map((message) => message.at)]
    .filter((at): at is string => at !== undefined)
    .sort()
    .at(-1)!;
  const retainUntil = closedAt ? new Date(Date.parse(closedAt) + config.retention.closedTicketDays * MS_PER_DAY).toISOString() : undefined;
  const channel =
    CHANNEL_WORDS[(source.channel ?? '').toLowerCase()] ??
    (CHANNELS.includes(source.channel as Channel) ? (source.channel as Channel) : 'web');

  const ticket: Ticket = {
    id: importId(source.createdAt, seed),
    number,
    subject,
    description: opening ? cleanText(opening.body) : '',
    status,
    priority,
    priorityOverridden: false,
    urgency: config.defaults.urgency,
    impact: config.defaults.impact,
    category: category.id,
    team: category.team,
    tier: category.team === config.triageTeam ? 'first-line' : 'specialist',
    assignee,
    requester,
    channel,
    language: config.organisation.defaultLanguage,
    createdAt: source.createdAt,
    updatedAt: lastAt,
    ...(resolvedAt ? { resolvedAt } : {}),
    ...(closedAt ? { closedAt } : {}),
    version: 1,
    ...(retainUntil ? { retainUntil } : {}),
    imported: { from: source.system, id: source.id, number: source.number, at: options.now.toISOString() },
  };

  const requesterActor: Actor = { id: requester.id, role: 'requester' };
  const staffActor = (author: SourceTicket['messages'][number]['author']): Actor => {
    const key = author.email ?? author.name ?? '';
    const id = mapping.staff[author.email ?? ''] ?? mapping.staff[author.name ?? ''] ?? `imported:${key || 'staff'}`;
    return { id, role: 'agent' };
  };
  const changes: { at: string; actor: Actor; change: TicketEventData; snapshot: Partial<Ticket> }[] = [
    {
      at: source.createdAt,
      actor: requesterActor,
      change: {
        type: 'TicketCreated',
        data: { subject, channel, category: category.id, team: category.team, priority, classifiedBy: 'imported' },
      },
      snapshot: { status: 'new', assignee: null },
    },
  ];
  if (assignee)
    changes.push({
      at: source.createdAt,
      actor: requesterActor,
      change: { type: 'Assigned', data: { from: null, to: assignee } },
      snapshot: { status: 'new', assignee },
    });
  for (const message of messages) {
    if (message === opening) continue;
    changes.push({
      at: message.at,
      actor: message.author.staff ? staffActor(message.author) : requesterActor,
      change: { type: 'CommentAdded', data: { body: cleanText(message.body), visibility: message.internal ? 'internal' : 'public' } },
      snapshot: { status: 'new', assignee },
    });
  }
  if (status !== 'new')
    changes.push({
      at: closedAt ?? resolvedAt ?? lastAt,
      actor: { id: 'import', role: 'system' },
      change: { type: 'StatusChanged', data: { from: 'new', to: status } },
      snapshot: { status, assignee },
    });
  const events = changes.map(
    ({ at, actor, change, snapshot }, index): TicketEvent =>
      ({
        ...change,
        id: importId(at, `${seed}:${index}`),
        ticketId: ticket.id,
        number,
        version: index + 1,
        at,
        actor,
        ticket: {
          status: snapshot.status ?? status,
          priority,
          category: category.id,
          team: category.team,
          assignee: snapshot.assignee ?? null,
          channel,
        },
        ...(retainUntil ? { retainUntil } : {}),
      }) as TicketEvent,
  );
  return { ticket: { ...ticket, version: events.length }, events };
};

/** A record of any source: another desk's ticket, or a line of this desk's export. */
export type ImportRecord = SourceRecord | { at: string; line: ExportLine };

/**
 * Imports every record, in order, reporting progress after each. Source tickets already imported (an earlier
 * run) are skipped before anything is written; a dry run writes nothing and reports what it would do.
 */
export const importTickets = async (
  config: HelpdeskConfig,
  target: ImportTarget,
  records: Iterable<ImportRecord> | AsyncIterable<ImportRecord>,
  options: ImportOptions,
  progress: (done: number) => void = () => undefined,
): Promise<ImportReport> => {
  const report: ImportReport = { imported: 0, already: 0, pastRetention: 0, problems: [], events: 0 };
  let highest = 0;
  let done = 0;
  const write = async (record: ImportRecord) => {
    if ('problems' in record) return void report.problems.push({ at: record.at, problems: record.problems });
    if ('line' in record) {
      const { line } = record;
      if (line.kind === 'event') {
        if (!options.dryRun) await target.writeEvents([line.event as TicketEvent]);
        report.events++;
      }
      if (line.kind !== 'ticket') return;
      const ticket = line.ticket as Ticket;
      const outcome = options.dryRun ? 'written' : await target.writeTicket(ticket);
      if (outcome === 'number-taken')
        return void report.problems.push({ at: record.at, problems: [`number ${ticket.number} is taken by another ticket of this desk`] });
      if (outcome === 'exists') report.already++;
      else report.imported++;
      highest = Math.max(highest, ticket.number);
      return;
    }
    const { ticket: source } = record;
    if (await target.importedAs(source.system, source.id)) return void report.already++;
    const converted = convertTicket(config, source, options);
    if ('problems' in converted) return void report.problems.push({ at: record.at, problems: converted.problems });
    const { ticket, events } = converted;
    if (ticket.retainUntil && ticket.retainUntil < options.now.toISOString()) return void report.pastRetention++;
    if (!options.dryRun) {
      // History first, the ticket last: a run that stops in between leaves no ticket, and the next one completes it.
      await target.writeEvents(events);
      const outcome = await target.writeTicket(ticket, { system: source.system, sourceId: source.id });
      if (outcome === 'number-taken')
        return void report.problems.push({
          at: record.at,
          problems: [`number ${ticket.number} is taken by another ticket of this desk: run again with --number-offset`],
        });
      if (outcome === 'exists') return void report.already++;
    }
    report.imported++;
    highest = Math.max(highest, ticket.number);
  };
  for await (const record of records) {
    await write(record);
    progress(++done);
  }
  if (!options.dryRun && highest > 0) await target.raiseCounter(highest);
  return report;
};

/** The system a record source names (the CLI's `--from`). */
export const isImportSystem = (value: string): value is ImportSystem => (IMPORT_SYSTEMS as readonly string[]).includes(value);
