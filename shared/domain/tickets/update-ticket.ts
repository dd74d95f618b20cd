// Works a ticket: status, priority, category, team and assignee. Each field that really changes becomes
// one history event; all of them and the new ticket are written together as one new version.

import { actorOf, type Identity, type Role } from '#shared/domain/access/identity.ts';
import type { Action } from '#shared/domain/access/permissions.ts';
import { type Caller, callerOf, can, requirePermission, requireVisibleTicket } from '#shared/domain/access/ticket-access.ts';
import { conflict, DomainError, forbidden, validationError } from '#shared/domain/errors.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';
import { retargetSla, slaForStatusChange } from '#shared/domain/sla/sla.ts';
import type { StaffMember } from '#shared/domain/staff/staff.ts';
import { teamForCategory } from './classify-ticket.ts';
import { planFields, planTags, requireFields } from './custom-fields.ts';
import type { TicketDeps } from './deps.ts';
import { buildEvents, retryOnConflict } from './record-change.ts';
import type { Ticket, TicketEventData, UpdateTicketInput } from './ticket.ts';
import { assertTransition, type Status } from './ticket-status.ts';

/** Each field the patch changes needs its own permission on this ticket (permissions.ts). */
export const checkPermission = (staff: readonly StaffMember[], caller: Caller, current: Ticket, patch: UpdateTicketInput) => {
  const need = (action: Action, field: string) =>
    requirePermission(caller, action, current, `You may not change the ${field} of this ticket.`);
  if (patch.priority !== undefined) need('ticket:set-priority', 'priority');
  if (patch.category !== undefined) need('ticket:set-category', 'category');
  if (patch.team !== undefined) need('ticket:set-team', 'team');
  if (patch.tags !== undefined) need('ticket:set-tags', 'tags');
  if (patch.fields !== undefined) need('ticket:set-fields', 'fields');
  if (patch.status !== undefined) {
    need('ticket:set-status', 'status');
    // A requester may mark their ticket resolved, or reopen it once resolved; nothing else.
    const reopen = patch.status === 'open' && current.status === 'resolved';
    if (caller.role === 'requester' && patch.status !== current.status && patch.status !== 'resolved' && !reopen)
      throw forbidden('A requester can only mark their ticket resolved or reopen it once resolved.');
  }
  if (patch.assignee !== undefined) {
    need('ticket:assign', 'assignee');
    const agent = patch.assignee && staff.find((candidate) => candidate.id === patch.assignee);
    if (agent && !can(caller, 'ticket:assign-any-team') && !agent.teams.some((team) => caller.teams.includes(team)))
      throw forbidden('You can assign tickets to agents of your own teams; a lead assigns across teams.');
  }
};

const DAY = 86_400_000;

/** The ticket with an optional attribute set, or removed when there is nothing (no empty lists stored). */
const withOptional = <K extends 'tags' | 'fields'>(ticket: Ticket, key: K, value: Ticket[K] | undefined): Ticket => {
  const next = { ...ticket };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
};

/** The ticket in a new status, with the instants and the retention that status sets. */
export const withStatus = (ticket: Ticket, status: Status, now: string, retentionDays: number): Ticket => {
  const next: Ticket = { ...ticket, status };
  if (status === 'resolved') next.resolvedAt = now;
  if (status === 'closed') {
    next.closedAt = now;
    // Kept for the organisation's retention period, then deleted with its history (DynamoDB TTL).
    next.retainUntil = new Date(Date.parse(now) + retentionDays * DAY).toISOString();
  }
  if (status === 'open') delete next.resolvedAt;
  return next;
};

/** Decides the new ticket and its events; throws on anything not allowed. Pure. */
export const planUpdate = (
  deps: Pick<TicketDeps, 'config'>,
  current: Ticket,
  patch: UpdateTicketInput,
  now: Date,
  /** The staff directory: who may be assigned, and who stays assigned when the ticket changes team. */
  staff: readonly StaffMember[],
  /** Whose change it is, for the fields each role may set (`system`: the desk itself, which may set any). */
  role: Role | 'system' = 'system',
): { next: Ticket; changes: TicketEventData[] } => {
  const { config } = deps;
  const at = now.toISOString();
  if (current.status === 'closed') throw conflict('A closed ticket is final; please create a new ticket.');
  let next: Ticket = { ...current };
  const changes: TicketEventData[] = [];

  if (patch.category !== undefined && patch.category !== current.category) {
    if (!config.categories.some((category) => category.id === patch.category))
      throw validationError([{ path: 'category', message: `must be one of ${config.categories.map((c) => c.id).join(', ')}` }]);
    changes.push({ type: 'CategoryChanged', data: { from: current.category, to: patch.category } });
    next.category = patch.category;
  }
  // A new category moves the ticket to that category's team, unless the same request names a team.
  const team = patch.team ?? (next.category !== current.category ? teamForCategory(config, next.category) : current.team);
  if (team !== current.team) {
    if (!config.teams.some((candidate) => candidate.id === team))
      throw validationError([{ path: 'team', message: `must be one of ${config.teams.map((t) => t.id).join(', ')}` }]);
    changes.push({ type: 'TeamChanged', data: { from: current.team, to: team } });
    next.team = team;
    next.tier = team === config.triageTeam ? 'first-line' : 'specialist';
  }
  if (patch.tags !== undefined) {
    const { tags, added, removed } = planTags(config, current.tags, patch.tags);
    if (added.length > 0 || removed.length > 0) {
      changes.push({ type: 'TagsChanged', data: { added, removed } });
      next = withOptional(next, 'tags', tags);
    }
  }
  if (patch.fields !== undefined) {
    const { fields, changes: fieldChanges } = planFields(config, role, next.category, current.fields, patch.fields);
    if (fieldChanges.length > 0) {
      changes.push({ type: 'FieldsChanged', data: { changes: fieldChanges } });
      next = withOptional(next, 'fields', fields);
    }
  }
  // A ticket moved to a category that needs a field must have it (the same request may give it).
  if (next.category !== current.category) requireFields(config, role, next.category, next.fields);
  const calendars = organisationCalendars(config);
  if (patch.priority !== undefined && patch.priority !== current.priority) {
    changes.push({ type: 'PriorityChanged', data: { from: current.priority, to: patch.priority } });
    next.priority = patch.priority;
    next.priorityOverridden = true;
    if (next.sla) next.sla = retargetSla(next.sla, config, calendars, patch.priority, now);
  }

  let assignee = patch.assignee === undefined ? current.assignee : patch.assignee;
  if (patch.assignee) {
    const agent = staff.find((candidate) => candidate.id === patch.assignee && candidate.active && candidate.role !== 'admin');
    if (!agent) throw validationError([{ path: 'assignee', message: `is not a known agent: "${patch.assignee}"` }]);
    if (!agent.teams.includes(next.team)) throw validationError([{ path: 'assignee', message: `is not a member of team ${next.team}` }]);
  } else if (patch.assignee === undefined && assignee && next.team !== current.team) {
    // Moving teams leaves the old team's agent behind unless they belong to the new team too.
    const agent = staff.find((candidate) => candidate.id === assignee);
    if (!agent?.teams.includes(next.team)) assignee = null;
  }
  if (assignee !== current.assignee) {
    changes.push({ type: 'Assigned', data: { from: current.assignee, to: assignee } });
    next.assignee = assignee;
  }

  // Taking a new ticket into work opens it, as every desk expects, unless the request sets a status.
  const status = patch.status ?? (current.status === 'new' && assignee && assignee !== current.assignee ? 'open' : current.status);
  if (status !== current.status) {
    assertTransition(current.status, status, { now, resolvedAt: current.resolvedAt, reopenWindowDays: config.reopenWindowDays });
    changes.push({ type: 'StatusChanged', data: { from: current.status, to: status } });
    next = withStatus(next, status, at, config.retention.closedTicketDays);
    if (next.sla) next.sla = slaForStatusChange(next.sla, current.status, status, config, calendars, now);
  }
  if (changes.length > 0) next = { ...next, version: current.version + 1, updatedAt: at };
  return { next, changes };
};

export const updateTicket = async (
  deps: TicketDeps,
  identity: Identity,
  id: string,
  patch: UpdateTicketInput,
  ifMatch?: number,
): Promise<Ticket> => {
  const caller = callerOf(identity);
  // Who may be assigned matters only when the assignee or the team can change.
  const needsStaff = patch.assignee !== undefined || patch.team !== undefined || patch.category !== undefined;
  return retryOnConflict(async () => {
    const [found, staff] = await Promise.all([deps.tickets.getTicket(id), needsStaff ? deps.staff.list() : []]);
    const current = requireVisibleTicket(caller, found, id);
    if (ifMatch !== undefined && ifMatch !== current.version)
      throw new DomainError('precondition-failed', `The ticket is at version ${current.version}, not ${ifMatch}; reload it and try again.`);
    checkPermission(staff, caller, current, patch);
    const { next, changes } = planUpdate(deps, current, patch, deps.clock.now(), staff, caller.role);
    if (changes.length === 0) return current;
    await deps.tickets.saveTicket(next, current.version, buildEvents(deps, next, actorOf(identity), changes));
    return next;
  }, ifMatch);
};
