import { describe, expect, it } from 'vitest';
import type { Sla } from '#shared/domain/sla/sla.ts';
import { slaMarks, slaStanding } from '#shared/domain/sla/sla-standing.ts';

const running = (dueAt: string, warnAt: string, extra: Record<string, string> = {}) => ({
  targetMs: 3_600_000,
  elapsedMs: 0,
  runningSince: '2026-03-02T01:00:00.000Z',
  dueAt,
  warnAt,
  ...extra,
});

const sla = (clocks: Sla['clocks']): Sla => ({ policy: 'high', calendar: 'business', clocks });

const twoClocks = sla({
  firstResponse: running('2026-03-02T03:00:00.000Z', '2026-03-02T02:45:00.000Z'),
  resolution: running('2026-03-02T09:00:00.000Z', '2026-03-02T07:00:00.000Z'),
});

describe('slaMarks', () => {
  it('takes the earliest due time and the earliest warning of the running clocks', () => {
    expect(slaMarks(twoClocks)).toEqual({ dueAt: '2026-03-02T03:00:00.000Z', warnFrom: '2026-03-02T02:45:00.000Z' });
  });

  it('counts a warning already recorded from when it was recorded', () => {
    const warned = sla({
      resolution: { ...running('2026-03-02T09:00:00.000Z', ''), warnAt: undefined, warnedAt: '2026-03-02T07:01:00.000Z' },
    });
    expect(slaMarks(warned).warnFrom).toBe('2026-03-02T07:01:00.000Z');
  });

  it('has nothing for paused or stopped clocks, nor without an SLA', () => {
    const paused = sla({
      resolution: { targetMs: 1, elapsedMs: 0 },
      firstResponse: { targetMs: 1, elapsedMs: 1, stoppedAt: '2026-03-02T02:00:00.000Z' },
    });
    expect(slaMarks(paused)).toEqual({});
    expect(slaMarks(undefined)).toEqual({});
  });
});

describe('slaStanding', () => {
  it.each([
    ['2026-03-02T02:00:00.000Z', 'on-track'],
    ['2026-03-02T02:45:00.000Z', 'at-risk'],
    ['2026-03-02T03:00:00.000Z', 'breached'],
  ] as const)('at %s a ticket is %s', (now, standing) => {
    expect(slaStanding(twoClocks, now)).toBe(standing);
  });

  it('is breached once the SLA check recorded a breach, whatever the clock in the browser says', () => {
    const recorded = sla({
      firstResponse: running('2026-03-02T03:00:00.000Z', '2026-03-02T02:45:00.000Z', { breachedAt: '2026-03-02T03:00:01.000Z' }),
    });
    expect(slaStanding(recorded, '2026-03-02T01:30:00.000Z')).toBe('breached');
  });

  it('is paused while clocks wait (pending), and none once every clock stopped or without an SLA', () => {
    expect(slaStanding(sla({ resolution: { targetMs: 1, elapsedMs: 0 } }), '2026-03-02T02:00:00.000Z')).toBe('paused');
    expect(
      slaStanding(sla({ resolution: { targetMs: 1, elapsedMs: 1, stoppedAt: '2026-03-02T02:00:00.000Z' } }), '2026-03-02T02:00:00.000Z'),
    ).toBe('none');
    expect(slaStanding(undefined, '2026-03-02T02:00:00.000Z')).toBe('none');
  });
});
