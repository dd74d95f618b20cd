// SLA clocks. Each ticket carries up to three: first response, next update, resolution. A running clock
// has `runningSince` and its `dueAt`; pausing (status pending) banks the business time used so far, and
// resuming recomputes the due time from what is left, so a pause moves the due time by exactly the paused
// business time. Warning and breach are recorded on the clock, so each happens once per clock.
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Priority } from '#shared/config/config-values.ts';
import { addBusinessTime, businessTimeBetween, type Calendar } from './business-calendar.ts';

export const CLOCK_NAMES = ['firstResponse', 'nextUpdate', 'resolution'] as const;
export type ClockName = (typeof CLOCK_NAMES)[number];

export type SlaClock = {
  targetMs: number;
  /** Business time used before `runningSince` (banked at each pause). */
  elapsedMs: number;
  runningSince?: string;
  dueAt?: string;
  warnAt?: string;
  warnedAt?: string;
  breachedAt?: string;
  /** Set when the clock's goal was met (first reply sent, ticket resolved). */
  stoppedAt?: string;
};

export type Sla = {
  policy: Priority;
  calendar: 'business' | '24x7';
  clocks: Partial<Record<ClockName, SlaClock>>;
  /** The escalation ladder after the first breach: the next step's index and when it is due. */
  escalation?: { level: number; breachedAt: string; nextAt?: string };
};

export type CalendarResolver = (kind: 'business' | '24x7') => Calendar;

const MINUTE = 60_000;

const targetOf = (config: HelpdeskConfig, priority: Priority, clock: ClockName): number => {
  const policy = config.sla.policies[priority]!;
  const minutes =
    clock === 'firstResponse' ? policy.firstResponseMinutes : clock === 'nextUpdate' ? policy.nextUpdateMinutes : policy.resolutionMinutes;
  return minutes * MINUTE;
};

/** Due and warning instants of a running clock, from what is left of its target. */
const schedule = (clock: SlaClock, calendar: Calendar, fraction: number): SlaClock => {
  if (!clock.runningSince) return clock;
  const since = new Date(clock.runningSince);
  const left = Math.max(0, clock.targetMs - clock.elapsedMs);
  const warnLeft = Math.max(0, clock.targetMs * fraction - clock.elapsedMs);
  const next: SlaClock = { ...clock, dueAt: addBusinessTime(calendar, since, left).toISOString() };
  if (clock.warnedAt) delete next.warnAt;
  else next.warnAt = addBusinessTime(calendar, since, warnLeft).toISOString();
  return next;
};

const running = (targetMs: number, now: Date): SlaClock => ({ targetMs, elapsedMs: 0, runningSince: now.toISOString() });

export const startSla = (config: HelpdeskConfig, calendars: CalendarResolver, priority: Priority, now: Date): Sla => {
  const kind = config.sla.policies[priority]!.calendar;
  const calendar = calendars(kind);
  const fraction = config.sla.warningFraction;
  return {
    policy: priority,
    calendar: kind,
    clocks: {
      firstResponse: schedule(running(targetOf(config, priority, 'firstResponse'), now), calendar, fraction),
      resolution: schedule(running(targetOf(config, priority, 'resolution'), now), calendar, fraction),
    },
  };
};

const mapClocks = (sla: Sla, update: (clock: SlaClock, name: ClockName) => SlaClock): Sla => ({
  ...sla,
  clocks: Object.fromEntries(Object.entries(sla.clocks).map(([name, clock]) => [name, update(clock, name as ClockName)])) as Sla['clocks'],
});

const isRunning = (clock: SlaClock) => clock.runningSince !== undefined;

/** Waiting on the requester: bank the time used and take the clocks off the schedule. */
export const pauseSla = (sla: Sla, calendars: CalendarResolver, now: Date): Sla =>
  mapClocks(sla, (clock) => {
    if (!isRunning(clock)) return clock;
    const { runningSince, dueAt: _dueAt, warnAt: _warnAt, ...rest } = clock;
    return { ...rest, elapsedMs: clock.elapsedMs + businessTimeBetween(calendars(sla.calendar), new Date(runningSince!), now) };
  });

/** Back in work: clocks that were paused (not met) run again from now. */
export const resumeSla = (sla: Sla, config: HelpdeskConfig, calendars: CalendarResolver, now: Date): Sla =>
  mapClocks(sla, (clock) =>
    isRunning(clock) || clock.stoppedAt
      ? clock
      : schedule({ ...clock, runningSince: now.toISOString() }, calendars(sla.calendar), config.sla.warningFraction),
  );

/** A clock's goal is met: it stops for good and leaves the schedule. */
export const stopClock = (sla: Sla, name: ClockName, calendars: CalendarResolver, now: Date): Sla => {
  const clock = sla.clocks[name];
  if (!clock || clock.stoppedAt) return sla;
  const elapsedMs = isRunning(clock)
    ? clock.elapsedMs + businessTimeBetween(calendars(sla.calendar), new Date(clock.runningSince!), now)
    : clock.elapsedMs;
  const { runningSince: _r, dueAt: _d, warnAt: _w, ...rest } = clock;
  return { ...sla, clocks: { ...sla.clocks, [name]: { ...rest, elapsedMs, stoppedAt: now.toISOString() } } };
};

/** Starts a clock afresh (the next-update clock after each public reply), or reopens a stopped one. */
export const restartClock = (
  sla: Sla,
  name: ClockName,
  config: HelpdeskConfig,
  calendars: CalendarResolver,
  now: Date,
  keepElapsed = false,
): Sla => {
  const previous = sla.clocks[name];
  const clock: SlaClock = {
    ...running(targetOf(config, sla.policy, name), now),
    ...(keepElapsed && previous ? { elapsedMs: previous.elapsedMs, warnedAt: previous.warnedAt, breachedAt: previous.breachedAt } : {}),
  };
  if (!clock.warnedAt) delete clock.warnedAt;
  if (!clock.breachedAt) delete clock.breachedAt;
  return { ...sla, clocks: { ...sla.clocks, [name]: schedule(clock, calendars(sla.calendar), config.sla.warningFraction) } };
};

/** A new priority brings new targets (and maybe another calendar); time already used still counts. */
export const retargetSla = (sla: Sla, config: HelpdeskConfig, calendars: CalendarResolver, priority: Priority, now: Date): Sla => {
  const paused = pauseSla(sla, calendars, now);
  const kind = config.sla.policies[priority]!.calendar;
  const retargeted: Sla = {
    ...paused,
    policy: priority,
    calendar: kind,
    clocks: mapClocks(paused, (clock, name) => ({ ...clock, targetMs: targetOf(config, priority, name) })).clocks,
  };
  const wasRunning = new Set(CLOCK_NAMES.filter((name) => sla.clocks[name] && isRunning(sla.clocks[name]!)));
  return mapClocks(retargeted, (clock, name) =>
    wasRunning.has(name) ? schedule({ ...clock, runningSince: now.toISOString() }, calendars(kind), config.sla.warningFraction) : clock,
  );
};

export type SlaAlert = { clock: ClockName; kind: 'warning' | 'breach'; dueAt: string };

/** Warnings and breaches that are due at `now` and not yet recorded, and the SLA with them recorded. */
export const collectAlerts = (sla: Sla, now: Date): { sla: Sla; alerts: SlaAlert[] } => {
  const alerts: SlaAlert[] = [];
  const at = now.toISOString();
  const next = mapClocks(sla, (clock, name) => {
    if (!isRunning(clock) || !clock.dueAt) return clock;
    const updated = { ...clock };
    if (!clock.warnedAt && clock.warnAt && clock.warnAt <= at) {
      alerts.push({ clock: name, kind: 'warning', dueAt: clock.dueAt });
      updated.warnedAt = at;
      delete updated.warnAt;
    }
    if (!clock.breachedAt && clock.dueAt <= at) {
      alerts.push({ clock: name, kind: 'breach', dueAt: clock.dueAt });
      updated.breachedAt = at;
    }
    return updated;
  });
  return { sla: next, alerts };
};

/** The next instant at which something may need doing for this SLA, or undefined (off the schedule). */
export const nextSlaCheck = (sla: Sla | undefined): string | undefined => {
  if (!sla) return undefined;
  const instants = Object.values(sla.clocks).flatMap((clock) => {
    if (!clock || !isRunning(clock)) return [];
    if (!clock.warnedAt && clock.warnAt) return [clock.warnAt];
    if (!clock.breachedAt && clock.dueAt) return [clock.dueAt];
    return [];
  });
  if (sla.escalation?.nextAt) instants.push(sla.escalation.nextAt);
  return instants.sort()[0];
};

const ACTIVE_AFTER_REPLY = ['new', 'open', 'on_hold'];

/** While waiting on the requester the escalation ladder waits too: its next step is taken off the schedule. */
const holdEscalation = (sla: Sla): Sla => {
  if (!sla.escalation?.nextAt) return sla;
  const { nextAt: _nextAt, ...escalation } = sla.escalation;
  return { ...sla, escalation };
};

/** Back in work: the ladder's next step is due when it would have been, or now if that has passed. */
const resumeEscalation = (sla: Sla, config: HelpdeskConfig, now: Date): Sla => {
  const escalation = sla.escalation;
  const step = escalation && !escalation.nextAt ? config.sla.escalation[escalation.level] : undefined;
  if (!escalation || !step) return sla;
  const due = Math.max(now.getTime(), Date.parse(escalation.breachedAt) + step.afterMinutes * MINUTE);
  return { ...sla, escalation: { ...escalation, nextAt: new Date(due).toISOString() } };
};

/** How a status change moves the clocks: pending pauses, leaving pending resumes, resolving stops all. */
export const slaForStatusChange = (
  sla: Sla,
  from: string,
  to: string,
  config: HelpdeskConfig,
  calendars: CalendarResolver,
  now: Date,
): Sla => {
  if (to === 'pending') return holdEscalation(pauseSla(sla, calendars, now));
  if (to === 'resolved' || to === 'closed')
    return holdEscalation(CLOCK_NAMES.reduce((current, name) => stopClock(current, name, calendars, now), sla));
  if (from === 'pending') return resumeEscalation(resumeSla(sla, config, calendars, now), config, now);
  // Reopened: the resolution clock runs on from the time it had used, and so does the ladder.
  if (from === 'resolved' && to === 'open')
    return resumeEscalation(restartClock(sla, 'resolution', config, calendars, now, true), config, now);
  return sla;
};

/** A public reply from staff meets the first-response target and starts the next-update clock. */
export const slaForPublicReply = (sla: Sla, status: string, config: HelpdeskConfig, calendars: CalendarResolver, now: Date): Sla => {
  const answered = stopClock(sla, 'firstResponse', calendars, now);
  return ACTIVE_AFTER_REPLY.includes(status) ? restartClock(answered, 'nextUpdate', config, calendars, now) : answered;
};
