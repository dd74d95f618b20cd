// The ticket and its history: zod schemas are the single source of the API's types, its validation and
// its OpenAPI document. Input schemas are strict: an unknown or misspelt field is an error, not a no-op.
import { z } from 'zod';
import type { EscalationAction } from '#shared/config/config-schema.ts';
import { LANGUAGES, LEVELS, PRIORITIES } from '#shared/config/config-schema.ts';
import type { Actor } from '#shared/domain/access/identity.ts';
import type { ClockName } from '#shared/domain/sla/sla.ts';
import { TAG_PATTERN } from './tag-pattern.ts';
import { STATUSES } from './ticket-status.ts';

export const CHANNELS = ['web', 'api', 'email', 'chat', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

// C0/C1 control characters other than tab, line feed and carriage return have no business in text.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK = /[\r\n\t]/;

const singleLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL.test(value) && !LINE_BREAK.test(value), 'must not contain control characters or line breaks');

const multiLine = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL.test(value), 'must not contain control characters');

export const SUBJECT_MAX = 200;
export const TEXT_MAX = 20_000;

export const tagSchema = z.string().regex(TAG_PATTERN, 'must be lower-case letters, digits and dashes (at most 40), such as wifi-outage');

/** A custom field's value (shared/domain/tickets/custom-fields.ts): text, a number, a date (YYYY-MM-DD) or a list option's id. */
export const fieldValueSchema = z.union([z.string().trim().min(1, 'must not be empty').max(500), z.number()]);
export type FieldValue = z.infer<typeof fieldValueSchema>;
const fieldIdSchema = z.string().min(1).max(64);
const fieldValuesSchema = z
  .record(fieldIdSchema, fieldValueSchema)
  .refine((fields) => Object.keys(fields).length <= 30, 'must hold at most 30 fields');
const tagsSchema = z.array(tagSchema).max(20, 'must hold at most 20 tags');

export const contactSchema = z.strictObject({
  name: singleLine(120),
  email: z.email('must be an email address').max(254).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 ()-]{4,24}$/, 'must be a phone number such as +62 812 3456 7890')
    .optional(),
});

export const createTicketSchema = z.strictObject({
  subject: singleLine(SUBJECT_MAX),
  description: multiLine(TEXT_MAX).default(''),
  /** Category id from the configuration; when absent the keywords decide. */
  category: z.string().min(1).max(64).optional(),
  urgency: z.enum(LEVELS).optional(),
  impact: z.enum(LEVELS).optional(),
  channel: z.enum(CHANNELS).default('api'),
  language: z.enum(LANGUAGES).optional(),
  /** Staff only: the person the ticket is for (a phone caller, a walk-in). */
  requester: contactSchema.optional(),
  /** Staff only: tags (the configuration's `tags` say which). */
  tags: tagsSchema.optional(),
  /** Custom fields by id (the configuration's `customFields`), each by those its `setBy` names. */
  fields: fieldValuesSchema.optional(),
});
export type CreateTicketInput = z.infer<typeof createTicketSchema>;

export const updateTicketSchema = z
  .strictObject({
    status: z.enum(STATUSES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    category: z.string().min(1).max(64).optional(),
    team: z.string().min(1).max(64).optional(),
    /** Agent id, or null to unassign. */
    assignee: z.string().min(1).max(128).nullable().optional(),
    /** The ticket's tags, all of them (replaces the list). */
    tags: tagsSchema.optional(),
    /** Custom fields to set; null clears one. Fields not named keep their values. */
    fields: z
      .record(fieldIdSchema, fieldValueSchema.nullable())
      .refine((fields) => Object.keys(fields).length <= 30, 'must hold at most 30 fields')
      .optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one of status, priority, category, team, assignee, tags, fields');
export type UpdateTicketInput = z.infer<typeof updateTicketSchema>;

export const VISIBILITIES = ['public', 'internal'] as const;
const uploadId = z.string().regex(/^[0-9A-Za-z]{10,40}$/, 'must be an upload id from POST /attachments');

/** What a comment or a new ticket names to link: an upload and the file's name (shown, never logged). */
export const attachmentLinksSchema = z
  .array(
    z.strictObject({
      upload: uploadId,
      name: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .refine((name) => !/[\p{Cc}/\\]/u.test(name), 'must be a file name without slashes or control characters'),
    }),
  )
  .max(20);
export type AttachmentLinks = z.infer<typeof attachmentLinksSchema>;

export const addCommentSchema = z.strictObject({
  body: multiLine(TEXT_MAX).refine((value) => value.trim().length > 0, 'must not be empty'),
  visibility: z.enum(VISIBILITIES).default('public'),
  /** Files uploaded through POST /attachments, linked to the comment (shared/domain/tickets/attachments.ts). */
  attachments: attachmentLinksSchema.optional(),
});
export type AddCommentInput = z.infer<typeof addCommentSchema>;

export const requesterSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
});

const slaClockSchema = z.object({
  targetMs: z.number(),
  elapsedMs: z.number(),
  runningSince: z.iso.datetime().optional(),
  dueAt: z.iso.datetime().optional(),
  warnAt: z.iso.datetime().optional(),
  warnedAt: z.iso.datetime().optional(),
  breachedAt: z.iso.datetime().optional(),
  stoppedAt: z.iso.datetime().optional(),
});

export const slaSchema = z.object({
  policy: z.enum(PRIORITIES),
  calendar: z.enum(['business', '24x7']),
  clocks: z.object({
    firstResponse: slaClockSchema.optional(),
    nextUpdate: slaClockSchema.optional(),
    resolution: slaClockSchema.optional(),
  }),
  escalation: z.object({ level: z.number().int().min(0), breachedAt: z.iso.datetime(), nextAt: z.iso.datetime().optional() }).optional(),
});

/** Another ticket, as a relation names it: its id and its human number. */
export const ticketRefSchema = z.object({ id: z.string(), number: z.number().int().positive() });
export type TicketRef = z.infer<typeof ticketRefSchema>;
/** How a linked ticket relates to this one: `parent` (a major incident this one is part of), `child`, `related`. */
export const LINK_KINDS = ['related', 'parent', 'child'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export const ticketSchema = z.object({
  id: z.string(),
  number: z.number().int().positive(),
  subject: z.string(),
  description: z.string(),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  priorityOverridden: z.boolean(),
  urgency: z.enum(LEVELS),
  impact: z.enum(LEVELS),
  category: z.string(),
  team: z.string(),
  tier: z.enum(['first-line', 'specialist']),
  assignee: z.string().nullable(),
  requester: requesterSchema,
  channel: z.enum(CHANNELS),
  language: z.enum(LANGUAGES),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().optional(),
  closedAt: z.iso.datetime().optional(),
  version: z.number().int().positive(),
  sla: slaSchema.optional(),
  /** Set when the ticket is closed: after this instant the ticket and its history are deleted (retention). */
  retainUntil: z.iso.datetime().optional(),
  /** Who filed it for the requester (a member of staff, or a system's machine client), when not the requester. */
  filedBy: z.string().optional(),
  /** Brought in from another helpdesk (npm run import): where from, its id and number there, when. Its SLA
   *  clocks were not replayed: an imported ticket has none. */
  imported: z.object({ from: z.string(), id: z.string(), number: z.string().optional(), at: z.iso.datetime() }).optional(),
  /** Free labels staff put on the ticket (`wifi-outage`), lower case. */
  tags: z.array(z.string()).optional(),
  /** Custom field values by field id (the configuration's `customFields`). */
  fields: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** A duplicate merged into another ticket (closed by the merge; its requester follows the primary). */
  mergedInto: ticketRefSchema.optional(),
  /** The duplicates merged into this ticket: their requesters hear of its public updates too. */
  mergedFrom: z.array(ticketRefSchema).optional(),
  /** Staff who follow the ticket: mailed its comments and status changes (PUT /tickets/{id}/followers/me). */
  followers: z.array(z.string()).optional(),
  /** Two-way relations: each side lists the other (a parent its children, a child its parent). */
  links: z.array(ticketRefSchema.extend({ kind: z.enum(LINK_KINDS) })).optional(),
  /** The requester's satisfaction vote (shared/domain/csat/csat.ts): the latest click, the resolution it rates. */
  csat: z
    .object({ rating: z.number().int().min(1).max(5), at: z.iso.datetime(), resolvedAt: z.iso.datetime(), comment: z.string().optional() })
    .optional(),
});
export type Ticket = z.infer<typeof ticketSchema>;

/**
 * What a list of tickets shows (GET /tickets, the requester's and the People lists, the chat's /status): the
 * queue indexes project exactly these attributes (shared/adapters/table-definition.ts), so a list stays one
 * Query, and a write that changes nothing listed (a rating's comment, a follower, a custom field) leaves the
 * indexes alone. Not the description, the custom fields, links, followers, merges into it or the import record:
 * the ticket's own page reads those.
 */
export const TICKET_SUMMARY_FIELDS = [
  'id',
  'number',
  'subject',
  'status',
  'priority',
  'category',
  'team',
  'assignee',
  'requester',
  'filedBy',
  'channel',
  'createdAt',
  'updatedAt',
  'resolvedAt',
  'sla',
  'tags',
  'csat',
  'mergedInto',
] as const satisfies readonly (keyof Ticket)[];
type SummaryField = (typeof TICKET_SUMMARY_FIELDS)[number];

export const ticketSummarySchema = ticketSchema.pick(
  Object.fromEntries(TICKET_SUMMARY_FIELDS.map((field) => [field, true])) as { [K in SummaryField]: true },
);
export type TicketSummary = Pick<Ticket, SummaryField>;

/** The listed attributes of a ticket (or of an index item, which may carry more). */
export const ticketSummary = (ticket: Record<string, unknown>): TicketSummary => {
  const summary: Record<string, unknown> = {};
  for (const field of TICKET_SUMMARY_FIELDS) if (ticket[field] !== undefined) summary[field] = ticket[field];
  return summary as TicketSummary;
};

/** Staff queues: `due` lists the working tickets (new, open, pending, on hold), earliest SLA due time first. */
export const LIST_ORDERS = ['queue', 'due'] as const;
/** `at-risk`: a running SLA clock is past its warning time but not yet due; `breached`: one is past due. */
export const SLA_FILTERS = ['at-risk', 'breached'] as const;

export const listTicketsQuerySchema = z.strictObject({
  status: z.enum(STATUSES).optional(),
  team: z.string().min(1).max(64).optional(),
  /** `me`: assigned to the caller; `none`: nobody's yet (staff). */
  assignee: z.enum(['me', 'none'], { error: 'must be "me" or "none"' }).optional(),
  requester: z.literal('me', { error: 'must be "me"' }).optional(),
  /** `queue` (default): status, priority, oldest first; `due`: working tickets by SLA due time (staff). */
  sort: z.enum(LIST_ORDERS, { error: 'must be "queue" or "due"' }).default('queue'),
  /** Working tickets at risk of breaching or already breached, by due time (staff). */
  sla: z.enum(SLA_FILTERS, { error: 'must be "at-risk" or "breached"' }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});
export type ListTicketsQuery = z.infer<typeof listTicketsQuerySchema>;

export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});

/** A history page: `oldest` first (the default) or `newest` first, for a view that shows only the latest. */
export const historyQuerySchema = pageQuerySchema.extend({
  order: z.enum(['oldest', 'newest'], { error: 'must be "oldest" or "newest"' }).default('oldest'),
});

/** A file that came with a mail, kept in the mail bucket under `key`. */
export type AttachmentRef = { name: string; size: number; contentType: string; key: string };

// History: every change is one of these, stored beside the ticket and (later) published as an event.
export type TicketEventData =
  | {
      type: 'TicketCreated';
      data: {
        subject: string;
        channel: Channel;
        category: string;
        team: string;
        priority: string;
        classifiedBy: string;
        attachments?: AttachmentRef[];
        tags?: string[];
        fields?: Record<string, FieldValue>;
      };
    }
  | { type: 'TagsChanged'; data: { added: string[]; removed: string[] } }
  /** Each field changed: its value before and after (null: none). */
  | { type: 'FieldsChanged'; data: { changes: { field: string; from: FieldValue | null; to: FieldValue | null }[] } }
  | { type: 'StatusChanged'; data: { from: string; to: string } }
  | { type: 'PriorityChanged'; data: { from: string; to: string } }
  | { type: 'CategoryChanged'; data: { from: string; to: string } }
  | { type: 'TeamChanged'; data: { from: string; to: string } }
  | { type: 'Assigned'; data: { from: string | null; to: string | null } }
  | {
      type: 'CommentAdded';
      data: {
        body: string;
        visibility: (typeof VISIBILITIES)[number];
        attachments?: AttachmentRef[];
        /** The macro that wrote it (shared/domain/macros/). */
        macro?: string;
        /** The major incident whose update this is (major-incident.ts). */
        incident?: TicketRef;
        /** The staff an internal note names (`@budi`), found in the directory when it was written: they are mailed. */
        mentions?: string[];
      };
    }
  /** This ticket (a duplicate) was merged into `into`, and closed by it. */
  | { type: 'Merged'; data: { into: TicketRef } }
  /** A duplicate was merged into this ticket; its requester follows this one. */
  | { type: 'DuplicateMerged'; data: { duplicate: TicketRef } }
  /** A relation to another ticket was recorded (both tickets get one, each from its own side). */
  | { type: 'Linked'; data: { ticket: TicketRef; kind: LinkKind } }
  /** A staff member started or stopped following the ticket. Staff only. */
  | { type: 'Followed'; data: { staff: string } }
  | { type: 'Unfollowed'; data: { staff: string } }
  /** A macro was applied: its reply and changes are the events of the same version. Staff only. */
  | { type: 'MacroApplied'; data: { macro: string; name: string } }
  | { type: 'TicketViewed'; data: Record<string, never> }
  | { type: 'RequesterErased'; data: Record<string, never> }
  | { type: 'SlaWarning'; data: { clock: ClockName; dueAt: string } }
  | { type: 'SlaBreached'; data: { clock: ClockName; dueAt: string } }
  /** One step of the escalation ladder, taken: the leads told (`leads`), the new priority, or the team handed to. */
  | {
      type: 'Escalated';
      data: {
        level: number;
        action: EscalationAction;
        /** notify-lead: the leads told, and the breached clock they are told of. */
        leads?: string[];
        clock?: ClockName;
        dueAt?: string;
        team?: string;
        priority?: string;
      };
    }
  | { type: 'CsatRated'; data: { rating: number; previous: number | null; resolvedAt: string; comment?: string } };

export type TicketEventType = TicketEventData['type'];

export const TICKET_EVENT_TYPES = [
  'TicketCreated',
  'StatusChanged',
  'PriorityChanged',
  'CategoryChanged',
  'TeamChanged',
  'Assigned',
  'CommentAdded',
  'TicketViewed',
  'RequesterErased',
  'SlaWarning',
  'SlaBreached',
  'Escalated',
  'CsatRated',
  'TagsChanged',
  'FieldsChanged',
  'MacroApplied',
  'Merged',
  'DuplicateMerged',
  'Linked',
  'Followed',
  'Unfollowed',
] as const satisfies readonly TicketEventType[];

/**
 * The ticket as the event left it: what subscribers filter and route on. `tags` and `fields` (only the
 * configuration's report fields: list values, never free text) when it has any.
 */
export type TicketSnapshot = Pick<Ticket, 'status' | 'priority' | 'category' | 'team' | 'assignee' | 'channel'> &
  Partial<Pick<Ticket, 'tags' | 'fields'>> & {
    /** Staff follow the ticket: its comments and status changes go to the notify queue (never who they are). */
    followed?: true;
  };

export type TicketEvent = TicketEventData & {
  id: string;
  ticketId: string;
  number: number;
  /** The ticket version this event produced. */
  version: number;
  at: string;
  actor: Actor;
  ticket: TicketSnapshot;
  /** The ticket's retention, carried to history items written after it was closed. */
  retainUntil?: string;
};

/** A history event as it is read back (API) and published (bus): the one schema both describe. */
export const ticketEventSchema = z.object({
  id: z.string().min(1),
  type: z.enum(TICKET_EVENT_TYPES),
  ticketId: z.string().min(1),
  number: z.number().int().positive(),
  version: z.number().int().positive(),
  at: z.iso.datetime(),
  actor: z.object({ id: z.string(), role: z.string(), ip: z.string().optional() }),
  data: z.record(z.string(), z.unknown()),
  ticket: z.object({
    status: z.string(),
    priority: z.string(),
    category: z.string(),
    team: z.string(),
    assignee: z.string().nullable(),
    channel: z.string(),
    tags: z.array(z.string()).optional(),
    fields: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    followed: z.boolean().optional(),
  }),
  retainUntil: z.iso.datetime().optional(),
});
