// The fields a ticket list shows, apart from ticket.ts: the table definition reads them for its indexes'
// projections, and every bundle reads the table definition, so this list must not bring the ticket's schemas along.
import type { Ticket } from './ticket.ts';

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
