// The scheduled SLA check: for each ticket whose next SLA instant has come, record the warnings and
// breaches that are due (once per clock), then walk the team's escalation ladder: notify the team's leads
// (the notify consumer mails them), raise the priority one level, hand over to the next tier. Every step
// taken is a history event written with the ticket under its version, so two overlapping runs cannot record
// anything twice; a step that cannot apply is passed over with its reason, and the ladder goes on.
import type { EscalationAction, EscalationStep, HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Priority } from '#shared/config/config-values.ts';
import type { Actor } from '#shared/domain/access/identity.ts';
import { leadsOf, type StaffMember } from '#shared/domain/staff/staff.ts';
import type { TicketDeps } from '#shared/domain/tickets/deps.ts';
import { buildEvents, retryOnConflict } from '#shared/domain/tickets/record-change.ts';
import type { Ticket, TicketEventData } from '#shared/domain/tickets/ticket.ts';
import { organisationCalendars } from './organisation-calendar.ts';
import { type CalendarResolver, CLOCK_NAMES, collectAlerts, retargetSla, type Sla } from './sla.ts';

export const SLA_ACTOR: Actor = { id: 'sla', role: 'system' };

const RAISE: Record<Priority, Priority> = { low: 'medium', medium: 'high', high: 'critical', critical: 'critical' };
const MINUTE = 60_000;

/** Why a step of the ladder was passed over: it could not do what it says, so it is not recorded as done. */
export type SkipReason = 'no-lead' | 'no-lead-address' | 'already-critical' | 'no-next-tier';
export type SkippedStep = { level: number; action: EscalationAction; team: string; reason: SkipReason };

/** A team's ladder: its own, or the organisation's. */
export const ladderOf = (config: HelpdeskConfig, team: string): readonly EscalationStep[] =>
  config.teams.find((candidate) => candidate.id === team)?.escalation ?? config.sla.escalation;

type Step = { changes: TicketEventData[]; next: Ticket; sla: Sla } | { skipped: SkipReason };

/** What one step of the ladder does to the ticket, or why it cannot. */
const takeStep = (
  input: { config: HelpdeskConfig; calendars: CalendarResolver; staff: readonly StaffMember[]; now: Date },
  step: EscalationStep,
  level: number,
  ticket: Ticket,
  sla: Sla,
): Step => {
  const { config, calendars, staff, now } = input;
  if (step.action === 'notify-lead') {
    const leads = leadsOf(staff, ticket.team);
    const reachable = leads.filter((lead) => lead.email);
    if (reachable.length === 0) return { skipped: leads.length === 0 ? 'no-lead' : 'no-lead-address' };
    // The clock the leads are told of: the earliest that ran out.
    const breached = CLOCK_NAMES.flatMap((name) => {
      const clock = sla.clocks[name];
      return clock?.breachedAt && clock.dueAt ? [{ clock: name, dueAt: clock.dueAt }] : [];
    }).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
    const changes: TicketEventData[] = [
      { type: 'Escalated', data: { level, action: step.action, leads: reachable.map((lead) => lead.id), ...breached } },
    ];
    return { changes, next: ticket, sla };
  }
  if (step.action === 'raise-priority') {
    const priority = RAISE[ticket.priority];
    if (priority === ticket.priority) return { skipped: 'already-critical' };
    return {
      changes: [
        { type: 'Escalated', data: { level, action: step.action, priority } },
        { type: 'PriorityChanged', data: { from: ticket.priority, to: priority } },
      ],
      next: { ...ticket, priority },
      sla: retargetSla(sla, config, calendars, priority, now),
    };
  }
  const tier = config.teams.find((team) => team.id === ticket.team)?.nextTier;
  if (!tier) return { skipped: 'no-next-tier' };
  return {
    changes: [
      { type: 'Escalated', data: { level, action: step.action, team: tier } },
      { type: 'TeamChanged', data: { from: ticket.team, to: tier } },
      ...(ticket.assignee ? [{ type: 'Assigned' as const, data: { from: ticket.assignee, to: null } }] : []),
    ],
    next: { ...ticket, team: tier, tier: tier === config.triageTeam ? 'first-line' : 'specialist', assignee: null },
    sla,
  };
};

export type SlaPlan = { next: Ticket; changes: TicketEventData[]; skipped: SkippedStep[] };

/**
 * Decides what a check at `now` records for one ticket. Pure. Each step of the ladder does what it says or
 * is passed over with its reason (and the ladder goes on): a lead who gets no mail was not notified, a
 * critical ticket cannot be raised, a team without a next tier cannot hand over. `staff` is the directory:
 * a team's leads are read at the moment of their step.
 */
export const planSlaCheck = (
  config: HelpdeskConfig,
  calendars: CalendarResolver,
  ticket: Ticket,
  now: Date,
  staff: readonly StaffMember[] = [],
): SlaPlan => {
  if (!ticket.sla || ['resolved', 'closed'].includes(ticket.status)) return { next: ticket, changes: [], skipped: [] };
  const at = now.toISOString();
  const changes: TicketEventData[] = [];
  const skipped: SkippedStep[] = [];
  const { sla: alerted, alerts } = collectAlerts(ticket.sla, now);
  let sla: Sla = alerted;
  for (const alert of alerts)
    changes.push({ type: alert.kind === 'warning' ? 'SlaWarning' : 'SlaBreached', data: { clock: alert.clock, dueAt: alert.dueAt } });

  // The ladder counts from the moment of the first breach (the due time), not from when a check noticed it.
  const firstBreach = alerts
    .filter((alert) => alert.kind === 'breach')
    .map((alert) => alert.dueAt)
    .sort()[0];
  const firstStep = ladderOf(config, ticket.team)[0];
  if (!sla.escalation && firstBreach && firstStep)
    sla = {
      ...sla,
      escalation: {
        level: 0,
        breachedAt: firstBreach,
        nextAt: new Date(Date.parse(firstBreach) + firstStep.afterMinutes * MINUTE).toISOString(),
      },
    };

  let next: Ticket = { ...ticket };
  while (sla.escalation?.nextAt && sla.escalation.nextAt <= at) {
    const { level, breachedAt } = sla.escalation;
    // The ladder of the team the ticket is in now: a hand-over continues on the new team's ladder.
    const ladder = ladderOf(config, next.team);
    const step = ladder[level];
    if (step) {
      const outcome = takeStep({ config, calendars, staff, now }, step, level + 1, next, sla);
      if ('skipped' in outcome) skipped.push({ level: level + 1, action: step.action, team: next.team, reason: outcome.skipped });
      else {
        changes.push(...outcome.changes);
        next = outcome.next;
        sla = outcome.sla;
      }
    }
    const following = ladderOf(config, next.team)[level + 1];
    sla = {
      ...sla,
      escalation: {
        level: level + 1,
        breachedAt,
        ...(following ? { nextAt: new Date(Date.parse(breachedAt) + following.afterMinutes * MINUTE).toISOString() } : {}),
      },
    };
  }
  // A skipped step still moves the ladder on: the ticket is saved so the step is not tried again.
  if (changes.length === 0 && skipped.length === 0) return { next: ticket, changes, skipped };
  return { next: { ...next, sla, version: ticket.version + 1, updatedAt: at }, changes, skipped };
};

/** `recorded`: how many events of each type the run wrote (SlaWarning, SlaBreached, Escalated, …), for metrics. */
export type SlaCheckResult = {
  checked: number;
  events: number;
  recorded: Partial<Record<TicketEventData['type'], number>>;
  /** Ladder steps passed over, with the ticket and why (the function logs them and counts them by reason). */
  skipped: (SkippedStep & { ticketId: string })[];
};

/**
 * Checks one ticket at `now`: what is due is recorded, under the ticket's version. `staff` is the directory
 * as the run read it (read here when not given).
 */
export const checkTicketSla = async (
  deps: TicketDeps,
  ticketId: string,
  now: Date,
  staff?: readonly StaffMember[],
): Promise<{ changes: TicketEventData[]; skipped: SkippedStep[] }> =>
  retryOnConflict(async () => {
    const ticket = await deps.tickets.getTicket(ticketId);
    if (!ticket) return { changes: [], skipped: [] };
    const { next, changes, skipped } = planSlaCheck(
      deps.config,
      organisationCalendars(deps.config),
      ticket,
      now,
      staff ?? (await deps.staff.list()),
    );
    if (changes.length === 0 && skipped.length === 0) return { changes, skipped };
    await deps.tickets.saveTicket(next, ticket.version, buildEvents(deps, next, SLA_ACTOR, changes));
    return { changes, skipped };
  }, undefined);

/** Checks every ticket that is due at `now`, one page of the schedule at a time; the directory is read once a run. */
export const checkSla = async (deps: TicketDeps, now: Date, pageSize = 100): Promise<SlaCheckResult> => {
  let checked = 0;
  let events = 0;
  const recorded: SlaCheckResult['recorded'] = {};
  const skipped: SlaCheckResult['skipped'] = [];
  let staff: StaffMember[] | undefined;
  let cursor: string | undefined;
  do {
    const page = await deps.slaSchedule.listDue(now.toISOString(), { limit: pageSize, cursor });
    if (page.items.length > 0) staff ??= await deps.staff.list();
    for (const due of page.items) {
      checked++;
      const result = await checkTicketSla(deps, due.id, now, staff);
      for (const change of result.changes) recorded[change.type] = (recorded[change.type] ?? 0) + 1;
      for (const step of result.skipped) skipped.push({ ...step, ticketId: due.id });
      events += result.changes.length;
    }
    cursor = page.cursor;
  } while (cursor);
  return { checked, events, recorded, skipped };
};
