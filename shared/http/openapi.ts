// OpenAPI 3.1 document built from the zod schemas that validate requests and the one route table, so
// the description cannot drift from what the API accepts.

import { createMacroSchema, macroSchema } from '#shared/config/config-schema.ts';
import { telegramUpdateSchema } from '#shared/domain/channels/telegram-update.ts';
import { whatsappVerifyQuerySchema } from '#shared/domain/channels/webhook-auth.ts';
import { whatsappNotificationSchema } from '#shared/domain/channels/whatsapp-notification.ts';
import { chatReplySchema, chatRequestSchema } from '#shared/domain/chat/converse.ts';
import { csatBodySchema, csatQuerySchema } from '#shared/domain/csat/csat.ts';
import {
  articleEventSchema,
  articleInputSchema,
  articleSchema,
  createArticleSchema,
  listArticlesQuerySchema,
} from '#shared/domain/kb/article.ts';
import { deflectionSchema, searchQuerySchema, suggestQuerySchema } from '#shared/domain/kb/find-articles.ts';
import { macroOutputSchema } from '#shared/domain/macros/macros.ts';
import { inviteSchema, personChangeSchema } from '#shared/domain/people/people.ts';
import { requesterRecordQuerySchema } from '#shared/domain/people/requester-record.ts';
import { forecastQuerySchema } from '#shared/domain/reports/forecast.ts';
import { reportQuerySchema } from '#shared/domain/reports/reports.ts';
import { trendQuerySchema } from '#shared/domain/reports/trends.ts';
import { searchHitSchema, searchTicketsQuerySchema } from '#shared/domain/search/search-tickets.ts';
import {
  availabilitySchema,
  listStaffQuerySchema,
  ownPreferencesSchema,
  staffCardSchema,
  staffEntrySchema,
} from '#shared/domain/staff/staff.ts';
import { uploadRequestSchema } from '#shared/domain/tickets/attachments.ts';
import { linkTicketSchema, mergeTicketSchema } from '#shared/domain/tickets/relate-tickets.ts';
import {
  addCommentSchema,
  createTicketSchema,
  historyQuerySchema,
  listTicketsQuerySchema,
  pageQuerySchema,
  ticketEventSchema,
  ticketSchema,
  ticketSummarySchema,
  updateTicketSchema,
} from '#shared/domain/tickets/ticket.ts';
import * as z from '#shared/domain/zod.ts';
import { HTTP_ROUTES, type RouteSpec } from './routes.ts';

const problemSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().check(z.int()),
    detail: z.string(),
    instance: z.optional(z.string()),
    errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
);

const eventSchema = ticketEventSchema;

const page = (item: z.ZodMiniType) => z.object({ items: z.array(item), cursor: z.optional(z.string()) });

const csatResult = /* @__PURE__ */ z.schema(() =>
  z.object({
    outcome: z.enum(['recorded', 'replaced', 'unchanged']),
    rating: z.number().check(z.int()),
    number: z.number().check(z.int()),
    language: z.string(),
    commented: z.boolean(),
  }),
);

const csatChoice = /* @__PURE__ */ z.schema(() =>
  z.object({
    number: z.number().check(z.int()),
    language: z.string(),
    rating: z.number().check(z.int()),
    recorded: z.literal(false),
    current: z.nullable(z.number().check(z.int())),
  }),
);

type Operation = {
  summary: string;
  body?: z.ZodMiniType /** Also takes the body as an HTML form. */;
  form?: boolean;
  query?: z.ZodMiniType;
  /** The success status and its JSON body (null: no body). */
  response: [number, z.ZodMiniType | null];
  headers?: string[];
};

const articleSummary = /* @__PURE__ */ z.schema(() => z.omit(articleSchema, { body: true }));
const foundArticle = /* @__PURE__ */ z.schema(() =>
  z.object({
    id: z.string(),
    title: z.string(),
    title_en: z.optional(z.string()),
    category: z.string(),
    score: z.number(),
  }),
);

const exportViewSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    id: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    startedAt: z.string(),
    finishedAt: z.optional(z.string()),
    counts: z.object({ tickets: z.number().check(z.int()), events: z.number().check(z.int()), files: z.number().check(z.int()) }),
    download: z.optional(z.object({ url: z.string(), expiresAt: z.string() })),
  }),
);

/** What an upload request is granted (POST /attachments, POST /track/{token}/attachments). */
const uploadGrantSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    upload: z.string(),
    url: z.string(),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()),
    maxBytes: z.number().check(z.int()),
    expiresAt: z.string(),
  }),
);
const downloadLinkSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    url: z.string(),
    name: z.string(),
    contentType: z.string(),
    size: z.number().check(z.int()),
    expiresAt: z.string(),
  }),
);

const person = /* @__PURE__ */ z.schema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    email: z.optional(z.string()),
    role: z.enum(['agent', 'lead', 'admin']),
    teams: z.array(z.string()),
    available: z.boolean(),
    active: z.boolean(),
    updatedAt: z.string(),
  }),
);

const OPERATIONS: Record<string, Operation> = {
  'list-people': {
    summary: 'Everyone the staff directory knows, active or not, with their address (admins)',
    response: [200, z.object({ items: z.array(person) })],
  },
  'invite-person': {
    summary:
      'Invite a person by address with a role and teams: an account in the user pool (Cognito mails a temporary password), in the directory at once, audited (admins); 409 naming email when it is in use',
    body: inviteSchema,
    response: [201, person],
  },
  'change-person': {
    summary: "Change a person's role or teams, disable or re-enable their account; audited (admins); 409 for the last administrator",
    body: personChangeSchema,
    response: [200, person],
  },
  'list-person-history': {
    summary: "One person's audit trail, oldest first: what was changed, by whom, when and from where (admins)",
    response: [200, z.object({ items: z.array(z.catchall(z.object({ id: z.string(), type: z.string(), at: z.string() }), z.unknown())) })],
  },
  'get-organisation': {
    summary:
      'The organisation as configured (teams, categories, priorities, SLA targets, hours, closed days of the coming year), where each is set, and categories nobody can be given now (leads, admins)',
    response: [
      200,
      z.catchall(
        z.object({ file: z.string(), coverage: z.array(z.object({ category: z.string(), team: z.string(), problem: z.string() })) }),
        z.unknown(),
      ),
    ],
  },
  'get-requester-record': {
    summary: "A requester's contact details and tickets within the caller's reach (staff); canErase for admins",
    query: requesterRecordQuerySchema,
    response: [
      200,
      z.catchall(
        z.object({ requester: z.catchall(z.object({ id: z.string() }), z.unknown()), erased: z.boolean(), canErase: z.boolean() }),
        z.unknown(),
      ),
    ],
  },
  'get-report-trends': {
    summary:
      "Last week's categories with unusual volume against the weeks before, each with a recommendation (leads for their teams, admins)",
    query: trendQuerySchema,
    response: [
      200,
      z.catchall(
        z.object({ week: z.object({ from: z.string(), to: z.string() }), trends: z.array(z.catchall(z.object({}), z.unknown())) }),
        z.unknown(),
      ),
    ],
  },
  'list-staff': {
    summary: "Staff a caller may see (agents: their teams'; leads, admins: everyone), optionally one team's",
    query: listStaffQuerySchema,
    response: [200, z.object({ items: z.array(staffCardSchema) })],
  },
  'get-own-staff-entry': {
    summary: 'Your own staff entry: role, teams, availability, which mails you get',
    response: [200, staffEntrySchema],
  },
  'update-own-preferences': {
    summary: 'Turn kinds of staff mail on or off; choose the language of staff mail',
    body: ownPreferencesSchema,
    response: [200, staffEntrySchema],
  },
  'set-availability': {
    summary: "Take a person in or out of routing (`me`; a lead their teams' people; an admin anyone)",
    body: availabilitySchema,
    response: [200, staffCardSchema],
  },
  'list-articles': {
    summary: 'The published knowledge-base articles (no account needed)',
    query: listArticlesQuerySchema,
    response: [200, z.object({ items: z.array(articleSummary) })],
  },
  'get-article': {
    summary: 'One published article (no account needed): its Markdown body and the same as safe HTML; the ETag is its version',
    response: [200, z.extend(articleSchema, { html: z.string() })],
  },
  'create-article': {
    summary: 'Write a new article (agents, leads, admins); a draft unless status is published',
    body: createArticleSchema,
    response: [201, articleSchema],
  },
  'update-article': {
    summary: 'Replace an article (agents, leads, admins); If-Match: the version edited (428 without, 412 when stale)',
    body: articleInputSchema,
    response: [200, articleSchema],
    headers: ['If-Match'],
  },
  'delete-article': {
    summary: 'Delete an article (agents, leads, admins); If-Match; its history stays',
    response: [204, null],
    headers: ['If-Match'],
  },
  'list-article-history': {
    summary: "An article's versions, newest first (agents, leads, admins)",
    query: pageQuerySchema,
    response: [200, page(articleEventSchema)],
  },
  'list-draft-articles': {
    summary: 'The draft articles, whole (agents, leads, admins)',
    response: [200, z.object({ items: z.array(articleSchema) })],
  },
  'search-articles': {
    summary: 'Search the published articles (Indonesian and English, informal spellings, typos); best first',
    query: searchQuerySchema,
    response: [200, z.object({ query: z.string(), confidence: z.number(), articles: z.array(foundArticle) })],
  },
  'suggest-articles': {
    summary: 'Up to three articles for the new-request form; counted as shown, with a suggestionId to report opened and withdrawn',
    query: suggestQuerySchema,
    response: [200, z.object({ suggestionId: z.nullable(z.string()), articles: z.array(foundArticle) })],
  },
  'record-deflection': {
    summary: 'Report a suggested article opened, or the request withdrawn after reading (counted once per suggestion)',
    body: deflectionSchema,
    response: [200, z.object({ outcome: z.enum(['opened', 'withdrawn']), counted: z.boolean() })],
  },
  chat: {
    summary:
      'The answer bot (no account needed): answers from the articles or hands off; on "ya"/"yes" to its offer it opens a ticket (channel chat) for the email address given in the conversation',
    body: chatRequestSchema,
    response: [200, chatReplySchema],
  },
  'create-ticket': { summary: 'File a ticket', body: createTicketSchema, response: [201, ticketSchema], headers: ['Idempotency-Key'] },
  'list-tickets': {
    summary: 'List tickets (one page): what a list shows of each (no description, custom fields, links or followers)',
    query: listTicketsQuerySchema,
    response: [200, page(ticketSummarySchema)],
  },
  'search-tickets': {
    summary:
      "Search tickets by number (#123), the requester's email or phone, and the words of subject, description and public comments (Indonesian and English: affixes, informal spellings, typos), best first, within what the caller may see; `words` are the words searched for (typos corrected)",
    query: searchTicketsQuerySchema,
    response: [200, z.object({ items: z.array(searchHitSchema), cursor: z.optional(z.string()), words: z.array(z.string()) })],
  },
  'get-ticket': { summary: 'Read a ticket', response: [200, ticketSchema] },
  'update-ticket': {
    summary: 'Change status, priority, category, team or assignee',
    body: updateTicketSchema,
    response: [200, ticketSchema],
    headers: ['If-Match'],
  },
  'add-comment': {
    summary:
      'Add a public comment or an internal note, with the files it names (`attachments`: uploads from POST /attachments, each checked against its type and size; 422 or 413 naming attachments.<n>.upload, and nothing saved)',
    body: addCommentSchema,
    response: [201, eventSchema],
  },
  'request-upload': {
    summary:
      "A 15-minute upload URL for one file: PUT its bytes there with the Content-Type given, then name the upload in a comment's attachments; 413 naming size over attachments.maxBytes, 422 naming contentType for a type the desk does not accept",
    body: uploadRequestSchema,
    response: [201, uploadGrantSchema],
  },
  'get-attachment': {
    summary:
      "A 5-minute download link for the index-th file of an event (a comment, or the ticket's creation), for a caller who may see that event; an internal note's files are staff's (404 to a requester)",
    response: [200, downloadLinkSchema],
  },
  'list-events': {
    summary:
      "The ticket's history, oldest first (order=newest: newest first); requesters see the public part. Staff reads are not in it (GET /tickets/{id}/views)",
    query: historyQuerySchema,
    response: [200, page(eventSchema)],
  },
  'list-views': {
    summary: 'Who read the ticket (staff reads: who, role, time, IP), newest first; for staff who may read its internal notes',
    query: pageQuerySchema,
    response: [200, page(eventSchema)],
  },
  'follow-ticket PUT': {
    summary:
      'Follow a ticket (staff who may read it): its comments and status changes are mailed to you (`followed-update`); following twice changes nothing',
    response: [200, ticketSchema],
  },
  'follow-ticket DELETE': { summary: 'Stop following a ticket', response: [200, ticketSchema] },
  'merge-ticket': {
    summary:
      "Merge this ticket (a duplicate) into `into` (agents: both in their teams; leads, admins): the duplicate is closed with a reference and its requester told by mail, and follows the primary's public updates; into itself or a closed ticket is 409",
    body: mergeTicketSchema,
    response: [200, z.object({ duplicate: ticketSchema, primary: ticketSchema })],
  },
  'link-tickets': {
    summary:
      'Relate two tickets, recorded on both: `related`, or `parent`/`child` (a major incident and its reports; two levels, one parent each); already linked, to itself or a closed ticket is 409',
    body: linkTicketSchema,
    response: [200, z.object({ ticket: ticketSchema, other: ticketSchema })],
  },
  'apply-macro': {
    summary:
      "Apply a macro: its reply (in the ticket's language, placeholders filled) and its changes as one new version (agents, leads, admins; every change needs the caller's permission; a move the life cycle forbids is 409 and nothing is applied); If-Match optional",
    response: [200, z.object({ ticket: ticketSchema, events: z.array(eventSchema) })],
    headers: ['If-Match'],
  },
  'macros GET': {
    summary: "The macros the caller may apply: the desk's defaults and shared ones, and their own personal ones (staff)",
    response: [200, z.object({ items: z.array(macroOutputSchema) })],
  },
  'macros POST': {
    summary: 'Write a macro: shared (leads, admins) or personal (any staff member, seen by its owner only)',
    body: createMacroSchema,
    response: [201, macroOutputSchema],
  },
  'write-macro PUT': {
    summary: 'Replace a shared (leads, admins) or personal (its owner) macro; If-Match: the version edited (412 when stale)',
    body: macroSchema,
    response: [200, macroOutputSchema],
    headers: ['If-Match'],
  },
  'write-macro DELETE': {
    summary: 'Delete a shared (leads, admins) or personal (its owner) macro; If-Match',
    response: [204, null],
    headers: ['If-Match'],
  },
  'rate-own-ticket': {
    summary:
      'The signed-in requester rates their resolved ticket (1–5, optional comment); the last vote within 7 days of the resolution wins',
    body: csatBodySchema,
    response: [200, csatResult],
  },
  'start-export': {
    summary:
      'Start a full export of every ticket, event, comment and file reference as JSON Lines, or join the one running (admins); 202 with Location to poll',
    response: [202, exportViewSchema],
  },
  'get-export': {
    summary: 'An export as it stands: 202 while it runs, 200 with a one-hour download link once done (admins)',
    response: [200, exportViewSchema],
  },
  'erase-requester': {
    summary:
      "Erase a person's personal data everywhere (every id linked to the one named: sign-in id, address, number), keeping anonymous statistics; reports each id erased (admins)",
    response: [
      200,
      z.object({
        pseudonym: z.string(),
        tickets: z.number().check(z.int()),
        events: z.number().check(z.int()),
        identities: z.array(z.object({ id: z.string(), tickets: z.number().check(z.int()), events: z.number().check(z.int()) })),
        notYetErased: z.optional(z.array(z.string())),
      }),
    ],
  },
  'track-ticket': {
    summary:
      'A ticket through its signed tracking link (no account needed): its newest public history (at most 100 items; olderNotShown when there is more); a page when the browser asks for text/html, with the files of each comment as download links',
    response: [
      200,
      z.object({
        number: z.number().check(z.int()),
        subject: z.string(),
        status: z.string(),
        language: z.string(),
        createdAt: z.string(),
        updatedAt: z.string(),
        history: z.array(
          z.object({
            id: z.string(),
            at: z.string(),
            type: z.string(),
            by: z.enum(['you', 'staff']),
            status: z.optional(z.string()),
            body: z.optional(z.string()),
            files: z.optional(z.array(z.object({ name: z.string(), size: z.number().check(z.int()) }))),
          }),
        ),
        olderNotShown: z.boolean(),
      }),
    ],
  },
  'track-comment': {
    summary:
      'Add a public comment through a tracking link, with the files it names (uploads from POST /track/{token}/attachments; 422 or 413 naming attachments.<n>.upload, and nothing saved)',
    body: addCommentSchema,
    response: [201, z.object({ id: z.string(), at: z.string(), body: z.string() })],
  },
  'track-upload': {
    summary:
      'A 15-minute upload URL for one file through a tracking link, as POST /attachments gives a signed-in caller; 409 when the ticket is closed',
    body: uploadRequestSchema,
    response: [201, uploadGrantSchema],
  },
  'track-attachment': {
    summary:
      "A 5-minute download link for the index-th file of a public item of the tracking link's ticket (404 for anything else); a 302 to the file itself when the browser asks for text/html (the tracking page's file links)",
    response: [200, downloadLinkSchema],
  },
  'get-report-summary': {
    summary:
      'Figures for a range of local dates (at most 366; leads for the teams they lead, admins for any team or the desk); CSV with "Accept: text/csv"',
    query: reportQuerySchema,
    response: [
      200,
      z.catchall(
        z.object({ from: z.string(), to: z.string(), days: z.number().check(z.int()), team: z.nullable(z.string()) }),
        z.unknown(),
      ),
    ],
  },
  'get-report-forecast': {
    summary:
      'Expected daily volume per category for the next days (1–60) with an 80% interval, from an additive Holt-Winters model with weekly season on the last 8 weeks (leads and admins); insufficientHistory: true and no figures with less than 3 weeks',
    query: forecastQuerySchema,
    response: [200, z.catchall(z.object({ insufficientHistory: z.boolean(), days: z.number().check(z.int()) }), z.unknown())],
  },
  'rate-ticket': {
    summary:
      'A rating link (1–5) from the "resolved" mail, opened: records nothing (mail scanners open links); the choice with that rating preselected, as a page with a form that posts to POST /csat/{token} when the browser asks for text/html',
    query: csatQuerySchema,
    response: [200, csatChoice],
  },
  'comment-rating': {
    summary:
      'Records a rating (1–5) and an optional comment from the rating page, as JSON or application/x-www-form-urlencoded (then the answer is the page); the last vote within 7 days wins',
    body: csatBodySchema,
    form: true,
    response: [200, csatResult],
  },
  'telegram-webhook': {
    summary:
      "Telegram's webhook (no token: the X-Telegram-Bot-Api-Secret-Token header given to setWebhook, else 401). A Bot API Update; answered through the bot's sendMessage",
    body: telegramUpdateSchema,
    response: [200, z.object({ ok: z.literal(true) })],
    headers: ['X-Telegram-Bot-Api-Secret-Token'],
  },
  'whatsapp-verify': {
    summary:
      "Meta's check of the WhatsApp callback URL: hub.challenge as text/plain for hub.mode=subscribe with the verify token, else 401",
    query: whatsappVerifyQuerySchema,
    response: [200, null],
  },
  'whatsapp-webhook': {
    summary:
      "WhatsApp Cloud API's webhook (no token: X-Hub-Signature-256, the HMAC-SHA256 of the raw body with the app secret, else 401); answered through the Graph API",
    body: whatsappNotificationSchema,
    response: [200, z.object({ ok: z.literal(true) })],
    headers: ['X-Hub-Signature-256'],
  },
  health: { summary: 'Liveness', response: [200, z.object({ status: z.literal('ok') })] },
  'get-openapi': { summary: 'This document', response: [200, z.object({ openapi: z.string() })] },
};

const schemaOf = (schema: z.ZodMiniType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

const operationFor = (route: RouteSpec) => {
  // A handler that serves two methods of one path is described per method (`write-macro PUT`).
  const operation = OPERATIONS[`${route.handler} ${route.method}`] ?? OPERATIONS[route.handler];
  if (!operation) throw new Error(`no OpenAPI description for route handler ${route.handler}`);
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const queryShape = operation.query ? (schemaOf(operation.query, 'input') as { properties?: Record<string, unknown> }) : undefined;
  const queryParameters = Object.entries(queryShape?.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', schema }));
  const headerParameters = (operation.headers ?? []).map((name) => ({ name, in: 'header', schema: { type: 'string' } }));
  return {
    operationId: `${OPERATIONS[`${route.handler} ${route.method}`] ? `${route.method.toLowerCase()}-` : ''}${route.handler}`.replace(
      /-(\w)/g,
      (_, letter: string) => letter.toUpperCase(),
    ),
    summary: operation.summary,
    ...(route.auth ? {} : { security: [] }),
    parameters: [...pathParameters, ...queryParameters, ...headerParameters],
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: schemaOf(operation.body, 'input') },
              ...(operation.form ? { 'application/x-www-form-urlencoded': { schema: schemaOf(operation.body, 'input') } } : {}),
            },
          },
        }
      : {}),
    responses: {
      [operation.response[0]]: {
        description: 'Success',
        ...(operation.response[1] ? { content: { 'application/json': { schema: schemaOf(operation.response[1], 'output') } } } : {}),
      },
      '503': {
        description: 'A service the helpdesk needs is unavailable for now; nothing was changed. Try again after Retry-After seconds.',
        headers: { 'Retry-After': { schema: { type: 'integer' } } },
        content: problemContent,
      },
      default: { description: 'A problem (RFC 9457)', content: problemContent },
    },
  };
};

let cached: Record<string, unknown> | undefined;

export const openApiDocument = (): Record<string, unknown> =>
  (cached ??= {
    openapi: '3.1.0',
    info: { title: 'Helpdesk API', version: '1.0.0', description: 'Tickets, comments and history. Errors are application/problem+json.' },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: schemaOf(problemSchema, 'output') },
    },
    paths: HTTP_ROUTES.reduce<Record<string, Record<string, unknown>>>((paths, route) => {
      (paths[route.path] ??= {})[route.method.toLowerCase()] = operationFor(route);
      return paths;
    }, {}),
  });
