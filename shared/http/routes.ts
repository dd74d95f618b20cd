// The one route table of the HTTP API. CDK makes one function and one API Gateway route per entry, with
// exactly the DynamoDB actions listed; the sandbox serves the same table through the same handler modules.
import type { ChannelSecretName } from '#shared/adapters/channel-secrets.ts';
import type { IndexName } from '#shared/adapters/table-definition.ts';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** DynamoDB actions a handler performs (a transaction needs the actions of the items inside it). */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:Query'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:BatchWriteItem'
  /** The export worker's alone: a full export reads every ticket and history item. */
  | 'dynamodb:Scan';

/** What a function may do to the table: item actions on the table itself, and Query on the named indexes. */
export type TableAccess = { tableActions: TableAction[]; queryIndexes: IndexName[] };

export const usesTable = (access: TableAccess): boolean => access.tableActions.length > 0 || access.queryIndexes.length > 0;

/** Secrets a function reads: SSM SecureStrings, granted ssm:GetParameter on exactly these (infra/constructs/secret-access.ts). */
export type SecretName = 'signing-key' | ChannelSecretName;

/** What a route does to the user pool (granted `cognito-idp:<action>` on the pool, with USER_POOL_ID). */
export type UserPoolAction =
  | 'ListUsers'
  | 'AdminCreateUser'
  | 'AdminDeleteUser'
  | 'AdminAddUserToGroup'
  | 'AdminRemoveUserFromGroup'
  | 'AdminUpdateUserAttributes'
  | 'AdminDisableUser'
  | 'AdminEnableUser';

/**
 * What a route does to the files in the mail bucket (mail attachments and API uploads), each granted on its prefix
 * only, with MAIL_BUCKET: `upload` signs upload URLs (s3:PutObject on uploads/); `link` checks an upload and copies
 * it to attachments/ (s3:GetObject and s3:DeleteObject on uploads/, s3:PutObject on attachments/); `download` signs
 * download links (s3:GetObject on attachments/); `delete` deletes a requester's files (erasure: s3:DeleteObject on
 * attachments/).
 */
export type AttachmentAccess = 'upload' | 'link' | 'download' | 'delete';

export type RouteSpec = TableAccess & {
  secrets?: SecretName[];
  /** The route's access to stored files (see AttachmentAccess). */
  attachments?: AttachmentAccess[];
  /** `start`: hands an export to its worker (lambda:InvokeFunction on the export worker); `download`: signs links to
   *  finished exports (s3:GetObject under exports/ in the mail bucket). */
  exports?: 'start' | 'download';
  /** The route may word answers with Amazon Bedrock: bedrock:InvokeModel on the configured model, only while
   *  knowledgeBase.generation.enabled. */
  generation?: boolean;
  /** The route puts messages on the chat queue (sqs:SendMessage on it, its URL in CHAT_QUEUE_URL). */
  enqueuesChat?: boolean;
  /** The route mails (ses:SendEmail from the helpdesk's address, as the notify consumer). */
  mails?: boolean;
  /** The route uses the user pool (the People screen, erasure's lookups): exactly these actions on the pool. */
  userPool?: UserPoolAction[];
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
  {
    method: 'GET',
    path: '/tickets/search',
    handler: 'search-tickets',
    auth: true,
    // Query: one per word on SEARCH#<term> (and the vocabulary, for a misspelt word), a requester's own tickets
    // on gsi2. GetItem: the ticket counter, a number's pointer and its ticket. BatchGetItem: the page's
    // tickets, and what the index holds of a requester's tickets.
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
    queryIndexes: ['gsi2'],
  },
  {
    method: 'GET',
    path: '/tickets/{id}',
    handler: 'get-ticket',
    auth: true,
    // PutItem: a staff read's audit record (AUDIT#<id> / VIEW#…).
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
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
    attachments: ['link'],
    // Query: the staff directory, for an internal note that names colleagues (`@budi`).
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    queryIndexes: [],
  },
  // Files: an upload URL (no table), and a download link for a file of an event the caller may see (the ticket
  // and its history: Get, Query).
  {
    method: 'POST',
    path: '/attachments',
    handler: 'request-upload',
    auth: true,
    attachments: ['upload'],
    tableActions: [],
    queryIndexes: [],
  },
  {
    method: 'GET',
    path: '/tickets/{id}/events/{eventId}/attachments/{index}',
    handler: 'get-attachment',
    auth: true,
    attachments: ['download'],
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
    queryIndexes: [],
  },
  // Merge and link: both tickets read (Get) and written in one transaction (Put).
  {
    method: 'POST',
    path: '/tickets/{id}/merge',
    handler: 'merge-ticket',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  {
    method: 'POST',
    path: '/tickets/{id}/links',
    handler: 'link-tickets',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  // Following and no longer following (one function): the ticket (Get) and its new version (Put).
  {
    method: 'PUT',
    path: '/tickets/{id}/followers/me',
    handler: 'follow-ticket',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  {
    method: 'DELETE',
    path: '/tickets/{id}/followers/me',
    handler: 'follow-ticket',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  // A macro: the ticket and the macro (Get), the staff directory (Query: who may be assigned, the agent's name
  // for the reply), the new version (Put).
  {
    method: 'POST',
    path: '/tickets/{id}/macros/{macroId}',
    handler: 'apply-macro',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    queryIndexes: [],
  },
  {
    method: 'GET',
    path: '/tickets/{id}/events',
    handler: 'list-events',
    auth: true,
    // The history is a Query on the table itself (TICKET#<id> / EVENT#…), no index; PutItem: a staff read's
    // audit record (AUDIT#<id> / VIEW#…).
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  {
    method: 'GET',
    path: '/tickets/{id}/views',
    handler: 'list-views',
    auth: true,
    // The audit records of reads: a Query on AUDIT#<id>, no index.
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
    attachments: ['delete'],
    userPool: ['ListUsers'],
    // DeleteItem and Query: the requester's chat links, the accounts linked to them and their messages (CHATLINKS#, CHATUSER#).
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    queryIndexes: ['gsi2'],
  },
  // Full export (admins): the start writes the export's record and the latest-export pointer in one transaction.
  {
    method: 'GET',
    path: '/admin/export',
    handler: 'start-export',
    auth: true,
    exports: 'start',
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
  },
  {
    method: 'GET',
    path: '/admin/export/{id}',
    handler: 'get-export',
    auth: true,
    exports: 'download',
    tableActions: ['dynamodb:GetItem'],
    queryIndexes: [],
  },
  {
    method: 'GET',
    path: '/reports/summary',
    handler: 'get-report-summary',
    auth: true,
    // Query: one per local date on STATS#<date> (the table), one per working status on the queue indexes
    // (gsi1 for a team, gsi4 for the whole desk). GetItem: the tickets whose satisfaction comments it shows.
    tableActions: ['dynamodb:Query', 'dynamodb:GetItem'],
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
    attachments: ['link'],
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
    secrets: ['signing-key'],
  },
  // Files through the tracking link, as a signed-in requester has them: an upload URL (the ticket read to check the
  // link), and a download link for a file of a public item (the ticket and its history: Get, Query).
  {
    method: 'POST',
    path: '/track/{token}/attachments',
    handler: 'track-upload',
    auth: false,
    attachments: ['upload'],
    tableActions: ['dynamodb:GetItem'],
    queryIndexes: [],
    secrets: ['signing-key'],
  },
  {
    method: 'GET',
    path: '/track/{token}/events/{eventId}/attachments/{index}',
    handler: 'track-attachment',
    auth: false,
    attachments: ['download'],
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
    queryIndexes: [],
    secrets: ['signing-key'],
  },
  // Public: the signed rating link in the "resolved" mail (purpose csat, one ticket, 7 days after the resolution).
  {
    method: 'GET',
    path: '/csat/{token}',
    handler: 'rate-ticket',
    auth: false,
    // Opening a rating link only shows the choice: the page's POST records the vote.
    tableActions: ['dynamodb:GetItem'],
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
  // Macros: the desk's defaults (configuration), shared and personal ones in one partition (MACROS, a Query);
  // writes are conditional on the version read (Get, then Put or Delete).
  // Listing and writing a macro (one function).
  { method: 'GET', path: '/macros', handler: 'macros', auth: true, tableActions: ['dynamodb:PutItem', 'dynamodb:Query'], queryIndexes: [] },
  {
    method: 'POST',
    path: '/macros',
    handler: 'macros',
    auth: true,
    tableActions: ['dynamodb:PutItem', 'dynamodb:Query'],
    queryIndexes: [],
  },
  // Replacing and deleting a macro (one function).
  {
    method: 'PUT',
    path: '/macros/{id}',
    handler: 'write-macro',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
    queryIndexes: [],
  },
  {
    method: 'DELETE',
    path: '/macros/{id}',
    handler: 'write-macro',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
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
  // Public, with checks of their own: the chat platforms' webhooks (docs/channels.md). Telegram repeats the secret
  // token given to setWebhook; Meta signs every body with the app secret and proves the callback with the verify
  // token. Each delivery is claimed once (CHATIN#, the claim store); the answer bot's session, the chat account
  // and its links, a handoff ticket (the actions of POST /tickets), a comment, and the answers on the chat queue.
  {
    method: 'POST',
    path: '/channels/telegram',
    handler: 'telegram-webhook',
    auth: false,
    generation: true,
    enqueuesChat: true,
    mails: true,
    secrets: ['telegram-webhook-secret'],
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    queryIndexes: ['gsi2'],
  },
  {
    method: 'GET',
    path: '/channels/whatsapp',
    handler: 'whatsapp-verify',
    auth: false,
    secrets: ['whatsapp-verify-token'],
    tableActions: [],
    queryIndexes: [],
  },
  {
    method: 'POST',
    path: '/channels/whatsapp',
    handler: 'whatsapp-webhook',
    auth: false,
    generation: true,
    enqueuesChat: true,
    mails: true,
    secrets: ['whatsapp-app-secret'],
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    queryIndexes: ['gsi2'],
  },
  // The lead's dashboard and the administration screens (issue 17). Trends: one Query per day of 9 weeks.
  { method: 'GET', path: '/reports/trends', handler: 'get-report-trends', auth: true, tableActions: ['dynamodb:Query'], queryIndexes: [] },
  // People (administrators): the directory's partition, one person's audit trail (STAFFLOG#<id>), and the
  // user pool's admin actions; a change is the entry and its audit records in one transaction (Puts).
  { method: 'GET', path: '/admin/people', handler: 'list-people', auth: true, tableActions: ['dynamodb:Query'], queryIndexes: [] },
  {
    method: 'POST',
    path: '/admin/people',
    handler: 'invite-person',
    auth: true,
    tableActions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'],
    queryIndexes: [],
    userPool: ['AdminCreateUser', 'AdminAddUserToGroup', 'AdminDeleteUser'],
  },
  {
    method: 'PATCH',
    path: '/admin/people/{id}',
    handler: 'change-person',
    auth: true,
    tableActions: ['dynamodb:Query', 'dynamodb:PutItem'],
    queryIndexes: [],
    userPool: ['AdminAddUserToGroup', 'AdminRemoveUserFromGroup', 'AdminUpdateUserAttributes', 'AdminDisableUser', 'AdminEnableUser'],
  },
  {
    method: 'GET',
    path: '/admin/people/{id}/history',
    handler: 'list-person-history',
    auth: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
    queryIndexes: [],
  },
  // The organisation as configured (read-only), with the coverage check: the directory's partition.
  {
    method: 'GET',
    path: '/admin/organisation',
    handler: 'get-organisation',
    auth: true,
    tableActions: ['dynamodb:Query'],
    queryIndexes: [],
  },
  // A requester's record: their tickets (gsi2), newest first.
  {
    method: 'GET',
    path: '/admin/requesters/{id}',
    handler: 'get-requester-record',
    auth: true,
    tableActions: [],
    queryIndexes: ['gsi2'],
  },
  { method: 'GET', path: '/health', handler: 'health', auth: false, tableActions: [], queryIndexes: [] },
  { method: 'GET', path: '/openapi.json', handler: 'get-openapi', auth: false, tableActions: [], queryIndexes: [] },
];

/** Answers every request no route matches (API Gateway's `$default` route): 404, or 405 with `Allow`. */
export const FALLBACK_HANDLER = 'not-found';

const templateToRegExp = (path: string) => new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);

/** Segments of a path: a `{parameter}` is one segment, so only templates with as many can match. */
const segmentsOf = (path: string) => path.split('/').length;

/** The routes compiled, by their number of segments (a request is tried against a handful, not all of them). */
const COMPILED = new Map<number, { route: RouteSpec; pattern: RegExp }[]>();
for (const route of HTTP_ROUTES) {
  const segments = segmentsOf(route.path);
  COMPILED.set(segments, [...(COMPILED.get(segments) ?? []), { route, pattern: templateToRegExp(route.path) }]);
}

export type RouteMatch =
  | { kind: 'route'; route: RouteSpec; pathParameters: Record<string, string> }
  | { kind: 'wrong-method'; allow: HttpMethod[] }
  | { kind: 'none' };

/** Matches a request path the way API Gateway does, for the sandbox and for the fallback handler. */
export const matchRoute = (method: string, path: string): RouteMatch => {
  const candidates = (COMPILED.get(segmentsOf(path)) ?? []).flatMap(({ route, pattern }) => {
    const match = pattern.exec(path);
    return match ? [{ route, pathParameters: { ...match.groups } }] : [];
  });
  // As API Gateway does: a path without parameters (`/tickets/search`) before one with (`/tickets/{id}`).
  const exact = candidates
    .filter((candidate) => candidate.route.method === method.toUpperCase())
    .sort((a, b) => Object.keys(a.pathParameters).length - Object.keys(b.pathParameters).length)[0];
  if (exact) return { kind: 'route', ...exact };
  if (candidates.length > 0) return { kind: 'wrong-method', allow: candidates.map((candidate) => candidate.route.method) };
  return { kind: 'none' };
};
