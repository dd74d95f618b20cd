// Reading tickets and their history, each through the caller's reach (permissions.ts): requesters see
// their own tickets and the public history; agents their teams'; leads and admins all. Every read of
// someone else's ticket by staff is recorded (TicketViewed, with who, role, time and IP) in the ticket's
// audit records, apart from its history: reads never grow the conversation. Staff read the audit records
// through their own list (`listTicketViews`), newest first.

import { actorOf, type Identity } from '#shared/domain/access/identity.ts';
import { PERMISSIONS } from '#shared/domain/access/permissions.ts';
import {
  type Caller,
  callerOf,
  canSeeEvent,
  eventForCaller,
  requirePermission,
  requireVisibleTicket,
} from '#shared/domain/access/ticket-access.ts';
import { forbidden, validationError } from '#shared/domain/errors.ts';
import type { TicketDeps } from './deps.ts';
import type { HistoryPageRequest, Page, PageRequest } from './ports.ts';
import { buildEvents } from './record-change.ts';
import type { ListTicketsQuery, Ticket, TicketEvent, TicketSummary } from './ticket.ts';
import { WORKING_STATUSES } from './ticket-status.ts';

/** Staff reading a ticket that is not their own leaves a trace; a requester reading theirs does not. */
const recordRead = async (deps: TicketDeps, caller: Caller, ticket: Ticket) => {
  if (caller.role === 'requester' || ticket.requester.id === caller.id) return;
  const [viewed] = buildEvents(deps, { ...ticket, updatedAt: deps.clock.now().toISOString() }, actorOf(caller), [
    { type: 'TicketViewed', data: {} },
  ]);
  await deps.tickets.recordView(viewed!);
};

export const getTicket = async (deps: TicketDeps, identity: Identity, id: string): Promise<Ticket> => {
  const caller = callerOf(identity);
  const ticket = requireVisibleTicket(caller, await deps.tickets.getTicket(id), id);
  await recordRead(deps, caller, ticket);
  return ticket;
};

export const listTickets = async (deps: TicketDeps, identity: Identity, query: ListTicketsQuery): Promise<Page<TicketSummary>> => {
  const caller = callerOf(identity);
  const reach = PERMISSIONS[caller.role]['ticket:read'];
  const byDue = query.sort === 'due' || query.sla !== undefined;
  if (reach === 'own' && query.assignee)
    throw validationError([{ path: 'assignee', message: 'is for staff; a requester lists their own tickets' }]);
  if (reach === 'own' && byDue)
    throw validationError([{ path: query.sla ? 'sla' : 'sort', message: 'is for staff; a requester lists their own tickets' }]);
  if (byDue && query.status && !(WORKING_STATUSES as readonly string[]).includes(query.status))
    throw validationError([
      { path: 'status', message: `must be one of ${WORKING_STATUSES.join(', ')}: the SLA queues hold tickets still being worked` },
    ]);
  if (query.team && !deps.config.teams.some((team) => team.id === query.team))
    throw validationError([{ path: 'team', message: `must be one of ${deps.config.teams.map((t) => t.id).join(', ')}` }]);
  if (reach === 'team' && query.team && !caller.teams.includes(query.team))
    throw forbidden(`You can list the tickets of your own teams (${caller.teams.join(', ') || 'none'}).`);
  const requester = query.requester === 'me' || reach === 'own' ? caller.id : undefined;
  const assignee = query.assignee === 'me' ? caller.id : query.assignee === 'none' ? null : undefined;
  return deps.tickets.listTickets(
    {
      status: query.status,
      team: query.team,
      assignee,
      requester,
      // An agent's own or assigned tickets are in reach whatever their team; otherwise only their teams'.
      teams: reach === 'team' && !requester && !assignee ? caller.teams : undefined,
      ...(byDue ? { order: 'due' as const } : {}),
      ...(query.sla ? { sla: { standing: query.sla, now: deps.clock.now().toISOString() } } : {}),
    },
    { limit: query.limit, cursor: query.cursor },
  );
};

export const listTicketEvents = async (
  deps: TicketDeps,
  identity: Identity,
  id: string,
  page: HistoryPageRequest,
): Promise<Page<TicketEvent>> => {
  const caller = callerOf(identity);
  // Both reads at once; the history is thrown away unread if the ticket is out of the caller's reach.
  const [found, result] = await Promise.all([deps.tickets.getTicket(id), deps.tickets.listEvents(id, page)]);
  const ticket = requireVisibleTicket(caller, found, id);
  // One audit record per reading of a history, on its first page, not one per page.
  if (!page.cursor) await recordRead(deps, caller, ticket);
  return {
    items: result.items.filter((event) => canSeeEvent(caller, ticket, event)).map((event) => eventForCaller(caller, ticket, event)),
    cursor: result.cursor,
  };
};

/** Who read the ticket (staff reads: who, role, time, IP), newest first: for those who may read its internals. */
export const listTicketViews = async (deps: TicketDeps, identity: Identity, id: string, page: PageRequest): Promise<Page<TicketEvent>> => {
  const caller = callerOf(identity);
  const [found, result] = await Promise.all([deps.tickets.getTicket(id), deps.tickets.listViews(id, page)]);
  const ticket = requireVisibleTicket(caller, found, id);
  requirePermission(caller, 'ticket:read-internal', ticket, 'The record of who read a ticket is for staff.');
  return result;
};
