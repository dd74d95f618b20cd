import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween } from '#shared/domain/sla/business-calendar.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';
import {
  collectAlerts,
  nextSlaCheck,
  pauseSla,
  restartClock,
  resumeSla,
  retargetSla,
  type Sla,
  slaForPublicReply,
  slaForStatusChange,
  startSla,
  stopClock,
} from '#shared/domain/sla/sla.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { HOUR, MINUTE, wib, wibIso } from '#test/fixtures/sla.ts';
import { testConfig } from '#test/fixtures/test-config.ts';

const config = testConfig;
const calendars = organisationCalendars(config);
const business = calendars('business');
const start = new Date(T0); // Monday 2 March 2026, 09:00 WIB

/** A medium ticket filed at T0: first response due 13:00 (warning 12:00), resolution Thursday 09:00 (warning Wednesday 11:00). */
const medium = () => startSla(config, calendars, 'medium', start);

describe('startSla', () => {
  it('starts the first-response and resolution clocks on business hours for a medium ticket', () => {
    expect(wib('2026-03-02 09:00').toISOString()).toBe(T0);
    expect(medium()).toEqual({
      policy: 'medium',
      calendar: 'business',
      clocks: {
        firstResponse: {
          targetMs: 4 * HOUR,
          elapsedMs: 0,
          runningSince: T0,
          dueAt: wibIso('2026-03-02 13:00'),
          warnAt: wibIso('2026-03-02 12:00'),
        },
        resolution: {
          targetMs: 24 * HOUR,
          elapsedMs: 0,
          runningSince: T0,
          dueAt: wibIso('2026-03-05 09:00'),
          warnAt: wibIso('2026-03-04 11:00'),
        },
      },
    });
  });

  it('gives a high ticket filed Friday 15:55 WIB its first response on Monday 08:55 WIB (warning at 75%: 08:40)', () => {
    const sla = startSla(config, calendars, 'high', wib('2026-03-06 15:55'));
    expect(sla.clocks.firstResponse).toMatchObject({ dueAt: wibIso('2026-03-09 08:55'), warnAt: wibIso('2026-03-09 08:40') });
    expect(sla.clocks.resolution).toMatchObject({ dueAt: wibIso('2026-03-09 15:55'), warnAt: wibIso('2026-03-09 13:55') });
  });

  it('gives a low ticket one business day for its first response', () => {
    const sla = startSla(config, calendars, 'low', wib('2026-03-06 15:55'));
    expect(sla.clocks.firstResponse?.dueAt).toBe(wibIso('2026-03-09 15:55'));
  });

  it('runs a critical ticket on 24×7, ignoring hours, weekends and holidays', () => {
    const friday = startSla(config, calendars, 'critical', wib('2026-03-06 15:55'));
    expect(friday.calendar).toBe('24x7');
    expect(friday.clocks.firstResponse).toMatchObject({ dueAt: wibIso('2026-03-06 16:25'), warnAt: wibIso('2026-03-06 16:17:30') });
    expect(friday.clocks.resolution?.dueAt).toBe(wibIso('2026-03-06 19:55'));
    // 03:00 on Independence Day (a Monday and a public holiday).
    const holiday = startSla(config, calendars, 'critical', wib('2026-08-17 03:00'));
    expect(holiday.clocks.firstResponse?.dueAt).toBe(wibIso('2026-08-17 03:30'));
    expect(holiday.clocks.resolution?.dueAt).toBe(wibIso('2026-08-17 07:00'));
  });
});

describe('pausing (pending) and resuming', () => {
  it('banks the business time used and takes the paused clocks off the schedule', () => {
    const paused = pauseSla(medium(), calendars, wib('2026-03-02 10:00'));
    expect(paused.clocks.firstResponse).toEqual({ targetMs: 4 * HOUR, elapsedMs: HOUR });
    expect(paused.clocks.resolution).toEqual({ targetMs: 24 * HOUR, elapsedMs: HOUR });
    expect(nextSlaCheck(paused)).toBeUndefined();
    expect(collectAlerts(paused, wib('2026-03-20 10:00')).alerts).toEqual([]);
  });

  it('moves every due and warning time by exactly the 3 hours paused', () => {
    const before = medium();
    const paused = pauseSla(before, calendars, wib('2026-03-02 10:00'));
    const resumed = resumeSla(paused, config, calendars, wib('2026-03-02 13:00'));
    expect(resumed.clocks.firstResponse).toMatchObject({
      elapsedMs: HOUR,
      runningSince: wibIso('2026-03-02 13:00'),
      dueAt: wibIso('2026-03-02 16:00'),
      warnAt: wibIso('2026-03-02 15:00'),
    });
    expect(resumed.clocks.resolution).toMatchObject({ dueAt: wibIso('2026-03-05 12:00'), warnAt: wibIso('2026-03-04 14:00') });
    for (const name of ['firstResponse', 'resolution'] as const) {
      const [was, now] = [before.clocks[name]!, resumed.clocks[name]!];
      expect(businessTimeBetween(business, new Date(was.dueAt!), new Date(now.dueAt!))).toBe(3 * HOUR);
      expect(businessTimeBetween(business, new Date(was.warnAt!), new Date(now.warnAt!))).toBe(3 * HOUR);
    }
  });

  it('counts only the business time of a pause overnight (15:00 to 10:00 the next day is 3 hours)', () => {
    const paused = pauseSla(medium(), calendars, wib('2026-03-02 15:00'));
    const resumed = resumeSla(paused, config, calendars, wib('2026-03-03 10:00'));
    expect(resumed.clocks.resolution?.dueAt).toBe(wibIso('2026-03-05 12:00'));
  });

  it('leaves the due time where it was after a pause with no business time in it (a weekend)', () => {
    const low = startSla(config, calendars, 'low', start); // resolution: 5 business days, next Monday 09:00
    expect(low.clocks.resolution?.dueAt).toBe(wibIso('2026-03-09 09:00'));
    const paused = pauseSla(low, calendars, wib('2026-03-06 16:30'));
    const resumed = resumeSla(paused, config, calendars, wib('2026-03-09 07:30'));
    expect(resumed.clocks.resolution?.dueAt).toBe(wibIso('2026-03-09 09:00'));
  });

  it('moves the due time by exactly the paused business time, for any pause before the due time', () => {
    const dueAt = new Date(medium().clocks.resolution!.dueAt!);
    fc.assert(
      fc.property(
        fc.integer({ min: start.getTime(), max: dueAt.getTime() - 1 }),
        fc.integer({ min: 1, max: 10 * 86_400_000 }),
        (pauseAt, length) => {
          const [pause, resume] = [new Date(pauseAt), new Date(pauseAt + length)];
          const resumed = resumeSla(pauseSla(medium(), calendars, pause), config, calendars, resume);
          const moved = businessTimeBetween(business, pause, resume);
          const expected = moved === 0 ? dueAt : addBusinessTime(business, dueAt, moved);
          expect(resumed.clocks.resolution?.dueAt).toBe(expected.toISOString());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('does not resume a clock whose goal was met while paused', () => {
    const answered = stopClock(medium(), 'firstResponse', calendars, wib('2026-03-02 10:00'));
    const resumed = resumeSla(pauseSla(answered, calendars, wib('2026-03-02 11:00')), config, calendars, wib('2026-03-02 13:00'));
    expect(resumed.clocks.firstResponse).toEqual(answered.clocks.firstResponse);
    expect(resumed.clocks.resolution?.runningSince).toBe(wibIso('2026-03-02 13:00'));
  });
});

describe('warning at 75% and breach at 100%, each once per clock', () => {
  it('records nothing before the warning time', () => {
    const sla = medium();
    expect(collectAlerts(sla, wib('2026-03-02 11:59'))).toEqual({ sla, alerts: [] });
  });

  it('warns once at 75% of the first-response target', () => {
    const first = collectAlerts(medium(), wib('2026-03-02 12:00'));
    expect(first.alerts).toEqual([{ clock: 'firstResponse', kind: 'warning', dueAt: wibIso('2026-03-02 13:00') }]);
    expect(first.sla.clocks.firstResponse).toMatchObject({ warnedAt: wibIso('2026-03-02 12:00') });
    expect(first.sla.clocks.firstResponse).not.toHaveProperty('warnAt');
    const second = collectAlerts(first.sla, wib('2026-03-02 12:00'));
    expect(second).toEqual({ sla: first.sla, alerts: [] });
    expect(collectAlerts(first.sla, wib('2026-03-02 12:59')).alerts).toEqual([]);
  });

  it('breaches once at 100%', () => {
    const warned = collectAlerts(medium(), wib('2026-03-02 12:00')).sla;
    const breached = collectAlerts(warned, wib('2026-03-02 13:00'));
    expect(breached.alerts).toEqual([{ clock: 'firstResponse', kind: 'breach', dueAt: wibIso('2026-03-02 13:00') }]);
    expect(breached.sla.clocks.firstResponse?.breachedAt).toBe(wibIso('2026-03-02 13:00'));
    expect(collectAlerts(breached.sla, wib('2026-03-02 13:00')).alerts).toEqual([]);
    expect(collectAlerts(breached.sla, wib('2026-03-10 13:00')).alerts.filter((a) => a.clock === 'firstResponse')).toEqual([]);
  });

  it('records a missed warning and the breach together when the check comes late, then nothing more', () => {
    const late = collectAlerts(medium(), wib('2026-03-05 10:00'));
    expect(late.alerts).toEqual([
      { clock: 'firstResponse', kind: 'warning', dueAt: wibIso('2026-03-02 13:00') },
      { clock: 'firstResponse', kind: 'breach', dueAt: wibIso('2026-03-02 13:00') },
      { clock: 'resolution', kind: 'warning', dueAt: wibIso('2026-03-05 09:00') },
      { clock: 'resolution', kind: 'breach', dueAt: wibIso('2026-03-05 09:00') },
    ]);
    expect(collectAlerts(late.sla, wib('2026-03-05 10:00')).alerts).toEqual([]);
    expect(nextSlaCheck(late.sla)).toBeUndefined();
  });

  it('does not warn again after a pause and resume, and breaches the resumed clock at its new due time', () => {
    const warned = collectAlerts(medium(), wib('2026-03-02 12:00')).sla;
    const resumed = resumeSla(pauseSla(warned, calendars, wib('2026-03-02 12:30')), config, calendars, wib('2026-03-03 09:00'));
    expect(resumed.clocks.firstResponse).not.toHaveProperty('warnAt');
    expect(resumed.clocks.firstResponse?.dueAt).toBe(wibIso('2026-03-03 09:30'));
    expect(collectAlerts(resumed, wib('2026-03-03 09:29')).alerts).toEqual([]);
    expect(collectAlerts(resumed, wib('2026-03-03 09:30')).alerts).toEqual([
      { clock: 'firstResponse', kind: 'breach', dueAt: wibIso('2026-03-03 09:30') },
    ]);
  });
});

describe('nextSlaCheck: the ticket’s place on the schedule', () => {
  it('is the earliest instant at which something is due', () => {
    let sla = medium();
    expect(nextSlaCheck(sla)).toBe(wibIso('2026-03-02 12:00'));
    sla = collectAlerts(sla, wib('2026-03-02 12:00')).sla;
    expect(nextSlaCheck(sla)).toBe(wibIso('2026-03-02 13:00'));
    sla = collectAlerts(sla, wib('2026-03-02 13:00')).sla;
    expect(nextSlaCheck(sla)).toBe(wibIso('2026-03-04 11:00'));
  });

  it('includes the next step of the escalation ladder', () => {
    const sla: Sla = { ...medium(), escalation: { level: 1, breachedAt: wibIso('2026-03-02 10:00'), nextAt: wibIso('2026-03-02 11:00') } };
    expect(nextSlaCheck(sla)).toBe(wibIso('2026-03-02 11:00'));
  });

  it('is undefined without an SLA', () => {
    expect(nextSlaCheck(undefined)).toBeUndefined();
  });
});

describe('slaForStatusChange', () => {
  const at10 = wib('2026-03-02 10:00');

  it('pauses for pending and resumes when the ticket leaves pending (to open or on hold)', () => {
    const paused = slaForStatusChange(medium(), 'open', 'pending', config, calendars, at10);
    expect(paused).toEqual(pauseSla(medium(), calendars, at10));
    const later = wib('2026-03-02 13:00');
    expect(slaForStatusChange(paused, 'pending', 'open', config, calendars, later)).toEqual(resumeSla(paused, config, calendars, later));
    expect(slaForStatusChange(paused, 'pending', 'on_hold', config, calendars, later)).toEqual(resumeSla(paused, config, calendars, later));
  });

  it('does not pause for on hold (waiting on a third party)', () => {
    const sla = medium();
    expect(slaForStatusChange(sla, 'open', 'on_hold', config, calendars, at10)).toEqual(sla);
    expect(slaForStatusChange(sla, 'new', 'open', config, calendars, at10)).toEqual(sla);
  });

  it.each(['resolved', 'closed'])('stops every clock when the ticket is %s, and takes it off the schedule', (status) => {
    const escalated: Sla = {
      ...medium(),
      escalation: { level: 1, breachedAt: wibIso('2026-03-02 09:30'), nextAt: wibIso('2026-03-02 10:30') },
    };
    const stopped = slaForStatusChange(escalated, 'open', status, config, calendars, at10);
    expect(stopped.clocks.firstResponse).toEqual({ targetMs: 4 * HOUR, elapsedMs: HOUR, stoppedAt: at10.toISOString() });
    expect(stopped.clocks.resolution).toEqual({ targetMs: 24 * HOUR, elapsedMs: HOUR, stoppedAt: at10.toISOString() });
    expect(stopped.escalation).toEqual({ level: 1, breachedAt: wibIso('2026-03-02 09:30') });
    expect(nextSlaCheck(stopped)).toBeUndefined();
    expect(collectAlerts(stopped, wib('2026-04-01 10:00')).alerts).toEqual([]);
  });

  it('stops a paused clock with the time it had banked', () => {
    const paused = slaForStatusChange(medium(), 'open', 'pending', config, calendars, at10);
    const resolved = slaForStatusChange(paused, 'pending', 'resolved', config, calendars, wib('2026-03-03 10:00'));
    expect(resolved.clocks.resolution).toEqual({ targetMs: 24 * HOUR, elapsedMs: HOUR, stoppedAt: wibIso('2026-03-03 10:00') });
  });

  it('runs the resolution clock on from the time it had used when a resolved ticket is reopened', () => {
    const resolved = slaForStatusChange(medium(), 'open', 'resolved', config, calendars, wib('2026-03-02 10:30'));
    const reopened = slaForStatusChange(resolved, 'resolved', 'open', config, calendars, wib('2026-03-03 09:00'));
    // 1.5 h used, 22.5 h left from Tuesday 09:00: 7 h Tuesday, 8 h Wednesday, 7.5 h Thursday.
    expect(reopened.clocks.resolution).toMatchObject({
      elapsedMs: 1.5 * HOUR,
      runningSince: wibIso('2026-03-03 09:00'),
      dueAt: wibIso('2026-03-05 15:30'),
    });
    expect(reopened.clocks.resolution).not.toHaveProperty('stoppedAt');
    expect(reopened.clocks.firstResponse).toEqual(resolved.clocks.firstResponse);
  });
});

describe('stopClock and restartClock', () => {
  it('stops a clock once: a second stop changes nothing', () => {
    const once = stopClock(medium(), 'firstResponse', calendars, wib('2026-03-02 10:00'));
    expect(stopClock(once, 'firstResponse', calendars, wib('2026-03-02 11:00'))).toEqual(once);
  });

  it('restarts a clock afresh, or with its past when asked to keep it', () => {
    const breached = collectAlerts(medium(), wib('2026-03-05 10:00')).sla;
    const stopped = stopClock(breached, 'resolution', calendars, wib('2026-03-05 11:00'));
    const fresh = restartClock(stopped, 'resolution', config, calendars, wib('2026-03-06 09:00'));
    expect(fresh.clocks.resolution).toEqual({
      targetMs: 24 * HOUR,
      elapsedMs: 0,
      runningSince: wibIso('2026-03-06 09:00'),
      dueAt: wibIso('2026-03-11 09:00'),
      warnAt: wibIso('2026-03-10 11:00'),
    });
    // Kept: 26 h used (Monday 7, Tuesday 8, Wednesday 8, Thursday 3) is past the 24 h target, so due at once.
    const kept = restartClock(stopped, 'resolution', config, calendars, wib('2026-03-06 09:00'), true);
    expect(kept.clocks.resolution).toMatchObject({
      elapsedMs: 26 * HOUR,
      breachedAt: wibIso('2026-03-05 10:00'),
      dueAt: wibIso('2026-03-06 09:00'),
    });
    expect(kept.clocks.resolution).not.toHaveProperty('warnAt');
  });
});

describe('slaForPublicReply (a staff reply the requester can see)', () => {
  it('meets the first-response target and starts the next-update clock', () => {
    const replied = slaForPublicReply(medium(), 'open', config, calendars, wib('2026-03-02 10:00'));
    expect(replied.clocks.firstResponse).toEqual({ targetMs: 4 * HOUR, elapsedMs: HOUR, stoppedAt: wibIso('2026-03-02 10:00') });
    expect(replied.clocks.nextUpdate).toEqual({
      targetMs: 8 * HOUR,
      elapsedMs: 0,
      runningSince: wibIso('2026-03-02 10:00'),
      dueAt: wibIso('2026-03-03 10:00'),
      warnAt: wibIso('2026-03-02 16:00'),
    });
    expect(replied.clocks.resolution).toEqual(medium().clocks.resolution);
  });

  it('starts the next-update clock afresh at each reply, leaving the first response as first met', () => {
    const first = slaForPublicReply(medium(), 'open', config, calendars, wib('2026-03-02 10:00'));
    const warned = collectAlerts(first, wib('2026-03-02 16:00')).sla;
    const second = slaForPublicReply(warned, 'open', config, calendars, wib('2026-03-03 09:00'));
    expect(second.clocks.firstResponse).toEqual(first.clocks.firstResponse);
    expect(second.clocks.nextUpdate).toEqual({
      targetMs: 8 * HOUR,
      elapsedMs: 0,
      runningSince: wibIso('2026-03-03 09:00'),
      dueAt: wibIso('2026-03-04 09:00'),
      warnAt: wibIso('2026-03-03 15:00'),
    });
  });

  it.each(['pending', 'resolved'])('does not start the next-update clock on a %s ticket', (status) => {
    const replied = slaForPublicReply(medium(), status, config, calendars, wib('2026-03-02 10:00'));
    expect(replied.clocks.firstResponse?.stoppedAt).toBe(wibIso('2026-03-02 10:00'));
    expect(replied.clocks.nextUpdate).toBeUndefined();
  });
});

describe('retargetSla (a new priority)', () => {
  it('keeps the time used and applies the new targets from now', () => {
    const raised = retargetSla(medium(), config, calendars, 'high', wib('2026-03-02 10:00'));
    expect(raised.policy).toBe('high');
    // First response: 1 h target, 1 h used: due now. Resolution: 8 h target, 1 h used: 6 h today, 1 h Tuesday.
    expect(raised.clocks.firstResponse).toMatchObject({ targetMs: HOUR, elapsedMs: HOUR, dueAt: wibIso('2026-03-02 10:00') });
    expect(raised.clocks.resolution).toMatchObject({ targetMs: 8 * HOUR, elapsedMs: HOUR, dueAt: wibIso('2026-03-03 09:00') });
  });

  it('switches to 24×7 for critical, counting the business time already used', () => {
    const friday = startSla(config, calendars, 'medium', wib('2026-03-06 15:00'));
    const critical = retargetSla(friday, config, calendars, 'critical', wib('2026-03-06 15:30'));
    expect(critical.calendar).toBe('24x7');
    expect(critical.clocks.resolution).toMatchObject({ elapsedMs: 30 * MINUTE, dueAt: wibIso('2026-03-06 19:00') });
  });

  it('leaves paused clocks paused', () => {
    const paused = pauseSla(medium(), calendars, wib('2026-03-02 10:00'));
    const raised = retargetSla(paused, config, calendars, 'high', wib('2026-03-02 11:00'));
    expect(raised.clocks.resolution).toEqual({ targetMs: 8 * HOUR, elapsedMs: HOUR });
    expect(nextSlaCheck(raised)).toBeUndefined();
  });

  it('keeps a recorded warning and breach: they are not recorded again', () => {
    const breached = collectAlerts(medium(), wib('2026-03-02 13:00')).sla;
    const raised = retargetSla(breached, config, calendars, 'high', wib('2026-03-02 13:30'));
    expect(raised.clocks.firstResponse).toMatchObject({ warnedAt: wibIso('2026-03-02 13:00'), breachedAt: wibIso('2026-03-02 13:00') });
    expect(collectAlerts(raised, wib('2026-03-02 13:30')).alerts).toEqual([]);
  });

  // BUG (sla.ts, retargetSla): the new Sla is built from policy, calendar and clocks only, so the
  // escalation ladder's progress is dropped by any priority change (updateTicket's, and check-sla's own
  // raise-priority step, which happens to rebuild it afterwards).
  it('keeps the escalation ladder’s progress', () => {
    const escalation = { level: 1, breachedAt: wibIso('2026-03-02 13:00'), nextAt: wibIso('2026-03-02 14:00') };
    const breached: Sla = { ...collectAlerts(medium(), wib('2026-03-02 13:00')).sla, escalation };
    const raised = retargetSla(breached, config, calendars, 'high', wib('2026-03-02 13:30'));
    expect(raised.escalation).toEqual(escalation);
  });
});
