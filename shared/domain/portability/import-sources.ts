// What other helpdesks export, read into one shape (SourceTicket) that import-tickets.ts turns into tickets:
// - osTicket: an array (or `{"tickets": [...]}`) of tickets as osTicket's API returns one ticket with its thread
//   (`GET /api/tickets-get.php/<number>.json` of the API Endpoints plugin: number, subject, status, priority,
//   department, topic, staff, user {name, email}, source, created/updated/closed as "YYYY-MM-DD HH:MM:SS" in the
//   desk's time zone, thread entries of type M (message), R (response) or N (internal note)).
// - Zammad: an array of tickets as `GET /api/v1/tickets/<id>?expand=true` returns them (id, number, title, group,
//   state, priority, owner, customer, created_at, updated_at, close_at), each with `articles` as
//   `GET /api/v1/ticket_articles/by_ticket/<id>?expand=true` returns them (from, sender, type, internal,
//   content_type, body, created_at).
// - CSV with a header row: number, subject, description, requester_name, requester_email, requester_phone,
//   category, priority, status, created_at, closed_at, assignee (one row a ticket, its description the only message).
// A record that does not have the shape is a problem naming the field, never half a ticket.
import { convert as htmlToText } from 'html-to-text';
import { zonedInstant } from '#shared/domain/sla/business-calendar.ts';
import * as z from '#shared/domain/zod.ts';

export const IMPORT_SYSTEMS = ['osticket', 'zammad', 'csv', 'helpdesk'] as const;
export type ImportSystem = (typeof IMPORT_SYSTEMS)[number];

export type SourceMessage = {
  at: string;
  author: { name?: string | undefined; email?: string | undefined; staff: boolean };
  body: string;
  internal: boolean;
};

/** A ticket as another desk knew it. */
export type SourceTicket = {
  system: Exclude<ImportSystem, 'helpdesk'>;
  /** Its id there: what makes a second import of it a no-op. */
  id: string;
  /** Its number there, kept as the ticket's number (plus any offset). */
  number: string;
  subject: string;
  requester: { name?: string | undefined; email?: string | undefined; phone?: string | undefined };
  channel?: string | undefined;
  createdAt: string;
  updatedAt?: string | undefined;
  closedAt?: string | undefined;
  /** The source's own words; the mapping file (or the defaults for the system) translates them. */
  status: string;
  priority?: string | undefined;
  category?: string | undefined;
  assignee?: string | undefined;
  messages: SourceMessage[];
};

/** Where a record came from, for the report: the line (CSV, JSON Lines) or the array index (JSON). */
export type SourceRecord = { at: string } & ({ ticket: SourceTicket } | { problems: string[] });

/** An issue in plain words: zod's "Invalid input: expected string, received undefined" is a field that is missing. */
const wordsOf = (issue: z.core.$ZodIssue) =>
  issue.code === 'invalid_type' && issue.message.endsWith('received undefined')
    ? 'is missing'
    : issue.code === 'invalid_type'
      ? `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`
      : issue.message;

const problemsOf = (error: z.core.$ZodError) => error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${wordsOf(issue)}`);

const text = (html: boolean, body: string) =>
  (html ? htmlToText(body, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }] }) : body).trim();

const EMAIL_IN = /<([^<>\s]+@[^<>\s]+)>/;
/** `"Ani Wijaya <ani@example.org>"` → name and address. */
const person = (from: string | null | undefined) => {
  if (!from) return {};
  const email = EMAIL_IN.exec(from)?.[1] ?? (/^[^\s@]+@[^\s@]+$/.test(from.trim()) ? from.trim() : undefined);
  const name = from.replace(EMAIL_IN, '').replace(/"/g, '').trim();
  return { ...(name && name !== email ? { name } : {}), ...(email ? { email: email.toLowerCase() } : {}) };
};

// ---- osTicket ----

/** osTicket writes local times without a zone ("2025-01-15 10:30:00"): the desk's zone is theirs. */
const localTime = (zone: string) =>
  z.pipe(
    z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/, 'must be a date and time such as 2025-01-15 10:30:00')),
    z.transform((value) => {
      const [date, time] = value.split(/[ T]/) as [string, string];
      const [year, month, day] = date.split('-').map(Number) as [number, number, number];
      const [hours, minutes, seconds = 0] = time.split(':').map(Number) as [number, number, number?];
      return new Date(zonedInstant({ year, month, day }, hours * 60 + minutes, zone) + seconds * 1000).toISOString();
    }),
  );

const osTicketSchema = (zone: string) =>
  z.object({
    id: z.pipe(z.union([z.number(), z.string()]), z.transform(String)),
    number: z.pipe(z.union([z.number(), z.string()]), z.transform(String)),
    subject: z.string(),
    status: z.string().check(z.minLength(1)),
    priority: z.nullish(z.string()),
    department: z.nullish(z.string()),
    topic: z.nullish(z.string()),
    staff: z.nullish(z.string()),
    source: z.nullish(z.string()),
    user: z.object({ name: z.nullish(z.string()), email: z.nullish(z.string()), phone: z.nullish(z.string()) }),
    created: localTime(zone),
    updated: z.nullish(localTime(zone)),
    closed: z.nullish(localTime(zone)),
    thread: z._default(
      z.array(
        z.object({
          type: z.enum(['M', 'R', 'N'], { error: 'must be M (message), R (response) or N (note)' }),
          poster: z.nullish(z.string()),
          body: z.string(),
          format: z.nullish(z.string()),
          created: localTime(zone),
        }),
      ),
      [],
    ),
  });

/** One osTicket ticket (with its thread). The topic names the category when there is one, else the department. */
export const fromOsTicket = (raw: unknown, zone: string): SourceTicket | { problems: string[] } => {
  const parsed = osTicketSchema(zone).safeParse(raw);
  if (!parsed.success) return { problems: problemsOf(parsed.error) };
  const t = parsed.data;
  return {
    system: 'osticket',
    id: t.id,
    number: t.number,
    subject: t.subject,
    requester: { name: t.user.name ?? undefined, email: t.user.email?.toLowerCase() ?? undefined, phone: t.user.phone ?? undefined },
    channel: t.source ?? undefined,
    createdAt: t.created,
    updatedAt: t.updated ?? undefined,
    closedAt: t.closed ?? undefined,
    status: t.status,
    priority: t.priority ?? undefined,
    category: t.topic ?? t.department ?? undefined,
    assignee: t.staff ?? undefined,
    messages: t.thread.map((entry) => ({
      at: entry.created,
      author:
        entry.type === 'M'
          ? { name: entry.poster ?? t.user.name ?? undefined, email: t.user.email?.toLowerCase() ?? undefined, staff: false }
          : { name: entry.poster ?? undefined, staff: true },
      // osTicket keeps thread bodies as HTML unless the entry says text.
      body: text(entry.format !== 'text', entry.body),
      internal: entry.type === 'N',
    })),
  };
};

// ---- Zammad ----

const isoTime = /* @__PURE__ */ z.schema(() =>
  z.pipe(
    z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date and time' }),
    z.transform((value) => new Date(value).toISOString()),
  ),
);

const zammadSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    id: z.pipe(z.union([z.number(), z.string()]), z.transform(String)),
    number: z.pipe(z.union([z.number(), z.string()]), z.transform(String)),
    title: z.string(),
    group: z.nullish(z.string()),
    state: z.string().check(z.minLength(1)),
    priority: z.nullish(z.string()),
    owner: z.nullish(z.string()),
    customer: z.nullish(z.string()),
    created_at: isoTime,
    updated_at: z.nullish(isoTime),
    close_at: z.nullish(isoTime),
    articles: z._default(
      z.array(
        z.object({
          from: z.nullish(z.string()),
          sender: z.string(),
          type: z.nullish(z.string()),
          internal: z._default(z.boolean(), false),
          content_type: z.nullish(z.string()),
          body: z.string(),
          created_at: isoTime,
          created_by: z.nullish(z.string()),
        }),
      ),
      [],
    ),
  }),
);

/** One Zammad ticket with its articles. Its group names the category; the customer's address comes from the
 *  customer field or the first customer article's From. */
export const fromZammad = (raw: unknown): SourceTicket | { problems: string[] } => {
  const parsed = zammadSchema.safeParse(raw);
  if (!parsed.success) return { problems: problemsOf(parsed.error) };
  const t = parsed.data;
  const firstFromCustomer = t.articles.find((article) => article.sender === 'Customer');
  const customer = { ...person(firstFromCustomer?.from), ...person(t.customer) };
  return {
    system: 'zammad',
    id: t.id,
    number: t.number,
    subject: t.title,
    requester: customer,
    channel: t.articles[0]?.type ?? undefined,
    createdAt: t.created_at,
    updatedAt: t.updated_at ?? undefined,
    closedAt: t.close_at ?? undefined,
    status: t.state,
    priority: t.priority ?? undefined,
    category: t.group ?? undefined,
    // Zammad shows "-" for nobody.
    assignee: t.owner && t.owner !== '-' ? t.owner : undefined,
    messages: t.articles
      .filter((article) => article.sender !== 'System')
      .map((article) => ({
        at: article.created_at,
        author: { ...person(article.from ?? article.created_by), staff: article.sender === 'Agent' },
        body: text(article.content_type === 'text/html', article.body),
        internal: article.internal,
      })),
  };
};

// ---- CSV ----

export const CSV_COLUMNS = [
  'number',
  'subject',
  'description',
  'requester_name',
  'requester_email',
  'requester_phone',
  'category',
  'priority',
  'status',
  'created_at',
  'closed_at',
  'assignee',
] as const;

const optional = /* @__PURE__ */ z.schema(() =>
  z.pipe(
    z.optional(z.string()),
    z.transform((value) => (value?.trim() ? value.trim() : undefined)),
  ),
);

const csvSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    number: z.string().check(z.trim(), z.minLength(1, 'is required')),
    subject: z.string(),
    description: optional,
    requester_name: optional,
    requester_email: optional,
    requester_phone: optional,
    category: optional,
    priority: optional,
    status: z.string().check(z.trim(), z.minLength(1, 'is required')),
    created_at: isoTime,
    closed_at: z.pipe(
      z.optional(z.string()),
      z.transform((value, context) => {
        if (!value?.trim()) return undefined;
        const parsed = isoTime.safeParse(value.trim());
        if (parsed.success) return parsed.data;
        context.issues.push({ code: 'custom', message: 'must be an ISO 8601 date and time', input: value });
        return z.NEVER;
      }),
    ),
    assignee: optional,
  }),
);

/** One CSV row (its columns by the header's names). The number is the ticket's id there too. */
export const fromCsvRow = (row: Record<string, string>): SourceTicket | { problems: string[] } => {
  const parsed = csvSchema.safeParse(row);
  if (!parsed.success) return { problems: problemsOf(parsed.error) };
  const r = parsed.data;
  const requester = { name: r.requester_name, email: r.requester_email?.toLowerCase(), phone: r.requester_phone };
  return {
    system: 'csv',
    id: r.number,
    number: r.number,
    subject: r.subject,
    requester,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    status: r.status,
    priority: r.priority,
    category: r.category,
    assignee: r.assignee,
    messages: r.description ? [{ at: r.created_at, author: { ...requester, staff: false }, body: r.description, internal: false }] : [],
  };
};

/** The header a CSV file needs: every column named, none unknown (a misspelt column would be read as empty). */
export const csvHeaderProblems = (header: readonly string[]): string[] => {
  const missing = CSV_COLUMNS.filter((column) => !header.includes(column));
  const unknown = header.filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column));
  return [
    ...(missing.length ? [`the header lacks ${missing.join(', ')}`] : []),
    ...(unknown.length ? [`the header has unknown columns ${unknown.join(', ')} (expected ${CSV_COLUMNS.join(', ')})`] : []),
  ];
};
