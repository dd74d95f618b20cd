// The scheduled SLA check over the in-memory store, driven minute by minute by a fake clock the way the
// schedule (rate(1 minute)) drives it: warnings and breaches once per clock, the escalation ladder step by
// step at the configured minutes after the breach, each step a recorded event, each once.
import { describe, expect, it } from 'vitest';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { checkSla, planSlaCheck, SLA_ACTOR, type SlaCheckResult } from '#shared/domain/sla/check-sla.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';
import { collectAlerts, nextSlaCheck, startSla } from '#shared/domain/sla/sla.ts';
import { VersionConflictError } from '#shared/domain/tickets/ports.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { sequentialIds, T0 } from '#test/fixtures/clock.ts';
import { hana } from '#test/fixtures/identities.ts';
import { configWithLadder, type Ladder, MINUTE, wallClock, wib, wibIso } from '#test/fixtures/sla.ts';
import { testConfig } from '#test/fixtures/test-config.ts';
import { aTicket, type TestDeps, testDeps } from '#test/fixtures/tickets.ts';

const ID = '01HZZZZZZZZZZZZZZZZZZZZZZ1';

/** A medium ticket filed at T0 (Monday 09:00 WIB) in first line, assigned to Hana (the helpdesk lead in the staff directory). */
const helpdeskTicket = (config: HelpdeskConfig, overrides: Partial<Ticket> = {}): Ticket =>
  aTicket({
    id: ID,
    status: 'open',
    category: 'other',
    team: 'helpdesk',
    tier: 'first-line',
    assignee: 'hana',
    sla: startSla(config, organisationCalendars(config), overrides.priority ?? 'medium', new Date(T0)),
    ...overrides,
  });

const arrange = (config: HelpdeskConfig, overrides: Partial<Ticket> = {}) => {
  const deps = testDeps({ config });
  deps.tickets.seed(helpdeskTicket(config, overrides));
  return deps;
};

/** Runs the check every minute from the clock's time up to and including `until`; returns the events counted. */
const everyMinuteUntil = async (deps: TestDeps, until: string) => {
  let events = 0;
  for (let now = deps.clock.now(); now.toISOString() <= until; now = deps.clock.advance(MINUTE))
    events += (await checkSla(deps, now)).events;
  deps.clock.advance(-MINUTE);
  return events;
};

/** The same, keeping what each run passed over. */
const everyMinuteCollecting = async (deps: TestDeps, until: string) => {
  const skipped: SlaCheckResult['skipped'] = [];
  for (let now = deps.clock.now(); now.toISOString() <= until; now = deps.clock.advance(MINUTE))
    skipped.push(...(await checkSla(deps, now)).skipped);
  deps.clock.advance(-MINUTE);
  return { skipped };
};

/** The ticket's history as [WIB wall time, type, data], for the events the check wrote. */
const slaHistory = (deps: TestDeps, id = ID) =>
  deps.tickets
    .historyOf(id)
    .filter((event) => event.actor.id === SLA_ACTOR.id)
    .map((event): [string, string, unknown] => [wallClock(new Date(event.at), 'Asia/Jakarta').text, event.type, event.data]);

const escalations = (deps: TestDeps) => slaHistory(deps).filter(([, type]) => type === 'Escalated');

describe('warnings and breaches through checkSla', () => {
  it('warns at 75% and breaches at 100% of the first-response target, once each, checking every minute', async () => {
    const deps = arrange(testConfig);
    const events = await everyMinuteUntil(deps, wibIso('2026-03-02 14:00'));
    expect(events).toBe(2);
    expect(slaHistory(deps)).toEqual([
      ['2026-03-02 12:00', 'SlaWarning', { clock: 'firstResponse', dueAt: wibIso('2026-03-02 13:00') }],
      ['2026-03-02 13:00', 'SlaBreached', { clock: 'firstResponse', dueAt: wibIso('2026-03-02 13:00') }],
    ]);
    expect(deps.tickets.historyOf(ID).every((event) => event.actor.role === 'system')).toBe(true);
  });

  it('records the warning once when the check runs twice at the same instant', async () => {
    const deps = arrange(testConfig);
    expect(await checkSla(deps, wib('2026-03-02 12:00'))).toEqual({ checked: 1, events: 1, recorded: { SlaWarning: 1 }, skipped: [] });
    expect(await checkSla(deps, wib('2026-03-02 12:00'))).toEqual({ checked: 0, events: 0, recorded: {}, skipped: [] });
    expect(slaHistory(deps)).toHaveLength(1);
  });

  it('records nothing without an escalation ladder beyond the breach', async () => {
    const deps = arrange(testConfig);
    await everyMinuteUntil(deps, wibIso('2026-03-05 12:00'));
    expect(slaHistory(deps).map(([, type]) => type)).toEqual(['SlaWarning', 'SlaBreached', 'SlaWarning', 'SlaBreached']);
    expect((await deps.tickets.getTicket(ID))?.sla?.escalation).toBeUndefined();
  });
});

describe('two checks at once (overlapping scheduled runs)', () => {
  /** Counts the saves that lost the race, to show the runs really overlapped. */
  const countConflicts = (deps: TestDeps) => {
    const save = deps.tickets.saveTicket.bind(deps.tickets);
    const counter = { conflicts: 0 };
    deps.tickets.saveTicket = async (...args) => {
      try {
        return await save(...args);
      } catch (error) {
        if (error instanceof VersionConflictError) counter.conflicts++;
        throw error;
      }
    };
    return counter;
  };

  it('record the warning once', async () => {
    const deps = arrange(configWithLadder());
    const counter = countConflicts(deps);
    const now = wib('2026-03-02 12:00');
    const results = await Promise.all([checkSla(deps, now), checkSla(deps, now)]);
    expect(counter.conflicts).toBeGreaterThanOrEqual(1);
    expect(results.reduce((sum, result) => sum + result.events, 0)).toBe(1);
    expect(slaHistory(deps)).toEqual([['2026-03-02 12:00', 'SlaWarning', { clock: 'firstResponse', dueAt: wibIso('2026-03-02 13:00') }]]);
    expect((await deps.tickets.getTicket(ID))?.version).toBe(2);
  });

  it('record the breach and the first escalation step once', async () => {
    const deps = arrange(configWithLadder());
    await checkSla(deps, wib('2026-03-02 12:00'));
    const counter = countConflicts(deps);
    const now = wib('2026-03-02 13:00');
    await Promise.all([checkSla(deps, now), checkSla(deps, now), checkSla(deps, now)]);
    expect(counter.conflicts).toBeGreaterThanOrEqual(1);
    expect(slaHistory(deps).map(([, type]) => type)).toEqual(['SlaWarning', 'SlaBreached', 'Escalated']);
  });

  it('record each ticket’s alerts once across pages', async () => {
    const config = configWithLadder();
    const deps = testDeps({ config });
    const ids = sequentialIds('01T');
    const tickets = Array.from({ length: 5 }, (_, index) => helpdeskTicket(config, { id: ids.next(), number: index + 1 }));
    for (const ticket of tickets) deps.tickets.seed(ticket);
    const now = wib('2026-03-02 12:00');
    const results = await Promise.all([checkSla(deps, now, 2), checkSla(deps, now, 2)]);
    expect(results.reduce((sum, result) => sum + result.events, 0)).toBe(5);
    for (const ticket of tickets) expect(slaHistory(deps, ticket.id).map(([, type]) => type)).toEqual(['SlaWarning']);
  });
});

describe('the escalation ladder', () => {
  it('notifies the lead at the breach, raises the priority an hour later and hands over to the next tier after two', async () => {
    const deps = arrange(configWithLadder());
    await everyMinuteUntil(deps, wibIso('2026-03-03 12:00'));
    expect(slaHistory(deps)).toEqual([
      ['2026-03-02 12:00', 'SlaWarning', { clock: 'firstResponse', dueAt: wibIso('2026-03-02 13:00') }],
      ['2026-03-02 13:00', 'SlaBreached', { clock: 'firstResponse', dueAt: wibIso('2026-03-02 13:00') }],
      [
        '2026-03-02 13:00',
        'Escalated',
        { level: 1, action: 'notify-lead', leads: ['hana'], clock: 'firstResponse', dueAt: wibIso('2026-03-02 13:00') },
      ],
      ['2026-03-02 14:00', 'Escalated', { level: 2, action: 'raise-priority', priority: 'high' }],
      ['2026-03-02 14:00', 'PriorityChanged', { from: 'medium', to: 'high' }],
      // Raised to high, the resolution clock has 8 business hours from 09:00: warning at 15:00, due Tuesday 09:00.
      ['2026-03-02 15:00', 'SlaWarning', { clock: 'resolution', dueAt: wibIso('2026-03-03 09:00') }],
      ['2026-03-02 15:00', 'Escalated', { level: 3, action: 'next-tier', team: 'it-support' }],
      ['2026-03-02 15:00', 'TeamChanged', { from: 'helpdesk', to: 'it-support' }],
      ['2026-03-02 15:00', 'Assigned', { from: 'hana', to: null }],
      ['2026-03-03 09:00', 'SlaBreached', { clock: 'resolution', dueAt: wibIso('2026-03-03 09:00') }],
    ]);
    const ticket = (await deps.tickets.getTicket(ID))!;
    expect(ticket).toMatchObject({ priority: 'high', team: 'it-support', tier: 'specialist', assignee: null, status: 'open' });
    expect(ticket.sla?.policy).toBe('high');
    expect(ticket.sla?.escalation).toEqual({ level: 3, breachedAt: wibIso('2026-03-02 13:00') });
    expect(nextSlaCheck(ticket.sla)).toBeUndefined();
  });

  it('follows the configured minutes (15, 45 and 90 after the breach)', async () => {
    const ladder: Ladder = [
      { action: 'notify-lead', afterMinutes: 15 },
      { action: 'raise-priority', afterMinutes: 45 },
      { action: 'next-tier', afterMinutes: 90 },
    ];
    const deps = arrange(configWithLadder(ladder));
    await everyMinuteUntil(deps, wibIso('2026-03-02 16:00'));
    expect(slaHistory(deps).map(([at, type]) => `${at.slice(11)} ${type}`)).toEqual([
      '12:00 SlaWarning',
      '13:00 SlaBreached',
      '13:15 Escalated',
      '13:45 Escalated',
      '13:45 PriorityChanged',
      '14:30 Escalated',
      '14:30 TeamChanged',
      '14:30 Assigned',
      '15:00 SlaWarning',
    ]);
  });

  it('takes each step once when the steps share an instant', async () => {
    const ladder: Ladder = [
      { action: 'notify-lead', afterMinutes: 30 },
      { action: 'raise-priority', afterMinutes: 30 },
      { action: 'next-tier', afterMinutes: 30 },
    ];
    const deps = arrange(configWithLadder(ladder));
    await everyMinuteUntil(deps, wibIso('2026-03-02 14:00'));
    expect(escalations(deps)).toEqual([
      [
        '2026-03-02 13:30',
        'Escalated',
        { level: 1, action: 'notify-lead', leads: ['hana'], clock: 'firstResponse', dueAt: wibIso('2026-03-02 13:00') },
      ],
      ['2026-03-02 13:30', 'Escalated', { level: 2, action: 'raise-priority', priority: 'high' }],
      ['2026-03-02 13:30', 'Escalated', { level: 3, action: 'next-tier', team: 'it-support' }],
    ]);
  });

  it('passes over a hand-over for a team without a next tier, says why, and moves nothing', async () => {
    const deps = arrange(configWithLadder(), { team: 'it-support', tier: 'specialist', assignee: 'iwan' });
    const { skipped } = await everyMinuteCollecting(deps, wibIso('2026-03-02 16:00'));
    expect(escalations(deps)).toEqual([
      [
        '2026-03-02 13:00',
        'Escalated',
        { level: 1, action: 'notify-lead', leads: ['ivan'], clock: 'firstResponse', dueAt: wibIso('2026-03-02 13:00') },
      ],
      ['2026-03-02 14:00', 'Escalated', { level: 2, action: 'raise-priority', priority: 'high' }],
    ]);
    expect(skipped).toEqual([{ ticketId: ID, level: 3, action: 'next-tier', team: 'it-support', reason: 'no-next-tier' }]);
    expect(await deps.tickets.getTicket(ID)).toMatchObject({ team: 'it-support', assignee: 'iwan' });
    expect((await deps.tickets.getTicket(ID))?.sla?.escalation).toEqual({ level: 3, breachedAt: wibIso('2026-03-02 13:00') });
  });

  it('passes over raising a critical ticket (no PriorityChanged, no Escalated) and goes on to the next tier', async () => {
    // Critical runs 24×7: first response due 09:30, warning at 09:22:30 (seen by the 09:23 check).
    const deps = arrange(configWithLadder(), { priority: 'critical' });
    const { skipped } = await everyMinuteCollecting(deps, wibIso('2026-03-02 12:00'));
    expect(slaHistory(deps).filter(([at]) => at <= '2026-03-02 11:30')).toEqual([
      ['2026-03-02 09:23', 'SlaWarning', { clock: 'firstResponse', dueAt: wibIso('2026-03-02 09:30') }],
      ['2026-03-02 09:30', 'SlaBreached', { clock: 'firstResponse', dueAt: wibIso('2026-03-02 09:30') }],
      [
        '2026-03-02 09:30',
        'Escalated',
        { level: 1, action: 'notify-lead', leads: ['hana'], clock: 'firstResponse', dueAt: wibIso('2026-03-02 09:30') },
      ],
      ['2026-03-02 11:30', 'Escalated', { level: 3, action: 'next-tier', team: 'it-support' }],
      ['2026-03-02 11:30', 'TeamChanged', { from: 'helpdesk', to: 'it-support' }],
      ['2026-03-02 11:30', 'Assigned', { from: 'hana', to: null }],
    ]);
    expect(skipped).toEqual([{ ticketId: ID, level: 2, action: 'raise-priority', team: 'helpdesk', reason: 'already-critical' }]);
  });

  it('passes over notifying when the team has no lead in the directory, and the ladder goes on', async () => {
    const deps = arrange(configWithLadder());
    deps.staff.update('hana', { role: 'agent' });
    const { skipped } = await everyMinuteCollecting(deps, wibIso('2026-03-02 14:00'));
    expect(escalations(deps).map(([at, , data]) => [at, (data as { action: string }).action])).toEqual([
      ['2026-03-02 14:00', 'raise-priority'],
    ]);
    expect(skipped).toEqual([{ ticketId: ID, level: 1, action: 'notify-lead', team: 'helpdesk', reason: 'no-lead' }]);
  });

  it('passes over notifying a lead who has no address to be mailed at', async () => {
    const deps = arrange(configWithLadder());
    deps.staff.update('hana', { email: undefined });
    const { skipped } = await everyMinuteCollecting(deps, wibIso('2026-03-02 13:00'));
    expect(escalations(deps)).toEqual([]);
    expect(skipped).toEqual([{ ticketId: ID, level: 1, action: 'notify-lead', team: 'helpdesk', reason: 'no-lead-address' }]);
  });

  it('notifies the leads the directory has at the moment of the step (a lead added since included, an inactive one not)', async () => {
    const deps = arrange(configWithLadder());
    await deps.staff.save({ ...(await deps.staff.get('ivan'))!, teams: ['it-support', 'helpdesk'] });
    await deps.staff.save({ ...(await deps.staff.get('sari'))!, teams: ['sarpras', 'helpdesk'], active: false });
    await everyMinuteCollecting(deps, wibIso('2026-03-02 13:00'));
    expect(escalations(deps).map(([, , data]) => (data as { leads: string[] }).leads)).toEqual([['hana', 'ivan']]);
  });

  it("follows a team's own ladder instead of the organisation's", async () => {
    const base = configWithLadder();
    const config = {
      ...base,
      teams: base.teams.map((team) =>
        team.id === 'helpdesk' ? { ...team, escalation: [{ action: 'raise-priority' as const, afterMinutes: 10 }] } : team,
      ),
    };
    const deps = arrange(config);
    await everyMinuteCollecting(deps, wibIso('2026-03-02 16:00'));
    expect(escalations(deps)).toEqual([['2026-03-02 13:10', 'Escalated', { level: 1, action: 'raise-priority', priority: 'high' }]]);
  });

  it('resolving stops the clocks and takes the ticket off the schedule, mid-ladder', async () => {
    const deps = arrange(configWithLadder());
    await everyMinuteUntil(deps, wibIso('2026-03-02 13:30'));
    expect(escalations(deps)).toHaveLength(1);
    deps.clock.set(wibIso('2026-03-02 13:30'));
    const resolved = await updateTicket(deps, hana, ID, { status: 'resolved' });
    expect(Object.values(resolved.sla!.clocks).every((clock) => clock?.stoppedAt === wibIso('2026-03-02 13:30'))).toBe(true);
    expect(resolved.sla?.escalation).toEqual({ level: 1, breachedAt: wibIso('2026-03-02 13:00') });
    expect(nextSlaCheck(resolved.sla)).toBeUndefined();

    const before = deps.tickets.historyOf(ID).length;
    expect(await everyMinuteUntil(deps, wibIso('2026-03-03 12:00'))).toBe(0);
    expect(deps.tickets.historyOf(ID)).toHaveLength(before);
    expect((await deps.slaSchedule.listDue(wibIso('2027-01-01 00:00'), { limit: 10 })).items).toEqual([]);
  });

  // BUG (sla.ts retargetSla drops sla.escalation): an agent's priority change in the middle of the ladder
  // throws its progress away. The raise and the hand-over never come, and when the resolution clock breaches
  // the ladder starts again from the top: the lead is notified a second time.
  it('a priority change by an agent mid-ladder neither stops the ladder nor repeats a step', async () => {
    const deps = arrange(configWithLadder());
    await everyMinuteUntil(deps, wibIso('2026-03-02 13:30'));
    deps.clock.set(wibIso('2026-03-02 13:30'));
    await updateTicket(deps, hana, ID, { priority: 'high' });
    deps.clock.advance(MINUTE);
    await everyMinuteUntil(deps, wibIso('2026-03-03 12:00'));
    const steps = escalations(deps).map(([at, , data]) => [at, (data as { action: string }).action]);
    expect(steps).toEqual([
      ['2026-03-02 13:00', 'notify-lead'],
      ['2026-03-02 14:00', 'raise-priority'],
      ['2026-03-02 15:00', 'next-tier'],
    ]);
  });
});

describe('planSlaCheck', () => {
  const config = configWithLadder();
  const calendars = organisationCalendars(config);

  it.each(['resolved', 'closed'] as const)('does nothing for a %s ticket, however overdue its clocks', (status) => {
    const ticket = helpdeskTicket(config, { status });
    expect(planSlaCheck(config, calendars, ticket, wib('2026-04-01 09:00'))).toEqual({ next: ticket, changes: [], skipped: [] });
  });

  it('does nothing for a ticket without an SLA', () => {
    const ticket = aTicket();
    expect(planSlaCheck(config, calendars, ticket, wib('2026-04-01 09:00'))).toEqual({ next: ticket, changes: [], skipped: [] });
  });

  it('returns the next version with the alerts recorded on its clocks, leaving its input alone', () => {
    const ticket = helpdeskTicket(config);
    const copy = structuredClone(ticket);
    const { next, changes } = planSlaCheck(config, calendars, ticket, wib('2026-03-02 12:00'));
    expect(ticket).toEqual(copy);
    expect(changes).toEqual([{ type: 'SlaWarning', data: { clock: 'firstResponse', dueAt: wibIso('2026-03-02 13:00') } }]);
    expect(next).toMatchObject({ version: 2, updatedAt: wibIso('2026-03-02 12:00') });
    expect(next.sla).toEqual(collectAlerts(ticket.sla!, wib('2026-03-02 12:00')).sla);
    expect(nextSlaCheck(next.sla)).toBe(wibIso('2026-03-02 13:00'));
  });

  it('starts the ladder at the breach and schedules its next step', () => {
    const ticket = helpdeskTicket(config);
    const { next } = planSlaCheck(config, calendars, ticket, wib('2026-03-02 13:00'));
    expect(next.sla?.escalation).toEqual({ level: 1, breachedAt: wibIso('2026-03-02 13:00'), nextAt: wibIso('2026-03-02 14:00') });
    expect(nextSlaCheck(next.sla)).toBe(wibIso('2026-03-02 14:00'));
  });
});
