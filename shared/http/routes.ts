// The one route table of the HTTP API. CDK makes one function and one API Gateway route per entry, with
// exactly the DynamoDB actions listed; the sandbox serves the same table through the same handler modules.
import type { IndexName } from '#shared/adapters/table-definition.ts';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** DynamoDB actions a handler performs (a transaction needs the actions of the items inside it). */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:Query';

/** What a function may do to the table: item actions on the table itself, and Query on the named indexes. */
export type TableAccess = { tableActions: TableAction[]; queryIndexes: IndexName[] };

export const usesTable = (access: TableAccess): boolean => access.tableActions.length > 0 || access.queryIndexes.length > 0;

/** Secrets a function reads (granted secretsmanager:GetSecretValue on exactly these). */
export type SecretName = 'signing-key';

export type RouteSpec = TableAccess & {
  secrets?: SecretName[];
  /** The route deletes stored mail attachments (erasure): s3:DeleteObject on the mail bucket's attachments. */
  deletesAttachments?: boolean;
  /** The route may word answers with Amazon Bedrock: bedrock:InvokeModel on the configured model, only while
   *  knowledgeBase.generation.enabled. */
  generation?: boolean;
  method: HttpMethod;
  /** API Gateway route path, `{name}` for a path parameter. */
  path: string;
  /** Module under `functions/http/`, without the extension. */
  handler: string;
  /** Whether the JWT authorizer guards the route. */
  auth: boolean;
};

export const HTTP_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/tickets',
    handler: 'create-ticket',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    queryIndexes: [],
  },
  {
    method: 'GET',
    path: '/tickets',
    handler: 'list-tickets',
    auth: true,
    tableActions: [],
    // gsi6: the SLA queue (sort=due, sla=at-risk|breached).
    queryIndexes: ['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi6'],
  },
  { method: 'GET', path: '/tickets/{id}', handler: 'get-ticket', auth: true, tableActions: ['dynamodb:GetItem'], queryIndexes: [] },
  {
    method: 'PATCH',
    path: '/tickets/{id}',
    handler: 'update-ticket',
    auth: true,
    // Query: the staff directory, when the assignee or the team changes (who may be assigned).
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    queryIndexes: [],
  },
  {
    method: 'POST',
    path: '/tickets/{id}/comments',
    handler: 'add-comment',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  {
    method: 'GET',
    path: '/tickets/{id}/events',
    handler: 'list-events',
    auth: true,
    // The history is a Query on the table itself (TICKET#<id> / EVENT#…), no index.
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
    queryIndexes: [],
  },
  {
    method: 'PUT',
    path: '/tickets/{id}/csat',
    handler: 'rate-own-ticket',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  {
    method: 'POST',
    path: '/admin/requesters/{id}/erase',
    handler: 'erase-requester',
    auth: true,
    deletesAttachments: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    queryIndexes: ['gsi2'],
  },
  {
    method: 'GET',
    path: '/reports/summary',
    handler: 'get-report-summary',
    auth: true,
    // Query: one per local date on STATS#<date> (the table), one per working status on the queue indexes
    // (gsi1 for a team, gsi4 for the whole desk).
    tableActions: ['dynamodb:Query'],
    queryIndexes: ['gsi1', 'gsi4'],
  },
  {
    method: 'GET',
    path: '/reports/forecast',
    handler: 'get-report-forecast',
    auth: true,
    // Query: one per local date of the last 8 weeks on STATS#<date> (the table).
    tableActions: ['dynamodb:Query'],
    queryIndexes: [],
  },
  // Public: the signed link in the acknowledgement mail is the credential (it names one ticket, and expires).
  {
    method: 'GET',
    path: '/track/{token}',
    handler: 'track-ticket',
    auth: false,
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
    queryIndexes: [],
    secrets: ['signing-key'],
  },
  {
    method: 'POST',
    path: '/track/{token}/comments',
    handler: 'track-comment',
    auth: false,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
    secrets: ['signing-key'],
  },
  // Public: the signed rating link in the "resolved" mail (purpose csat, one ticket, 7 days after the resolution).
  {
    method: 'GET',
    path: '/csat/{token}',
    handler: 'rate-ticket',
    auth: false,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
    secrets: ['signing-key'],
  },
  {
    method: 'POST',
    path: '/csat/{token}',
    handler: 'comment-rating',
    auth: false,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
    secrets: ['signing-key'],
  },
  // The knowledge base: published articles and search are public; writing, drafts and history are staff's
  // (the permission table decides; requesters are refused with 403).
  { method: 'GET', path: '/kb/articles', handler: 'list-articles', auth: false, tableActions: ['dynamodb:Query'], queryIndexes: [] },
  { method: 'GET', path: '/kb/articles/{id}', handler: 'get-article', auth: false, tableActions: ['dynamodb:GetItem'], queryIndexes: [] },
  // The article and its first version in one transaction of two conditional Puts.
  { method: 'POST', path: '/kb/articles', handler: 'create-article', auth: true, tableActions: ['dynamodb:PutItem'], queryIndexes: [] },
  {
    method: 'PUT',
    path: '/kb/articles/{id}',
    handler: 'update-article',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  {
    method: 'DELETE',
    path: '/kb/articles/{id}',
    handler: 'delete-article',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  // Versions: a Query on KBARTICLE#<id> (the table).
  {
    method: 'GET',
    path: '/kb/articles/{id}/history',
    handler: 'list-article-history',
    auth: true,
    tableActions: ['dynamodb:Query'],
    queryIndexes: [],
  },
  { method: 'GET', path: '/kb/drafts', handler: 'list-draft-articles', auth: true, tableActions: ['dynamodb:Query'], queryIndexes: [] },
  { method: 'GET', path: '/kb/search', handler: 'search-articles', auth: false, tableActions: ['dynamodb:Query'], queryIndexes: [] },
  // The suggestion kept and the day's counters added, in one transaction.
  {
    method: 'GET',
    path: '/kb/suggest',
    handler: 'suggest-articles',
    auth: true,
    tableActions: ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    queryIndexes: [],
  },
  {
    method: 'POST',
    path: '/kb/deflections',
    handler: 'record-deflection',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    queryIndexes: [],
  },
  // Public: the answer bot. Its session (Get/Put), the articles (Query), its counters and hourly limit
  // (Update), and a handoff ticket through createTicket (the actions of POST /tickets).
  {
    method: 'POST',
    path: '/chat',
    handler: 'chat',
    auth: false,
    generation: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    queryIndexes: [],
  },
  // The staff directory: colleagues (agents their teams', leads and admins everyone), one's own entry and
  // choices, and availability (in or out of routing). Query: the directory's partition; Get/Put: one entry.
  { method: 'GET', path: '/staff', handler: 'list-staff', auth: true, tableActions: ['dynamodb:Query'], queryIndexes: [] },
  {
    method: 'GET',
    path: '/staff/me',
    handler: 'get-own-staff-entry',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  {
    method: 'PATCH',
    path: '/staff/me',
    handler: 'update-own-preferences',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  {
    method: 'PUT',
    path: '/staff/{id}/availability',
    handler: 'set-availability',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  { method: 'GET', path: '/health', handler: 'health', auth: false, tableActions: [], queryIndexes: [] },
  { method: 'GET', path: '/openapi.json', handler: 'get-openapi', auth: false, tableActions: [], queryIndexes: [] },
];

/** Answers every request no route matches (API Gateway's `$default` route): 404, or 405 with `Allow`. */
export const FALLBACK_HANDLER = 'not-found';

const templateToRegExp = (path: string) => new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);

const COMPILED = HTTP_ROUTES.map((route) => ({ route, pattern: templateToRegExp(route.path) }));

export type RouteMatch =
  | { kind: 'route'; route: RouteSpec; pathParameters: Record<string, string> }
  | { kind: 'wrong-method'; allow: HttpMethod[] }
  | { kind: 'none' };

/** Matches a request path the way API Gateway does, for the sandbox and for the fallback handler. */
export const matchRoute = (method: string, path: string): RouteMatch => {
  const candidates = COMPILED.flatMap(({ route, pattern }) => {
    const match = pattern.exec(path);
    return match ? [{ route, pathParameters: { ...match.groups } }] : [];
  });
  const exact = candidates.find((candidate) => candidate.route.method === method.toUpperCase());
  if (exact) return { kind: 'route', ...exact };
  if (candidates.length > 0) return { kind: 'wrong-method', allow: candidates.map((candidate) => candidate.route.method) };
  return { kind: 'none' };
};
