// The organisation's SOP as data: one schema, validated by `cdk synth` and at cold start alike.
import * as z from '#shared/domain/zod.ts';
import { ATTACHMENT_TYPES, LANGUAGES, LEVELS, MACRO_PLACEHOLDERS, PRIORITIES, STATUSES } from './config-values.ts';

const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes'));
const localised = z.strictObject({ id: z.string().check(z.minLength(1)), en: z.string().check(z.minLength(1)) });
const hhmm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)'));
const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'));
const durationMinutes = z.number().check(z.int(), z.positive());

const isIanaZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** One escalation ladder: each step once, `afterMinutes` (wall clock) after the first breach. */
const ladderSchema = z.array(
  z.strictObject({ action: z.enum(['notify-lead', 'raise-priority', 'next-tier']), afterMinutes: z.number().check(z.int(), z.gte(0)) }),
);

export const teamSchema = z.strictObject({
  id,
  name: localised,
  /** Team that takes escalations from this one (the ladder's `next-tier` step); any team, the triage team included. */
  nextTier: z.optional(id),
  /** This team's own ladder, instead of `sla.escalation`. */
  escalation: z.optional(ladderSchema),
});

export const categorySchema = z.strictObject({
  id,
  name: localised,
  team: id,
  /** Words or phrases that place a ticket in this category, matched case- and accent-insensitively. */
  keywords: z.strictObject({
    id: z._default(z.array(z.string().check(z.minLength(2))), []),
    en: z._default(z.array(z.string().check(z.minLength(2))), []),
  }),
});

/** A tag or an option id: lower-case letters, digits and dashes, as a ticket's tags are written. */
const tagId = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes (at most 40)'));

const ROLE_NAMES = ['requester', 'agent', 'lead', 'admin'] as const;
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'list'] as const;

const isRegExp = (pattern: string) => {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
};

/** A typed field a ticket may carry (NISN, class, room, asset tag): shape here, cross-checks below. */
export const customFieldSchema = z.strictObject({
  id,
  name: localised,
  type: z.enum(CUSTOM_FIELD_TYPES),
  /** `list`: the values to choose from (an id and names); required for a list, refused for the others. */
  options: z.optional(z.array(z.strictObject({ id: tagId, name: localised }))),
  /** `text`: a regular expression the whole value must match (e.g. `^[0-9]{10}$` for a NISN). */
  pattern: z.optional(z.string().check(z.refine(isRegExp, 'must be a valid regular expression'))),
  /** `text`: the longest value. */
  maxLength: z._default(z.number().check(z.int(), z.gte(1), z.lte(500)), 200),
  /** `number`: the smallest and largest value. */
  min: z.optional(z.number()),
  max: z.optional(z.number()),
  /** The categories whose tickets carry the field; absent: every category. */
  categories: z.optional(z.array(id)),
  /** Categories whose tickets must have a value (checked when filed through the API or the console, and when a ticket moves to one). */
  requiredFor: z._default(z.array(id), []),
  /** Who may set the field; staff by default. A requester sets it on their own tickets. */
  setBy: z._default(z.array(z.enum(ROLE_NAMES)).check(z.minLength(1)), ['agent', 'lead', 'admin']),
  /** `list` only: the reports count tickets by its value, and filter on it. */
  report: z._default(z.boolean(), false),
});
export type CustomField = z.infer<typeof customFieldSchema>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
/** The placeholders a text names that the desk does not know. */
export const unknownPlaceholders = (text: string): string[] =>
  [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!).filter((name) => !(MACRO_PLACEHOLDERS as readonly string[]).includes(name));

const macroText = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((text) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text), 'must not contain control characters'),
    z.refine(
      (text) => unknownPlaceholders(text).length === 0,
      `names a placeholder the desk does not know; use ${MACRO_PLACEHOLDERS.map((name) => `{{${name}}}`).join(', ')}`,
    ),
  );

/**
 * A macro: a reply (in each language, with placeholders) and changes to the ticket, applied in one write. The
 * configuration's default macros and the ones staff write (POST /macros) share this shape.
 */
const macroFields = z.strictObject({
  name: z.strictObject({ id: macroText(80), en: macroText(80) }),
  reply: z.optional(z.strictObject({ id: macroText(5000), en: macroText(5000) })),
  /** The reply goes to the requester (public) or stays among staff (an internal note). */
  visibility: z._default(z.enum(['public', 'internal']), 'public'),
  actions: z._default(
    z.strictObject({
      status: z.optional(z.enum(STATUSES)),
      priority: z.optional(z.enum(PRIORITIES)),
      category: z.optional(id),
      team: z.optional(id),
      /** `me`: the agent who applies it; `none`: unassigned. */
      assignee: z.optional(z.enum(['me', 'none'])),
      addTags: z.optional(z.array(tagId).check(z.maxLength(10))),
      removeTags: z.optional(z.array(tagId).check(z.maxLength(10))),
      /** Custom fields to set (null clears one). */
      fields: z.optional(
        z.record(
          z.string().check(z.minLength(1), z.maxLength(64)),
          z.union([z.string().check(z.minLength(1), z.maxLength(500)), z.number(), z.null()]),
        ),
      ),
    }),
    {},
  ),
});
const doesSomething = (macro: { reply?: unknown; actions: object }) => macro.reply !== undefined || Object.keys(macro.actions).length > 0;
const DOES_NOTHING = { message: 'must reply or change something: give reply or actions', path: ['actions'] };
export const macroSchema = macroFields.check(z.refine(doesSomething, DOES_NOTHING));
/** A default macro in the configuration: with its id. */
const configuredMacroSchema = z.extend(macroFields, { id }).check(z.refine(doesSomething, DOES_NOTHING));
/** A macro staff write (POST /macros): for the desk (leads, admins) or for themselves. */
export const createMacroSchema = z
  .extend(macroFields, { scope: z.enum(['shared', 'personal']) })
  .check(z.refine(doesSomething, DOES_NOTHING));
export type MacroDefinition = z.infer<typeof macroSchema>;

const slaTargetsSchema = z.strictObject({
  calendar: z.enum(['business', '24x7']),
  firstResponseMinutes: durationMinutes,
  nextUpdateMinutes: durationMinutes,
  resolutionMinutes: durationMinutes,
});

export type EscalationStep = z.infer<typeof ladderSchema>[number];
export type EscalationAction = EscalationStep['action'];

const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/** Loopback addresses: a webhook may use plain http only to reach a receiver on this machine (the sandbox). */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

const webhookUrl = z.url({ message: 'must be an https:// URL' }).check(
  z.maxLength(2048),
  z.refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname));
  }, 'must be an https:// URL (plain http only to localhost, for the sandbox)'),
  z.refine(
    (value) => !new URL(value).username && !new URL(value).password,
    'must not carry a user name or password: the signature authenticates',
  ),
);

/** One outgoing webhook (docs/integrations.md): which events, which tickets, where, signed with which secret. */
export const webhookSchema = z.strictObject({
  id,
  url: webhookUrl,
  /** Ticket event types (docs/events.md); checked against the event types when the file is loaded (load-config.ts). */
  events: z.array(z.string().check(z.minLength(1))).check(z.minLength(1, 'must name at least one event type')),
  /** Only tickets of these teams, categories, priorities (each optional; all given must match). */
  filter: z._default(
    z.strictObject({
      teams: z.optional(z.array(id).check(z.minLength(1))),
      categories: z.optional(z.array(id).check(z.minLength(1))),
      priorities: z.optional(z.array(z.enum(PRIORITIES)).check(z.minLength(1))),
    }),
    {},
  ),
  /** Internal notes (CommentAdded with visibility internal) are sent only when this is true. */
  internalNotes: z._default(z.boolean(), false),
  /** The name of the secret that holds the signing key (`whsec_…`): in AWS a Secrets Manager secret, in the
   *  sandbox a file of that name under .sandbox/webhook-secrets/. Never the key itself. */
  secret: z.string().check(
    z.regex(
      /^[A-Za-z0-9/_+=.@-]{1,256}$/,
      'must be the name of a Secrets Manager secret, such as helpdesk/webhooks/erp (never the key itself)',
    ),
    z.refine((value) => !value.startsWith('whsec_'), 'must be the name of a secret, not the key itself: keep the key in Secrets Manager'),
  ),
  /** How long one delivery may take before it counts as failed (and is retried later). */
  timeoutSeconds: z._default(z.number().check(z.int(), z.gte(1), z.lte(10)), 5),
});
export type WebhookSubscription = z.infer<typeof webhookSchema>;

export const configSchema = z
  .strictObject({
    organisation: z.strictObject({
      name: z.string().check(z.minLength(1)),
      timeZone: z.string().check(z.refine(isIanaZone, 'must be an IANA time zone such as Asia/Jakarta')),
      defaultLanguage: z.enum(LANGUAGES),
      languages: z.array(z.enum(LANGUAGES)).check(z.minLength(1)),
      senderAddress: z.email(),
      country: z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166 country code such as ID')),
    }),
    businessHours: z.strictObject({
      days: z.array(weekday).check(z.minLength(1)),
      start: hhmm,
      end: hhmm,
    }),
    /** Dates the desk is closed beyond the country's public holidays (cuti bersama, school breaks). */
    closedDates: z._default(z.array(z.strictObject({ date: isoDate, name: z.string().check(z.minLength(1)) })), []),
    priorityMatrix: z.record(z.enum(LEVELS), z.record(z.enum(LEVELS), z.enum(PRIORITIES))),
    defaults: z.strictObject({ urgency: z.enum(LEVELS), impact: z.enum(LEVELS) }),
    sla: z.strictObject({
      warningFraction: z.number().check(z.gt(0), z.lt(1)),
      policies: z.record(z.enum(PRIORITIES), slaTargetsSchema),
      /** The ladder of every team that has none of its own (`teams[].escalation`). */
      escalation: z._default(ladderSchema, []),
    }),
    triageTeam: id,
    fallbackCategory: id,
    teams: z.array(teamSchema).check(z.minLength(1)),
    categories: z.array(categorySchema).check(z.minLength(1)),
    reopenWindowDays: z._default(z.number().check(z.int(), z.gte(0)), 14),
    /** Tags staff put on tickets (docs/configuration.md). */
    tags: z._default(
      z.strictObject({
        /** Staff may add any tag (true) or only the `known` ones (false: another is refused with 422). */
        free: z._default(z.boolean(), true),
        /** The desk's usual tags, offered first in the console. */
        known: z._default(z.array(tagId), []),
        maxPerTicket: z._default(z.number().check(z.int(), z.gte(1), z.lte(20)), 10),
      }),
      { free: true, known: [], maxPerTicket: 10 },
    ),
    customFields: z._default(z.array(customFieldSchema), []),
    /** The desk's default macros, for every agent; staff add shared and personal ones at run time (POST /macros). */
    macros: z._default(z.array(configuredMacroSchema), []),
    limits: z._default(
      z.strictObject({
        maxBodyBytes: z._default(z.number().check(z.int(), z.positive()), 65536),
        /** Tickets one requester may file per hour (over it: 429 with Retry-After). */
        ticketsPerRequesterPerHour: z._default(z.number().check(z.int(), z.positive()), 20),
        /** Automatic acknowledgements one sender may receive per hour (mail loop and abuse defence). */
        acknowledgementsPerSenderPerHour: z._default(z.number().check(z.int(), z.positive()), 5),
      }),
      { maxBodyBytes: 65536, ticketsPerRequesterPerHour: 20, acknowledgementsPerSenderPerHour: 5 },
    ),
    /** Files sent through the API (POST /attachments, docs/decisions.md "Attachments (issue 14)"). */
    attachments: z._default(
      z.strictObject({
        /** The largest file, in bytes (at most 25 MiB: an upload is one presigned PUT, read back once on link). */
        maxBytes: z._default(z.number().check(z.int(), z.gte(1024), z.lte(25 * 1024 * 1024)), 10 * 1024 * 1024),
        /** The types accepted; each is checked against the file's first bytes when it is linked. */
        types: z._default(z.array(z.enum(ATTACHMENT_TYPES)).check(z.minLength(1)), [...ATTACHMENT_TYPES]),
        /** Files one comment or ticket may carry. */
        perMessage: z._default(z.number().check(z.int(), z.gte(1), z.lte(20)), 5),
      }),
      { maxBytes: 10 * 1024 * 1024, types: [...ATTACHMENT_TYPES], perMessage: 5 },
    ),
    retention: z._default(
      z.strictObject({
        /** Closed tickets and their history are deleted (DynamoDB TTL) this many days after closing. */
        closedTicketDays: z._default(z.number().check(z.int(), z.positive()), 730),
      }),
      { closedTicketDays: 730 },
    ),
    /** Where CloudWatch alarms go (infra/constructs/operations.ts): an SNS topic, and this address when set
     *  (AWS mails it a confirmation link first). See docs/operations.md. */
    operations: z._default(z.strictObject({ alarmEmail: z.optional(z.email()) }), {}),
    /** The weekly trend job (shared/domain/reports/trends.ts): last week against the `weeks` before it, per category. */
    trends: z._default(
      z.strictObject({
        /** |z| at or above which a category's week is unusual (z = (count − mean) / max(sd, √mean, 1)). */
        threshold: z._default(z.number().check(z.positive()), 3),
        /** A rise needs at least this many tickets in the week, a fall this weekly mean: no alarms over 1 → 4. */
        minTickets: z._default(z.number().check(z.int(), z.gte(0)), 5),
        /** Weeks of history the week is compared with. */
        weeks: z._default(z.number().check(z.int(), z.gte(2), z.lte(52)), 8),
      }),
      { threshold: 3, minTickets: 5, weeks: 8 },
    ),
    /** The knowledge base's answer bot and suggestions (docs/chatbot.md, measured by npm run bench). */
    knowledgeBase: z._default(
      z.strictObject({
        /** The bot answers at or above this confidence (0–1) and hands off to a person below it. */
        answerThreshold: z._default(z.number().check(z.gte(0), z.lte(1)), 0.3),
        /** The new-request form is shown articles at or above this confidence. */
        suggestThreshold: z._default(z.number().check(z.gte(0), z.lte(1)), 0.2),
        /** A chat conversation is forgotten after this long without a message (DynamoDB TTL). */
        sessionIdleMinutes: z._default(z.number().check(z.int(), z.gte(5), z.lte(10_080)), 120),
        /** Chat messages one client (address or channel user) may send per hour (over it: 429). */
        messagesPerClientPerHour: z._default(z.number().check(z.int(), z.positive()), 120),
        /** Optional: Amazon Bedrock words the answer from the retrieved article (grounded, cited). Off: the article's own text. */
        generation: z._default(
          z.strictObject({
            enabled: z._default(z.boolean(), false),
            /** A Bedrock foundation model in the stack's region that the Converse API serves. */
            modelId: z._default(
              z
                .string()
                .check(z.regex(/^[a-z0-9-]+\.[A-Za-z0-9.:_-]+$/, 'must be a Bedrock foundation model id such as amazon.nova-lite-v1:0')),
              'amazon.nova-lite-v1:0',
            ),
            maxTokens: z._default(z.number().check(z.int(), z.gte(50), z.lte(2000)), 500),
          }),
          { enabled: false, modelId: 'amazon.nova-lite-v1:0', maxTokens: 500 },
        ),
      }),
      {
        answerThreshold: 0.3,
        suggestThreshold: 0.2,
        sessionIdleMinutes: 120,
        messagesPerClientPerHour: 120,
        generation: { enabled: false, modelId: 'amazon.nova-lite-v1:0', maxTokens: 500 },
      },
    ),
    /** Telegram and WhatsApp as chat channels (docs/channels.md). Tokens and secrets are SSM SecureStrings the admin puts, never here. */
    channels: z._default(
      z.strictObject({
        /** Telegram (a bot); absent: the Telegram webhook refuses every delivery, nothing is sent there, and the
         *  functions are given no way to read its values (the bot token, the webhook's secret: SSM SecureStrings). */
        telegram: z.optional(z.strictObject({})),
        /** WhatsApp Cloud API; absent: the WhatsApp webhooks refuse every delivery, nothing is sent there, and the
         *  functions are given no way to read its values (the app secret, the verify token, the access token). */
        whatsapp: z.optional(
          z.strictObject({
            /** The business number's id in the Graph API (WhatsApp Manager → API setup). Replies go out from it;
             *  messages to the app's other numbers are ignored. */
            phoneNumberId: z.string().check(z.regex(/^\d{5,20}$/, 'must be the phone number id (digits) that Meta shows under API setup')),
            /** The Graph API version the desk calls. */
            graphApiVersion: z._default(z.string().check(z.regex(/^v\d+\.\d+$/, 'must be a Graph API version such as v23.0')), 'v23.0'),
            /** Outside WhatsApp's 24-hour customer-service window only an approved template may be sent: this one,
             *  body `{{1}}` the ticket number and `{{2}}` what happened, one per language (Meta's language code). */
            statusTemplate: z._default(
              z.strictObject({
                name: z.string().check(z.regex(/^[a-z0-9_]{1,512}$/, 'must be a template name: lower-case letters, digits and _')),
                languages: z.strictObject({ id: z.string().check(z.minLength(2)), en: z.string().check(z.minLength(2)) }),
              }),
              { name: 'helpdesk_ticket_update', languages: { id: 'id', en: 'en' } },
            ),
          }),
        ),
      }),
      {},
    ),
    /** Outgoing webhooks: signed POSTs of ticket events to other systems (docs/integrations.md). */
    webhooks: z._default(z.array(webhookSchema), []),
  })
  .check(
    z.superRefine((config, ctx) => {
      // Cross references: every id named somewhere must exist, so a typo fails at synth, not at 3 a.m.
      const teams = new Set(config.teams.map((team) => team.id));
      const categories = new Set(config.categories.map((category) => category.id));
      const refuse = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
      if (!teams.has(config.triageTeam)) refuse(['triageTeam'], `names unknown team "${config.triageTeam}"`);
      if (!categories.has(config.fallbackCategory)) refuse(['fallbackCategory'], `names unknown category "${config.fallbackCategory}"`);
      if (config.businessHours.start >= config.businessHours.end)
        refuse(['businessHours', 'end'], 'must be later than businessHours.start');
      if (!config.organisation.languages.includes(config.organisation.defaultLanguage))
        refuse(['organisation', 'defaultLanguage'], 'must be one of organisation.languages');
      const seen = new Set<string>();
      config.teams.forEach((team, index) => {
        if (seen.has(team.id)) refuse(['teams', index, 'id'], `duplicate team "${team.id}"`);
        seen.add(team.id);
        if (team.nextTier && !teams.has(team.nextTier)) refuse(['teams', index, 'nextTier'], `names unknown team "${team.nextTier}"`);
        if (team.nextTier === team.id) refuse(['teams', index, 'nextTier'], 'must be another team: a team cannot hand over to itself');
        // Every step of every team's ladder must be one the team can take: a hand-over needs a team to go to.
        const ladder = team.escalation ?? config.sla.escalation;
        const handOver = ladder.findIndex((step) => step.action === 'next-tier');
        if (handOver >= 0 && !team.nextTier)
          refuse(
            ['teams', index, 'nextTier'],
            `is needed: the team's escalation ladder (${team.escalation ? `teams.${index}.escalation` : 'sla.escalation'}.${handOver}) hands over to the next tier; name a team (the triage team "${config.triageTeam}" is one), or give the team a ladder without next-tier`,
          );
        team.escalation?.forEach((step, at) => {
          const previous = team.escalation?.[at - 1];
          if (previous && step.afterMinutes < previous.afterMinutes)
            refuse(['teams', index, 'escalation', at, 'afterMinutes'], 'must not be earlier than the step before');
        });
      });
      config.categories.forEach((category, index) => {
        if (!teams.has(category.team)) refuse(['categories', index, 'team'], `names unknown team "${category.team}"`);
      });
      // Each report field adds three counter items to every event's statistics transaction (stats.ts): keep it well under 100.
      if (config.customFields.filter((field) => field.report).length > 10)
        refuse(['customFields'], 'may mark at most 10 fields as report fields');
      const fieldIds = new Set<string>();
      config.customFields.forEach((field, index) => {
        const at = (...path: (string | number)[]) => ['customFields', index, ...path];
        if (fieldIds.has(field.id)) refuse(at('id'), `duplicate field "${field.id}"`);
        fieldIds.add(field.id);
        if (field.type === 'list' && !field.options?.length) refuse(at('options'), 'is needed: a list field offers at least one option');
        if (field.type !== 'list' && field.options) refuse(at('options'), `is for list fields; this one is ${field.type}`);
        if (field.type !== 'text' && field.pattern !== undefined) refuse(at('pattern'), `is for text fields; this one is ${field.type}`);
        if (field.type !== 'number' && (field.min !== undefined || field.max !== undefined))
          refuse(at('min'), `is for number fields; this one is ${field.type}`);
        if (field.min !== undefined && field.max !== undefined && field.min > field.max) refuse(at('max'), 'must not be below min');
        if (field.report && field.type !== 'list')
          refuse(at('report'), 'is for list fields: a report counts tickets by a known set of values');
        const options = new Set<string>();
        field.options?.forEach((option, at2) => {
          if (options.has(option.id)) refuse(at('options', at2, 'id'), `duplicate option "${option.id}"`);
          options.add(option.id);
        });
        for (const [key, list] of [
          ['categories', field.categories ?? []],
          ['requiredFor', field.requiredFor],
        ] as const)
          list.forEach((category, at2) => {
            if (!categories.has(category)) refuse(at(key, at2), `names unknown category "${category}"`);
          });
        field.requiredFor.forEach((category, at2) => {
          if (field.categories && !field.categories.includes(category))
            refuse(at('requiredFor', at2), `names category "${category}", which the field's categories leave out`);
        });
      });
      const macroIds = new Set<string>();
      config.macros.forEach((macro, index) => {
        const at = (...path: (string | number)[]) => ['macros', index, ...path];
        if (macroIds.has(macro.id)) refuse(at('id'), `duplicate macro "${macro.id}"`);
        macroIds.add(macro.id);
        if (macro.actions.team && !teams.has(macro.actions.team))
          refuse(at('actions', 'team'), `names unknown team "${macro.actions.team}"`);
        if (macro.actions.category && !categories.has(macro.actions.category))
          refuse(at('actions', 'category'), `names unknown category "${macro.actions.category}"`);
        for (const field of Object.keys(macro.actions.fields ?? {}))
          if (!fieldIds.has(field)) refuse(at('actions', 'fields', field), `names unknown field "${field}"`);
        if (!config.tags.free)
          for (const tag of macro.actions.addTags ?? [])
            if (!config.tags.known.includes(tag)) refuse(at('actions', 'addTags'), `names "${tag}", which is not one of tags.known`);
      });
      for (const urgency of LEVELS)
        for (const impact of LEVELS)
          if (!config.priorityMatrix[urgency]?.[impact])
            refuse(['priorityMatrix', urgency, impact], 'is missing: the matrix needs every urgency × impact cell');
      for (const priority of PRIORITIES) if (!config.sla.policies[priority]) refuse(['sla', 'policies', priority], 'is missing');
      const webhookIds = new Set<string>();
      config.webhooks.forEach((webhook, index) => {
        if (webhookIds.has(webhook.id)) refuse(['webhooks', index, 'id'], `duplicate webhook "${webhook.id}"`);
        webhookIds.add(webhook.id);
        webhook.filter.teams?.forEach((team, at) => {
          if (!teams.has(team)) refuse(['webhooks', index, 'filter', 'teams', at], `names unknown team "${team}"`);
        });
        webhook.filter.categories?.forEach((category, at) => {
          if (!categories.has(category)) refuse(['webhooks', index, 'filter', 'categories', at], `names unknown category "${category}"`);
        });
      });
      config.sla.escalation.forEach((step, index) => {
        const previous = config.sla.escalation[index - 1];
        if (previous && step.afterMinutes < previous.afterMinutes)
          refuse(['sla', 'escalation', index, 'afterMinutes'], 'must not be earlier than the step before');
      });
    }),
  );

export type HelpdeskConfig = z.infer<typeof configSchema>;
export type Category = z.infer<typeof categorySchema>;
