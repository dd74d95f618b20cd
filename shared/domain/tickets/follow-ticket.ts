// Staff follow a ticket to be mailed its comments and status changes (notify-staff.ts, `followed-update`),
// and stop following it. Recorded on the ticket (`followers`) and in its history (staff only). Following is
// idempotent: following twice, or stopping when not following, changes nothing.
import { actorOf, type Identity } from '#shared/domain/access/identity.ts';
import { callerOf, requirePermission, requireVisibleTicket } from '#shared/domain/access/ticket-access.ts';
import { conflict } from '#shared/domain/errors.ts';
import type { TicketDeps } from './deps.ts';
import { buildEvents, retryOnConflict } from './record-change.ts';
import type { Ticket } from './ticket.ts';

/** A ticket's followers stay few (a team's people); the list is bounded so the item stays small. */
const MAX_FOLLOWERS = 50;

export const setFollowing = async (deps: TicketDeps, identity: Identity, id: string, follow: boolean): Promise<Ticket> => {
  const caller = callerOf(identity);
  return retryOnConflict(async () => {
    const current = requireVisibleTicket(caller, await deps.tickets.getTicket(id), id);
    // Internal notes and updates are what a follower is mailed: only those who may read them follow.
    requirePermission(caller, 'ticket:read-internal', current, 'Following a ticket is for staff.');
    const followers = current.followers ?? [];
    if (followers.includes(caller.id) === follow) return current;
    if (current.status === 'closed') throw conflict('A closed ticket is final; there is nothing more to follow.');
    if (follow && followers.length >= MAX_FOLLOWERS) throw conflict(`Ticket #${current.number} already has ${MAX_FOLLOWERS} followers.`);
    const now = deps.clock.now().toISOString();
    const rest = followers.filter((follower) => follower !== caller.id);
    const next: Ticket = { ...current, version: current.version + 1, updatedAt: now };
    if (follow) next.followers = [...rest, caller.id];
    else if (rest.length > 0) next.followers = rest;
    else delete next.followers;
    const events = buildEvents(deps, next, actorOf(identity), [{ type: follow ? 'Followed' : 'Unfollowed', data: { staff: caller.id } }]);
    await deps.tickets.saveTicket(next, current.version, events);
    return next;
  }, undefined);
};
