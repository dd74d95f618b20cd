// OpenAPI 3.1 document built from the zod schemas that validate requests and the one route table, so
// the description cannot drift from what the API accepts.
import { z } from 'zod';
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
import { forecastQuerySchema } from '#shared/domain/reports/forecast.ts';
import { reportQuerySchema } from '#shared/domain/reports/reports.ts';
import {
  availabilitySchema,
  listStaffQuerySchema,
  ownPreferencesSchema,
  staffCardSchema,
  staffEntrySchema,
} from '#shared/domain/staff/staff.ts';
import {
  addCommentSchema,
  createTicketSchema,
  listTicketsQuerySchema,
  pageQuerySchema,
  ticketEventSchema,
  ticketSchema,
  updateTicketSchema,
} from '#shared/domain/tickets/ticket.ts';
import { HTTP_ROUTES, type RouteSpec } from './routes.ts';

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const eventSchema = ticketEventSchema;

const page = (item: z.ZodType) => z.object({ items: z.array(item), cursor: z.string().optional() });

const csatResult = z.object({
  outcome: z.enum(['recorded', 'replaced', 'unchanged']),
  rating: z.number().int(),
  number: z.number().int(),
  language: z.string(),
  commented: z.boolean(),
});

type Operation = {
  summary: string;
  body?: z.ZodType /** Also takes the body as an HTML form. */;
  form?: boolean;
  query?: z.ZodType;
  /** The success status and its JSON body (null: no body). */
  response: [number, z.ZodType | null];
  headers?: string[];
};

const articleSummary = articleSchema.omit({ body: true });
const foundArticle = z.object({
  id: z.string(),
  title: z.string(),
  title_en: z.string().optional(),
  category: z.string(),
  score: z.number(),
});

const OPERATIONS: Record<string, Operation> = {
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
    response: [200, articleSchema.extend({ html: z.string() })],
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
    response: [200, z.object({ suggestionId: z.string().nullable(), articles: z.array(foundArticle) })],
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
  'list-tickets': { summary: 'List tickets (one page)', query: listTicketsQuerySchema, response: [200, page(ticketSchema)] },
  'get-ticket': { summary: 'Read a ticket', response: [200, ticketSchema] },
  'update-ticket': {
    summary: 'Change status, priority, category, team or assignee',
    body: updateTicketSchema,
    response: [200, ticketSchema],
    headers: ['If-Match'],
  },
  'add-comment': { summary: 'Add a public comment or an internal note', body: addCommentSchema, response: [201, eventSchema] },
  'list-events': { summary: "The ticket's history, oldest first", query: pageQuerySchema, response: [200, page(eventSchema)] },
  'rate-own-ticket': {
    summary:
      'The signed-in requester rates their resolved ticket (1–5, optional comment); the last vote within 7 days of the resolution wins',
    body: csatBodySchema,
    response: [200, csatResult],
  },
  'erase-requester': {
    summary: "Erase a requester's personal data everywhere, keeping anonymous statistics (admins)",
    response: [200, z.object({ pseudonym: z.string(), tickets: z.number().int(), events: z.number().int() })],
  },
  'track-ticket': {
    summary: 'A ticket through its signed tracking link (no account needed); a page when the browser asks for text/html',
    response: [
      200,
      z.object({
        number: z.number().int(),
        subject: z.string(),
        status: z.string(),
        language: z.string(),
        createdAt: z.string(),
        updatedAt: z.string(),
        history: z.array(
          z.object({
            at: z.string(),
            type: z.string(),
            by: z.enum(['you', 'staff']),
            status: z.string().optional(),
            body: z.string().optional(),
          }),
        ),
      }),
    ],
  },
  'track-comment': {
    summary: 'Add a public comment through a tracking link',
    body: addCommentSchema,
    response: [201, z.object({ id: z.string(), at: z.string(), body: z.string() })],
  },
  'get-report-summary': {
    summary: 'Figures for a range of local dates (leads and admins); CSV with "Accept: text/csv"',
    query: reportQuerySchema,
    response: [200, z.object({ from: z.string(), to: z.string(), days: z.number().int(), team: z.string().nullable() }).loose()],
  },
  'get-report-forecast': {
    summary:
      'Expected daily volume per category for the next days (1–60) with an 80% interval, from an additive Holt-Winters model with weekly season on the last 8 weeks (leads and admins); insufficientHistory: true and no figures with less than 3 weeks',
    query: forecastQuerySchema,
    response: [200, z.object({ insufficientHistory: z.boolean(), days: z.number().int() }).loose()],
  },
  'rate-ticket': {
    summary:
      'A one-click rating (1–5) from the "resolved" mail through its signed link; the last click within 7 days wins. A page when the browser asks for text/html',
    query: csatQuerySchema,
    response: [200, csatResult],
  },
  'comment-rating': {
    summary: 'The rating page: rating and optional comment, as JSON or application/x-www-form-urlencoded (then the answer is the page)',
    body: csatBodySchema,
    form: true,
    response: [200, csatResult],
  },
  health: { summary: 'Liveness', response: [200, z.object({ status: z.literal('ok') })] },
  'get-openapi': { summary: 'This document', response: [200, z.object({ openapi: z.string() })] },
};

const schemaOf = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

const operationFor = (route: RouteSpec) => {
  const operation = OPERATIONS[route.handler];
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
    operationId: route.handler.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()),
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
