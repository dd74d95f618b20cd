// Applying the permission table to a caller and a ticket. A caller's teams are those their token carries
// (the user pool's `custom:teams`).
import { forbidden, notFound } from '#shared/domain/errors.ts';
import type { Ticket, TicketEvent, TicketSummary } from '#shared/domain/tickets/ticket.ts';
import type { Identity } from './identity.ts';
import { type Action, inScope, PERMISSIONS } from './permissions.ts';

export type Caller = Identity & { teams: string[] };

/** The caller as the permission table judges them. */
export const callerOf = (identity: Identity): Caller => ({ ...identity, teams: [...new Set(identity.teams)] });

const reachOf = (ticket: TicketSummary) => ({
  requesterId: ticket.requester.id,
  team: ticket.team,
  assignee: ticket.assignee,
  filedBy: ticket.filedBy,
});

export const can = (caller: Caller, action: Action, ticket?: TicketSummary): boolean =>
  inScope(PERMISSIONS[caller.role][action], caller, ticket ? reachOf(ticket) : undefined);

export const requireVisibleTicket = (caller: Caller, ticket: Ticket | undefined, id: string): Ticket => {
  if (!ticket || !can(caller, 'ticket:read', ticket)) throw notFound(`Ticket ${id} was not found.`);
  return ticket;
};

export const requirePermission = (caller: Caller, action: Action, ticket: Ticket | undefined, refusal: string): void => {
  if (!can(caller, action, ticket)) throw forbidden(refusal);
};

const STAFF_ONLY_EVENTS = new Set<TicketEvent['type']>([
  'TicketViewed',
  'MacroApplied',
  'DuplicateMerged',
  'Linked',
  'Followed',
  'Unfollowed',
]);

/** Internal notes and audit records are for those who may read internals; requesters read the public history. */
export const canSeeEvent = (caller: Caller, ticket: Ticket, event: TicketEvent): boolean => {
  if (can(caller, 'ticket:read-internal', ticket)) return true;
  if (event.type === 'CommentAdded') return event.data.visibility === 'public';
  // Audit records, how staff worked (a macro's name) and other people's tickets (a merged duplicate, a link)
  // are staff's; what changed is the requester's too.
  return !STAFF_ONLY_EVENTS.has(event.type);
};

/** What a requester sees of an event: no staff IP addresses. */
export const eventForCaller = (caller: Caller, ticket: Ticket, event: TicketEvent): TicketEvent => {
  if (can(caller, 'ticket:read-internal', ticket) || !event.actor.ip) return event;
  const { ip: _ip, ...actor } = event.actor;
  return { ...event, actor };
};
