// The scheduled SLA check: for each ticket whose next SLA instant has come, record the warnings and
// breaches that are due (once per clock), then walk the escalation ladder: notify the team lead, raise the
// priority one level, hand over to the next tier. Every step is a history event written with the ticket
// under its version, so two overlapping runs cannot record anything twice.
import type { HelpdeskConfig, Priority } from '#shared/config/config-schema.ts';
import type { Actor } from '#shared/domain/access/identity.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import { buildEvents, retryOnConflict } from '#shared/domain/tickets/record-change.ts';
import type { Ticket, TicketEventData } from '#shared/domain/tickets/ticket.ts';
import { organisationCalendars } from './organisation-calendar.ts';
import { type CalendarResolver, collectAlerts, retargetSla, type Sla } from './sla.ts';

export const SLA_ACTOR: Actor = { id: 'sla', role: 'system' };

const RAISE: Record<Priority, Priority> = { low: 'medium', medium: 'high', high: 'critical', critical: 'critical' };
const MINUTE = 60_000;

/** Decides what a check at `now` records for one ticket. Pure. */
export const planSlaCheck = (
  config: HelpdeskConfig,
  calendars: CalendarResolver,
  ticket: Ticket,
  now: Date,
): { next: Ticket; changes: TicketEventData[] } => {
  if (!ticket.sla || ['resolved', 'closed'].includes(ticket.status)) return { next: ticket, changes: [] };
  const at = now.toISOString();
  const changes: TicketEventData[] = [];
  const { sla: alerted, alerts } = collectAlerts(ticket.sla, now);
  let sla: Sla = alerted;
  for (const alert of alerts)
    changes.push({ type: alert.kind === 'warning' ? 'SlaWarning' : 'SlaBreached', data: { clock: alert.clock, dueAt: alert.dueAt } });

  // The ladder counts from the moment of the first breach (the due time), not from when a check noticed it.
  const ladder = config.sla.escalation;
  const firstBreach = alerts
    .filter((alert) => alert.kind === 'breach')
    .map((alert) => alert.dueAt)
    .sort()[0];
  if (!sla.escalation && firstBreach && ladder.length > 0)
    sla = {
      ...sla,
      escalation: {
        level: 0,
        breachedAt: firstBreach,
        nextAt: new Date(Date.parse(firstBreach) + ladder[0]!.afterMinutes * MINUTE).toISOString(),
      },
    };

  let next: Ticket = { ...ticket };
  while (sla.escalation?.nextAt && sla.escalation.nextAt <= at) {
    const { level, breachedAt } = sla.escalation;
    const step = ladder[level]!;
    if (step.action === 'notify-lead') {
      const lead = config.teams.find((team) => team.id === next.team)?.lead;
      changes.push({ type: 'Escalated', data: { level: level + 1, action: step.action, ...(lead ? { lead } : {}) } });
    } else if (step.action === 'raise-priority') {
      const priority = RAISE[next.priority];
      changes.push({ type: 'Escalated', data: { level: level + 1, action: step.action, priority } });
      if (priority !== next.priority) {
        changes.push({ type: 'PriorityChanged', data: { from: next.priority, to: priority } });
        sla = retargetSla(sla, config, calendars, priority, now);
        next = { ...next, priority };
      }
    } else {
      const tier = config.teams.find((team) => team.id === next.team)?.nextTier ?? null;
      changes.push({ type: 'Escalated', data: { level: level + 1, action: step.action, team: tier } });
      if (tier) {
        changes.push({ type: 'TeamChanged', data: { from: next.team, to: tier } });
        if (next.assignee) changes.push({ type: 'Assigned', data: { from: next.assignee, to: null } });
        next = { ...next, team: tier, tier: tier === config.triageTeam ? 'first-line' : 'specialist', assignee: null };
      }
    }
    const following = ladder[level + 1];
    sla = {
      ...sla,
      escalation: {
        level: level + 1,
        breachedAt,
        ...(following ? { nextAt: new Date(Date.parse(breachedAt) + following.afterMinutes * MINUTE).toISOString() } : {}),
      },
    };
  }
  if (changes.length === 0) return { next: ticket, changes };
  return { next: { ...next, sla, version: ticket.version + 1, updatedAt: at }, changes };
};

/** `recorded`: how many events of each type the run wrote (SlaWarning, SlaBreached, Escalated, …), for metrics. */
export type SlaCheckResult = { checked: number; events: number; recorded: Partial<Record<TicketEventData['type'], number>> };

/** Checks one ticket at `now`: what is due is recorded, under the ticket's version. Returns what was recorded. */
export const checkTicketSla = async (deps: TicketDeps, ticketId: string, now: Date): Promise<TicketEventData[]> =>
  retryOnConflict(async () => {
    const ticket = await deps.tickets.getTicket(ticketId);
    if (!ticket) return [];
    const { next, changes } = planSlaCheck(deps.config, organisationCalendars(deps.config), ticket, now);
    if (changes.length === 0) return [];
    await deps.tickets.saveTicket(next, ticket.version, buildEvents(deps, next, SLA_ACTOR, changes));
    return changes;
  }, undefined);

/** Checks every ticket that is due at `now`, one page of the schedule at a time. */
export const checkSla = async (deps: TicketDeps, now: Date, pageSize = 100): Promise<SlaCheckResult> => {
  let checked = 0;
  let events = 0;
  const recorded: SlaCheckResult['recorded'] = {};
  let cursor: string | undefined;
  do {
    const page = await deps.slaSchedule.listDue(now.toISOString(), { limit: pageSize, cursor });
    for (const due of page.items) {
      checked++;
      const changes = await checkTicketSla(deps, due.id, now);
      for (const change of changes) recorded[change.type] = (recorded[change.type] ?? 0) + 1;
      events += changes.length;
    }
    cursor = page.cursor;
  } while (cursor);
  return { checked, events, recorded };
};
