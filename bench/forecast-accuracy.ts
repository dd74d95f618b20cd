// Accuracy of the volume forecast (shared/domain/reports/forecast.ts) on held-out weeks of a synthetic history made
// with the seed's own volume model (sandbox/seed.ts: weekday factors, a tenth of the volume on public holidays
// and closed dates, ±20% day-to-day, categories by the seed's weights), against the seasonal-naive baseline
// (each day as the same weekday a week earlier) measured on the same weeks. Rolling origin: for each held-out
// week, both models see only the 8 weeks before it (as GET /reports/forecast does) and forecast its 7 days.

import { CATEGORY_WEIGHTS, WEEKDAY_FACTOR } from '#sandbox/seed.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import holidayFile from '#shared/config/public-holidays.json' with { type: 'json' };
import { fitHoltWinters, HISTORY_DAYS, holtWintersForecast, mape, seasonalNaiveForecast } from '#shared/domain/reports/forecast.ts';

/** MAPE over the held-out days with any volume; WAPE = Σ|error| ÷ Σ actual (volume-weighted); coverage of the 80% interval. */
export type SeriesAccuracy = {
  series: string;
  meanPerDay: number;
  holtWinters: { mape: number | null; wape: number };
  seasonalNaive: { mape: number | null; wape: number };
  coverage: number;
};
export type ForecastAccuracy = {
  weeks: number;
  heldOut: number;
  perDay: number;
  seed: number;
  firstDate: string;
  results: SeriesAccuracy[];
};

const DAY = 86_400_000;

const wape = (actual: number[], predicted: number[]) =>
  actual.reduce((sum, value, index) => sum + Math.abs(value - predicted[index]!), 0) /
  Math.max(
    1,
    actual.reduce((sum, value) => sum + value, 0),
  );

/** mulberry32: the same history on every run. */
const generator = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Daily counts by category (and `*`, the total) for `weeks` weeks from `firstDate`, with the seed's model. */
export const syntheticHistory = (options: { firstDate: string; weeks: number; perDay: number; seed: number }): Record<string, number>[] => {
  const rng = generator(options.seed);
  const closed = new Set([...holidayFile.holidays.map((holiday) => holiday.date), ...loadConfig().closedDates.map((entry) => entry.date)]);
  const totalWeight = CATEGORY_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  return Array.from({ length: options.weeks * 7 }, (_, index) => {
    const date = new Date(Date.parse(`${options.firstDate}T00:00:00Z`) + index * DAY).toISOString().slice(0, 10);
    const factor = WEEKDAY_FACTOR[new Date(`${date}T00:00:00Z`).getUTCDay()]! * (closed.has(date) ? 0.1 : 1);
    const count = Math.round(options.perDay * factor * (0.8 + 0.4 * rng()));
    const counts: Record<string, number> = { '*': count };
    for (let ticket = 0; ticket < count; ticket++) {
      let r = rng() * totalWeight;
      const category = CATEGORY_WEIGHTS.find(([, weight]) => (r -= weight) < 0)?.[0] ?? CATEGORY_WEIGHTS.at(-1)![0];
      counts[category] = (counts[category] ?? 0) + 1;
    }
    return counts;
  });
};

export const measureForecastAccuracy = (
  options = { firstDate: '2025-07-07', weeks: 32, heldOut: 16, perDay: 40, seed: 1 },
): ForecastAccuracy => {
  const history = syntheticHistory(options);
  const names = ['*', ...CATEGORY_WEIGHTS.map(([category]) => category)];
  const results = names.map((name): SeriesAccuracy => {
    const series = history.map((counts) => counts[name] ?? 0);
    const actual: number[] = [];
    const hw: number[] = [];
    const naive: number[] = [];
    let inside = 0;
    for (let week = options.weeks - options.heldOut; week < options.weeks; week++) {
      const train = series.slice(week * 7 - HISTORY_DAYS, week * 7);
      const held = series.slice(week * 7, week * 7 + 7);
      const forecast = holtWintersForecast(fitHoltWinters(train), 7);
      actual.push(...held);
      hw.push(...forecast.map((point) => point.expected));
      naive.push(...seasonalNaiveForecast(train, 7));
      inside += forecast.filter((point, index) => point.low <= held[index]! && held[index]! <= point.high).length;
    }
    return {
      series: name === '*' ? 'all tickets' : name,
      meanPerDay: actual.reduce((sum, value) => sum + value, 0) / actual.length,
      holtWinters: { mape: mape(actual, hw), wape: wape(actual, hw) },
      seasonalNaive: { mape: mape(actual, naive), wape: wape(actual, naive) },
      coverage: inside / actual.length,
    };
  });
  return { ...options, results };
};
