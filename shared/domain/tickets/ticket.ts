// The ticket and its history: zod schemas are the single source of the API's types, its validation and
// its OpenAPI document. Input schemas are strict: an unknown or misspelt field is an error, not a no-op.

import type { EscalationAction } from '#shared/config/config-schema.ts';
import { LANGUAGES, LEVELS, PRIORITIES } from '#shared/config/config-values.ts';
import type { Actor } from '#shared/domain/access/identity.ts';
import type { ClockName } from '#shared/domain/sla/sla.ts';
import * as z from '#shared/domain/zod.ts';
import { TAG_PATTERN } from './tag-pattern.ts';
import { STATUSES } from './ticket-status.ts';
import { TICKET_SUMMARY_FIELDS } from './ticket-summary-fields.ts';

export const CHANNELS = ['web', 'api', 'email', 'chat', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

// C0/C1 control characters other than tab, line feed and carriage return have no business in text.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK = /[\r\n\t]/;

const singleLine = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((value) => !CONTROL.test(value) && !LINE_BREAK.test(value), 'must not contain control characters or line breaks'),
  );

const multiLine = (max: number) =>
  z.string().check(
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((value) => !CONTROL.test(value), 'must not contain control characters'),
  );

export const SUBJECT_MAX = 200;
export const TEXT_MAX = 20_000;

export const tagSchema = /* @__PURE__ */ z.schema(() =>
  z.string().check(z.regex(TAG_PATTERN, 'must be lower-case letters, digits and dashes (at most 40), such as wifi-outage')),
);

/** A custom field's value (shared/domain/tickets/custom-fields.ts): text, a number, a date (YYYY-MM-DD) or a list option's id. */
export const fieldValueSchema = /* @__PURE__ */ z.schema(() =>
  z.union([z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(500)), z.number()]),
);
export type FieldValue = z.infer<typeof fieldValueSchema>;
const fieldIdSchema = /* @__PURE__ */ z.schema(() => z.string().check(z.minLength(1), z.maxLength(64)));
const fieldValuesSchema = /* @__PURE__ */ z.schema(() =>
  z.record(fieldIdSchema, fieldValueSchema).check(z.refine((fields) => Object.keys(fields).length <= 30, 'must hold at most 30 fields')),
);
const tagsSchema = /* @__PURE__ */ z.schema(() => z.array(tagSchema).check(z.maxLength(20, 'must hold at most 20 tags')));

export const contactSchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    name: singleLine(120),
    email: z.optional(z.email('must be an email address').check(z.maxLength(254))),
    phone: z.optional(z.string().check(z.trim(), z.regex(/^\+?[0-9][0-9 ()-]{4,24}$/, 'must be a phone number such as +62 812 3456 7890'))),
  }),
);

export const createTicketSchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    subject: singleLine(SUBJECT_MAX),
    description: z._default(multiLine(TEXT_MAX), ''),
    /** Category id from the configuration; when absent the keywords decide. */
    category: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    urgency: z.optional(z.enum(LEVELS)),
    impact: z.optional(z.enum(LEVELS)),
    channel: z._default(z.enum(CHANNELS), 'api'),
    language: z.optional(z.enum(LANGUAGES)),
    /** Staff only: the person the ticket is for (a phone caller, a walk-in). */
    requester: z.optional(contactSchema),
    /** Staff only: tags (the configuration's `tags` say which). */
    tags: z.optional(tagsSchema),
    /** Custom fields by id (the configuration's `customFields`), each by those its `setBy` names. */
    fields: z.optional(fieldValuesSchema),
  }),
);
export type CreateTicketInput = z.infer<typeof createTicketSchema>;

export const updateTicketSchema = /* @__PURE__ */ z.schema(() =>
  z
    .strictObject({
      status: z.optional(z.enum(STATUSES)),
      priority: z.optional(z.enum(PRIORITIES)),
      category: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
      team: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
      /** Agent id, or null to unassign. */
      assignee: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(128)))),
      /** The ticket's tags, all of them (replaces the list). */
      tags: z.optional(tagsSchema),
      /** Custom fields to set; null clears one. Fields not named keep their values. */
      fields: z.optional(
        z
          .record(fieldIdSchema, z.nullable(fieldValueSchema))
          .check(z.refine((fields) => Object.keys(fields).length <= 30, 'must hold at most 30 fields')),
      ),
    })
    .check(
      z.refine(
        (patch) => Object.keys(patch).length > 0,
        'must change at least one of status, priority, category, team, assignee, tags, fields',
      ),
    ),
);
export type UpdateTicketInput = z.infer<typeof updateTicketSchema>;

export const VISIBILITIES = ['public', 'internal'] as const;
const uploadId = /* @__PURE__ */ z.schema(() =>
  z.string().check(z.regex(/^[0-9A-Za-z]{10,40}$/, 'must be an upload id from POST /attachments')),
);

/** What a comment or a new ticket names to link: an upload and the file's name (shown, never logged). */
export const attachmentLinksSchema = /* @__PURE__ */ z.schema(() =>
  z
    .array(
      z.strictObject({
        upload: uploadId,
        name: z.string().check(
          z.trim(),
          z.minLength(1),
          z.maxLength(200),
          z.refine((name) => !/[\p{Cc}/\\]/u.test(name), 'must be a file name without slashes or control characters'),
        ),
      }),
    )
    .check(z.maxLength(20)),
);
export type AttachmentLinks = z.infer<typeof attachmentLinksSchema>;

export const addCommentSchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    body: multiLine(TEXT_MAX).check(z.refine((value) => value.trim().length > 0, 'must not be empty')),
    visibility: z._default(z.enum(VISIBILITIES), 'public'),
    /** Files uploaded through POST /attachments, linked to the comment (shared/domain/tickets/attachments.ts). */
    attachments: z.optional(attachmentLinksSchema),
  }),
);
export type AddCommentInput = z.infer<typeof addCommentSchema>;

export const requesterSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    id: z.string(),
    name: z.optional(z.string()),
    email: z.optional(z.string()),
    phone: z.optional(z.string()),
  }),
);

const slaClockSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    targetMs: z.number(),
    elapsedMs: z.number(),
    runningSince: z.optional(z.iso.datetime()),
    dueAt: z.optional(z.iso.datetime()),
    warnAt: z.optional(z.iso.datetime()),
    warnedAt: z.optional(z.iso.datetime()),
    breachedAt: z.optional(z.iso.datetime()),
    stoppedAt: z.optional(z.iso.datetime()),
  }),
);

export const slaSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    policy: z.enum(PRIORITIES),
    calendar: z.enum(['business', '24x7']),
    clocks: z.object({
      firstResponse: z.optional(slaClockSchema),
      nextUpdate: z.optional(slaClockSchema),
      resolution: z.optional(slaClockSchema),
    }),
    escalation: z.optional(
      z.object({ level: z.number().check(z.int(), z.gte(0)), breachedAt: z.iso.datetime(), nextAt: z.optional(z.iso.datetime()) }),
    ),
  }),
);

/** Another ticket, as a relation names it: its id and its human number. */
export const ticketRefSchema = /* @__PURE__ */ z.schema(() =>
  z.object({ id: z.string(), number: z.number().check(z.int(), z.positive()) }),
);
export type TicketRef = z.infer<typeof ticketRefSchema>;
/** How a linked ticket relates to this one: `parent` (a major incident this one is part of), `child`, `related`. */
export const LINK_KINDS = ['related', 'parent', 'child'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export const ticketSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    id: z.string(),
    number: z.number().check(z.int(), z.positive()),
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
    assignee: z.nullable(z.string()),
    requester: requesterSchema,
    channel: z.enum(CHANNELS),
    language: z.enum(LANGUAGES),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    resolvedAt: z.optional(z.iso.datetime()),
    closedAt: z.optional(z.iso.datetime()),
    version: z.number().check(z.int(), z.positive()),
    sla: z.optional(slaSchema),
    /** Set when the ticket is closed: after this instant the ticket and its history are deleted (retention). */
    retainUntil: z.optional(z.iso.datetime()),
    /** Who filed it for the requester (a member of staff, or a system's machine client), when not the requester. */
    filedBy: z.optional(z.string()),
    /** Brought in from another helpdesk (npm run import): where from, its id and number there, when. Its SLA
     *  clocks were not replayed: an imported ticket has none. */
    imported: z.optional(z.object({ from: z.string(), id: z.string(), number: z.optional(z.string()), at: z.iso.datetime() })),
    /** Free labels staff put on the ticket (`wifi-outage`), lower case. */
    tags: z.optional(z.array(z.string())),
    /** Custom field values by field id (the configuration's `customFields`). */
    fields: z.optional(z.record(z.string(), z.union([z.string(), z.number()]))),
    /** A duplicate merged into another ticket (closed by the merge; its requester follows the primary). */
    mergedInto: z.optional(ticketRefSchema),
    /** The duplicates merged into this ticket: their requesters hear of its public updates too. */
    mergedFrom: z.optional(z.array(ticketRefSchema)),
    /** Staff who follow the ticket: mailed its comments and status changes (PUT /tickets/{id}/followers/me). */
    followers: z.optional(z.array(z.string())),
    /** Two-way relations: each side lists the other (a parent its children, a child its parent). */
    links: z.optional(z.array(z.extend(ticketRefSchema, { kind: z.enum(LINK_KINDS) }))),
    /** The requester's satisfaction vote (shared/domain/csat/csat.ts): the latest click, the resolution it rates. */
    csat: z.optional(
      z.object({
        rating: z.number().check(z.int(), z.gte(1), z.lte(5)),
        at: z.iso.datetime(),
        resolvedAt: z.iso.datetime(),
        comment: z.optional(z.string()),
      }),
    ),
  }),
);
export type Ticket = z.infer<typeof ticketSchema>;

type SummaryField = (typeof TICKET_SUMMARY_FIELDS)[number];

export const ticketSummarySchema = /* @__PURE__ */ z.schema(() =>
  z.pick(ticketSchema, Object.fromEntries(TICKET_SUMMARY_FIELDS.map((field) => [field, true])) as { [K in SummaryField]: true }),
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

export const listTicketsQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    status: z.optional(z.enum(STATUSES)),
    team: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    /** `me`: assigned to the caller; `none`: nobody's yet (staff). */
    assignee: z.optional(z.enum(['me', 'none'], { error: 'must be "me" or "none"' })),
    requester: z.optional(z.literal('me', { error: 'must be "me"' })),
    /** `queue` (default): status, priority, oldest first; `due`: working tickets by SLA due time (staff). */
    sort: z._default(z.enum(LIST_ORDERS, { error: 'must be "queue" or "due"' }), 'queue'),
    /** Working tickets at risk of breaching or already breached, by due time (staff). */
    sla: z.optional(z.enum(SLA_FILTERS, { error: 'must be "at-risk" or "breached"' })),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
    cursor: z.optional(z.string().check(z.maxLength(2048))),
  }),
);
export type ListTicketsQuery = z.infer<typeof listTicketsQuerySchema>;

export const pageQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50),
    cursor: z.optional(z.string().check(z.maxLength(2048))),
  }),
);

/** A history page: `oldest` first (the default) or `newest` first, for a view that shows only the latest. */
export const historyQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.extend(pageQuerySchema, {
    order: z._default(z.enum(['oldest', 'newest'], { error: 'must be "oldest" or "newest"' }), 'oldest'),
  }),
);

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
export const ticketEventSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    id: z.string().check(z.minLength(1)),
    type: z.enum(TICKET_EVENT_TYPES),
    ticketId: z.string().check(z.minLength(1)),
    number: z.number().check(z.int(), z.positive()),
    version: z.number().check(z.int(), z.positive()),
    at: z.iso.datetime(),
    actor: z.object({ id: z.string(), role: z.string(), ip: z.optional(z.string()) }),
    data: z.record(z.string(), z.unknown()),
    ticket: z.object({
      status: z.string(),
      priority: z.string(),
      category: z.string(),
      team: z.string(),
      assignee: z.nullable(z.string()),
      channel: z.string(),
      tags: z.optional(z.array(z.string())),
      fields: z.optional(z.record(z.string(), z.union([z.string(), z.number()]))),
      followed: z.optional(z.boolean()),
    }),
    retainUntil: z.optional(z.iso.datetime()),
  }),
);
