// A major incident's updates reach its children: a public staff reply on the parent becomes the same public
// reply on each open child (so the notify consumer mails each child's requester, and each child's history
// shows it), and resolving the parent resolves every child not yet resolved. Run by the incidents queue's
// consumer for every such event; each child is written once per parent event (a claim), so a redelivery or
// a replay adds nothing twice. A child has no children (relate-tickets.ts), so nothing cascades further.
import type { ClaimStore } from '#shared/domain/claims.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';
import { slaForPublicReply } from '#shared/domain/sla/sla.ts';
import type { TicketDeps } from './deps.ts';
import { buildEvents, retryOnConflict } from './record-change.ts';
import type { Ticket, TicketEvent, TicketEventData } from './ticket.ts';
import { planUpdate } from './update-ticket.ts';

/** The events the incidents rule sends: public staff replies and resolutions (filtered further below). */
export const INCIDENT_EVENT_TYPES = ['CommentAdded', 'StatusChanged'] as const satisfies readonly TicketEvent['type'][];

export type IncidentDeps = Pick<TicketDeps, 'tickets' | 'clock' | 'ids' | 'config'> & {
  /** One claim per parent event and child: the child's write happens once. */
  incidentClaims: ClaimStore;
};

export type IncidentOutcome = { children: number; updated: number; unchanged: number; duplicate: number };

const STAFF_ROLES = new Set(['agent', 'lead', 'admin']);

/** The change an event of the parent asks of a child, or none. */
const changeFor = (event: TicketEvent, parent: Ticket): 'reply' | 'resolve' | undefined => {
  if (event.type === 'CommentAdded' && event.data.visibility === 'public' && STAFF_ROLES.has(event.actor.role) && !event.data.incident)
    return 'reply';
  // Resolved now, and still: a late delivery after a reopen resolves nothing.
  if (event.type === 'StatusChanged' && event.data.to === 'resolved' && parent.status === 'resolved') return 'resolve';
  return undefined;
};

const planChild = (deps: IncidentDeps, child: Ticket, parent: Ticket, event: TicketEvent, change: 'reply' | 'resolve', now: Date) => {
  if (child.status === 'closed' || (change === 'resolve' && child.status === 'resolved')) return undefined;
  const incident = { id: parent.id, number: parent.number };
  if (change === 'resolve') return planUpdate(deps, child, { status: 'resolved' }, now, []);
  const body = event.type === 'CommentAdded' ? event.data.body : '';
  const changes: TicketEventData[] = [{ type: 'CommentAdded', data: { body, visibility: 'public', incident } }];
  let next: Ticket = { ...child, version: child.version + 1, updatedAt: now.toISOString() };
  if (next.sla) next = { ...next, sla: slaForPublicReply(next.sla, next.status, deps.config, organisationCalendars(deps.config), now) };
  return { next, changes };
};

export const propagateIncident = async (deps: IncidentDeps, event: TicketEvent): Promise<IncidentOutcome> => {
  const outcome: IncidentOutcome = { children: 0, updated: 0, unchanged: 0, duplicate: 0 };
  const parent = await deps.tickets.getTicket(event.ticketId);
  const children = (parent?.links ?? []).filter((link) => link.kind === 'child');
  const change = parent && changeFor(event, parent);
  if (!parent || !change) return outcome;
  outcome.children = children.length;
  // The person who acted on the parent acts on each child (the mail names them); never their address.
  const actor = { id: event.actor.id, role: event.actor.role };
  for (const child of children) {
    const key = `${event.id}#${child.id}`;
    const holder = await deps.incidentClaims.claim(key, deps.clock.now());
    if (!holder) {
      outcome.duplicate += 1;
      continue;
    }
    try {
      const written = await retryOnConflict(async () => {
        const current = await deps.tickets.getTicket(child.id);
        const planned = current && planChild(deps, current, parent, event, change, deps.clock.now());
        if (!current || !planned || planned.changes.length === 0) return false;
        await deps.tickets.saveTicket(planned.next, current.version, buildEvents(deps, planned.next, actor, planned.changes));
        return true;
      }, undefined);
      await deps.incidentClaims.complete(key, holder, { outcome: written ? 'updated' : 'unchanged' });
      if (written) outcome.updated += 1;
      else outcome.unchanged += 1;
    } catch (error) {
      // Given back so that the retry of this message writes it.
      await deps.incidentClaims.release(key, holder).catch(() => undefined);
      throw error;
    }
  }
  return outcome;
};
