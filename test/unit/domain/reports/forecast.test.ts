// The volume forecast on synthetic series whose seasonality is known: an exact trend plus weekly pattern is
// continued exactly (the expected figures computed here from the generating formula), a noisy one keeps its
// weekly shape inside its interval, too little history gives no figures, and the report reads one Query per
// day of the last 8 weeks.
import { describe, expect, it } from 'vitest';
import {
  buildForecast,
  calendarForecast,
  type DayKind,
  dayKindOn,
  fitCalendarModel,
  fitHoltWinters,
  forecastQuerySchema,
  forecastReport,
  holtWintersForecast,
  imputeClosedDays,
  MIN_HISTORY_DAYS,
  mape,
  READ_DAYS,
  scoreAgainstSeasonalNaive,
  seasonalNaiveForecast,
  wape,
} from '#shared/domain/reports/forecast.ts';
import type { StatsReader, StatsRow } from '#shared/domain/reports/reports.ts';
import { admin, ivan, sari } from '#test/fixtures/identities.ts';
import { testConfig } from '#test/fixtures/test-config.ts';

/** Monday-first weekly pattern (sums to zero): busy Monday, quiet weekend. */
const WEEK = [6, 3, 2, 1, 0, -5, -7];
const exact = (t: number) => 20 + 0.25 * t + WEEK[t % 7]!;

/** mulberry32, so the noisy series is the same on every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe('additive Holt-Winters with a weekly season', () => {
  it('continues an exact linear trend plus weekly pattern exactly, with a zero-width interval', () => {
    // Arrange
    const series = Array.from({ length: 56 }, (_, t) => exact(t));

    // Act
    const forecast = holtWintersForecast(fitHoltWinters(series), 14);

    // Assert
    forecast.forEach((point, index) => {
      expect(point.expected).toBeCloseTo(exact(56 + index), 6);
      expect(point.high - point.low).toBeCloseTo(0, 6);
    });
  });

  it('keeps the weekly shape of a noisy series, inside its interval, and beats the seasonal-naive baseline', () => {
    // Arrange: 10 weeks of the pattern with uniform noise of ±3; the last two weeks held out.
    const rng = random(7);
    const full = Array.from({ length: 70 }, (_, t) => Math.max(0, Math.round(exact(t) + (rng() - 0.5) * 6)));
    const train = full.slice(0, 56);
    const held = full.slice(56);
    const truth = held.map((_, index) => exact(56 + index));

    // Act
    const forecast = holtWintersForecast(fitHoltWinters(train), 14);
    const expected = forecast.map((point) => point.expected);

    // Assert: Sunday (index 6) below Monday (index 0) each week; the noise-free truth inside the interval
    // on most days; no worse than the baseline on the held-out weeks.
    expect(expected[6]!).toBeLessThan(expected[0]! - 8);
    expect(expected[13]!).toBeLessThan(expected[7]! - 8);
    const inside = forecast.filter((point, index) => point.low <= truth[index]! && truth[index]! <= point.high).length;
    expect(inside).toBeGreaterThanOrEqual(11);
    expect(mape(held, expected)!).toBeLessThanOrEqual(mape(held, seasonalNaiveForecast(train, 14))!);
  });

  it('measures the baseline and the error as defined: the last week repeated, days without volume left out', () => {
    // Act
    const naive = seasonalNaiveForecast([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], 9);
    const error = mape([10, 0, 20], [12, 5, 10]);

    // Assert
    expect(naive).toEqual([8, 9, 10, 11, 12, 13, 14, 8, 9]);
    expect(error).toBeCloseTo((0.2 + 0.5) / 2, 10);
  });
});

const at = new Date('2026-03-02T02:00:00.000Z');
const history = { from: '2026-01-05', to: '2026-03-01' };

describe('the forecast answer', () => {
  it('says there is too little history, with no figures, below 3 weeks; forecasts from 3 weeks on', () => {
    // Arrange: data on the last 20, then the last 21 days of the 56
    const daily = (withData: number) =>
      Array.from({ length: 56 }, (_, index): Record<string, number> => (index >= 56 - withData ? { '*': 5, network: 5 } : {}));

    // Act
    const short = buildForecast({
      history,
      daily: daily(MIN_HISTORY_DAYS - 1),
      categories: ['network'],
      days: 7,
      kindOf: () => 'open',
      timeZone: 'Asia/Jakarta',
      now: at,
    });
    const enough = buildForecast({
      history,
      daily: daily(MIN_HISTORY_DAYS),
      categories: ['network'],
      days: 7,
      kindOf: () => 'open',
      timeZone: 'Asia/Jakarta',
      now: at,
    });

    // Assert
    expect(short).toMatchObject({ insufficientHistory: true, history: { daysWithData: 20, required: 21 } });
    expect(short).not.toHaveProperty('byCategory');
    expect(short).not.toHaveProperty('total');
    expect(enough.insufficientHistory).toBe(false);
    if (enough.insufficientHistory) return;
    expect(enough.total.days.map((day) => day.date)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
    ]);
    expect(enough.byCategory.network!.days.every((day) => day.expected === 5 && day.low === 5 && day.high === 5)).toBe(true);
  });

  it.each([
    [{}, 14],
    [{ days: '1' }, 1],
    [{ days: '60' }, 60],
  ])('takes days %j as %i', (query, days) => {
    expect(forecastQuerySchema.parse(query).days).toBe(days);
  });

  it.each([[{ days: '0' }], [{ days: '61' }], [{ days: '2.5' }], [{ days: 'x' }], [{ days: '7', colour: 'x' }], [{ team: '' }]])(
    'refuses %j',
    (query) => {
      expect(forecastQuerySchema.safeParse(query).success).toBe(false);
    },
  );

  it('reads one Query per day of the last 12 weeks (8 to fit, 4 to score), in the whole desk scope, per category and in total', async () => {
    // Arrange: every day has the exact pattern, as two categories of which network is 3/4
    const reads: string[] = [];
    const dayIndex = (date: string) => (Date.parse(date) - Date.parse('2026-01-05')) / 86_400_000;
    const stats: StatsReader = {
      async readStatsDay(date, scope): Promise<StatsRow[]> {
        reads.push(`${scope} ${date}`);
        const total = exact(dayIndex(date) + 56);
        return [
          { key: 'total', counters: { created: total } },
          { key: 'category#network', counters: { created: total * 0.75 } },
          { key: 'category#hardware', counters: { created: total * 0.25 } },
          { key: 'channel#web', counters: { created: total } },
        ];
      },
      openTicketCreationTimes: async () => [],
      getTicket: async () => undefined,
    };

    // Act
    const report = await forecastReport({ stats, config: testConfig, clock: { now: () => at } }, admin, { days: 3 });

    // Assert
    expect(reads).toHaveLength(READ_DAYS);
    expect(READ_DAYS).toBe(84);
    expect(new Set(reads).size).toBe(84);
    expect(reads.every((read) => read.startsWith('ALL '))).toBe(true);
    expect(reads[0]).toBe('ALL 2025-12-08');
    expect(reads[83]).toBe('ALL 2026-03-01');
    if (report.insufficientHistory) throw new Error('expected figures');
    // The fit's weeks hold public holidays (imputed from their neighbouring weeks): close to the truth, not exact.
    report.total.days.forEach((day, index) => {
      expect(day.kind).toBe('open');
      expect(Math.abs(day.expected - exact(112 + index))).toBeLessThan(2);
    });
    expect(report.total.accuracy).toMatchObject({ weeks: 4, openDays: expect.any(Number), beatsSeasonalNaive: expect.any(Boolean) });
    expect(Object.keys(report.byCategory)).toEqual(expect.arrayContaining(['hardware', 'network']));
  });

  it('reads a team’s own counters for its forecast, and refuses a lead another team’s (403 naming team)', async () => {
    // Arrange
    const scopes = new Set<string>();
    const stats: StatsReader = {
      async readStatsDay(_date, scope) {
        scopes.add(scope);
        return [];
      },
      openTicketCreationTimes: async () => [],
      getTicket: async () => undefined,
    };
    const deps = { stats, config: testConfig, clock: { now: () => at } };

    // Act
    const own = await forecastReport(deps, sari, { days: 7, team: 'sarpras' });

    // Assert
    expect([...scopes]).toEqual(['TEAM#sarpras']);
    expect(own).toMatchObject({ team: 'sarpras', insufficientHistory: true });
    await expect(forecastReport(deps, sari, { days: 7, team: 'it-support' })).rejects.toMatchObject({
      kind: 'forbidden',
      details: { errors: [{ path: 'team' }] },
    });
    await expect(forecastReport(deps, sari, { days: 7 })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(forecastReport(deps, admin, { days: 7, team: 'kantin' })).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('is for leads and admins only', async () => {
    const stats: StatsReader = { readStatsDay: async () => [], openTicketCreationTimes: async () => [], getTicket: async () => undefined };
    await expect(forecastReport({ stats, config: testConfig, clock: { now: () => at } }, ivan, { days: 3 })).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });
});

describe('the organisation calendar in the forecast', () => {
  // Monday 5 January 2026 onwards; Mon–Fri open; Tuesday 13 January closed (a holiday).
  const kindOf = dayKindOn({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], closed: new Set(['2026-01-13']) });
  const dates = (count: number) =>
    Array.from({ length: count }, (_, index) =>
      new Date(Date.parse('2026-01-05T00:00:00Z') + index * 86_400_000).toISOString().slice(0, 10),
    );

  it('tells working days, weekly closed days and closed working days apart', () => {
    expect(['2026-01-12', '2026-01-13', '2026-01-17', '2026-01-18'].map(kindOf)).toEqual(['open', 'closed', 'weekly', 'weekly']);
  });

  it('replaces a closed working day, for the fit, by the same weekday of the nearest open week', () => {
    const kinds: DayKind[] = ['open', 'closed', 'open', 'open', 'open', 'weekly', 'weekly', 'open', 'open'];
    expect(imputeClosedDays([10, 1, 10, 10, 10, 2, 2, 10, 12], kinds)).toEqual([10, 12, 10, 10, 10, 2, 2, 10, 12]);
    expect(imputeClosedDays([1], ['closed'])).toEqual([1]);
  });

  it('keeps a holiday from dragging its weekday down, and forecasts a holiday ahead as the closed days were', () => {
    // Arrange: 8 weeks of 20 on working days and 3 on weekends; the holiday Tuesday had 2
    const days = dates(56 + 14);
    const kinds = days.map(kindOf);
    const series = days.slice(0, 56).map((date, t) => (kinds[t] === 'weekly' ? 3 : date === '2026-01-13' ? 2 : 20));
    const shifted = days.slice(0, 56).map((_date, t) => (kinds[t] === 'weekly' ? 3 : t === 50 ? 2 : 20));
    const shiftedKinds = kinds.slice(0, 56).map((kind, t) => (t === 50 ? 'closed' : kind === 'closed' ? 'open' : kind));

    // Act: a holiday on the last Tuesday of the history (t = 50), and the next two weeks with one more ahead
    const model = fitCalendarModel(shifted, shiftedKinds);
    const plain = holtWintersForecast(fitHoltWinters(shifted), 7);
    const ahead = calendarForecast(model, ['open', 'closed', 'open', 'open', 'open', 'weekly', 'weekly']);

    // Assert: next Tuesday is still a 20 for the calendar model, not for the plain one; the closed Tuesday ahead is the closed days' 3
    expect(ahead[0]!.expected).toBeCloseTo(20, 6);
    expect(plain[1]!.expected).toBeLessThan(19);
    expect(ahead[1]!.expected).toBeCloseTo((16 * 3 + 2) / 17, 6);
    expect(ahead[5]!.expected).toBeCloseTo(3, 6);
    expect(fitCalendarModel(series, kinds.slice(0, 56)).fit.sse).toBeCloseTo(0, 6);
  });

  it('scores on open days only and says the forecast beats seasonal naive only when both MAPE and WAPE are lower', () => {
    // Arrange: 12 weeks of a noisy weekly pattern (the model smooths the noise that naive repeats), and a series
    // that repeats exactly every week (both are perfect: a tie is no win)
    const rng = random(3);
    const days = dates(84);
    const kinds = days.map(kindOf);
    const noisy = kinds.map((kind) => (kind === 'weekly' ? 2 : Math.round(30 * (0.8 + 0.4 * rng()))));
    const repeating = kinds.map((kind, t) => (kind === 'weekly' ? 2 : 20 + (t % 7)));

    // Act
    const scored = scoreAgainstSeasonalNaive(noisy, kinds, 4);
    const tie = scoreAgainstSeasonalNaive(repeating, kinds, 4);

    // Assert
    expect(scored).toMatchObject({ weeks: 4, openDays: 20, beatsSeasonalNaive: true });
    expect(scored.model.mape!).toBeLessThan(scored.seasonalNaive.mape!);
    expect(scored.model.wape!).toBeLessThan(scored.seasonalNaive.wape!);
    expect(tie.model.mape).toBeCloseTo(0, 6);
    expect(tie.seasonalNaive.mape).toBe(0);
    expect(tie.beatsSeasonalNaive).toBe(false);
  });

  it('weighs errors by volume in WAPE', () => {
    expect(wape([10, 0, 30], [12, 5, 30])).toBeCloseTo(7 / 40, 10);
    expect(wape([0, 0], [1, 1])).toBeNull();
  });
});
