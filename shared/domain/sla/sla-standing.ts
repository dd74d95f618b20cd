// Where a ticket stands against its SLA, from its running clocks: the earliest due time (what a work queue
// sorts by), from when it is at risk, and whether it is breached. Pure and free of runtime imports, so the
// repository, the API's filters and the web console all judge a ticket the same way.
import type { Sla } from './sla.ts';

export type SlaStanding = 'breached' | 'at-risk' | 'on-track' | 'paused' | 'none';

/** The earliest due time of a running clock, and the earliest instant one of them warned or warns. */
export const slaMarks = (sla: Sla | undefined): { dueAt?: string; warnFrom?: string } => {
  let dueAt: string | undefined;
  let warnFrom: string | undefined;
  for (const clock of Object.values(sla?.clocks ?? {})) {
    if (!clock?.runningSince || !clock.dueAt) continue;
    if (!dueAt || clock.dueAt < dueAt) dueAt = clock.dueAt;
    const warn = clock.warnedAt ?? clock.warnAt;
    if (warn && (!warnFrom || warn < warnFrom)) warnFrom = warn;
  }
  return { ...(dueAt ? { dueAt } : {}), ...(warnFrom ? { warnFrom } : {}) };
};

/**
 * Breached once a running clock's due time has passed (or the SLA check recorded it); at risk once one's
 * warning time has; paused when clocks exist but none runs (waiting on the requester, or all met).
 */
export const slaStanding = (sla: Sla | undefined, nowIso: string): SlaStanding => {
  if (!sla) return 'none';
  const running = Object.values(sla.clocks).filter((clock) => clock?.runningSince && clock.dueAt);
  if (running.length === 0) return Object.values(sla.clocks).some((clock) => clock && !clock.stoppedAt) ? 'paused' : 'none';
  const { dueAt, warnFrom } = slaMarks(sla);
  if (running.some((clock) => clock?.breachedAt) || (dueAt && dueAt <= nowIso)) return 'breached';
  if (warnFrom && warnFrom <= nowIso) return 'at-risk';
  return 'on-track';
};
