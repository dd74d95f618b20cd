// Volume forecast: expected tickets per day and category for the next days, from an additive Holt-Winters
// model with weekly seasonality (level, trend, seven day-of-week offsets), fitted on the daily `created`
// counters of the last 8 weeks (one Query per day on STATS#<date>, nothing scans). With less than 3 weeks of
// history the answer says so and gives no figures: a weekly season needs several weeks to be told from noise.
//
//   level_t  = α (y_t − s_{t−7}) + (1 − α)(level_{t−1} + trend_{t−1})
//   trend_t  = β (level_t − level_{t−1}) + (1 − β) trend_{t−1}
//   s_t      = γ (y_t − level_t) + (1 − γ) s_{t−7}
//   ŷ_{t+h}  = level_t + h·trend_t + s_{t+h−7⌈h/7⌉}
//
// α, β, γ are chosen on a small grid by the one-step-ahead squared error over the history. The interval is
// ŷ ± z·σ_h with σ the one-step errors' standard deviation and σ_h = σ·√(1 + (h−1)α²) (the level's share of
// the error growth; trend and season add little over two months), 80% (z = 1.2816), floored at zero.
import { z } from 'zod';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { callerOf, can } from '#shared/domain/access/ticket-access.ts';
import { DomainError } from '#shared/domain/errors.ts';
import type { StatsReader } from './reports.ts';
import { ALL_SCOPE, localDate } from './stats.ts';

export const SEASON = 7;
export const MAX_FORECAST_DAYS = 60;
/** The history read: the last 8 weeks before today. */
export const HISTORY_DAYS = 56;
/** The least history (days from the first day with any ticket to yesterday) a forecast is made from. */
export const MIN_HISTORY_DAYS = 21;
/** z of the two-sided 80% normal interval. */
export const INTERVAL = { level: 0.8, z: 1.2816 } as const;

export const forecastQuerySchema = z.strictObject({
  days: z.coerce
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(MAX_FORECAST_DAYS, `must be at most ${MAX_FORECAST_DAYS}`)
    .default(14),
});
export type ForecastQuery = z.infer<typeof forecastQuerySchema>;

export type HoltWintersParams = { alpha: number; beta: number; gamma: number };
export type HoltWintersFit = HoltWintersParams & {
  level: number;
  trend: number;
  /** The seasonal offsets, indexed by position in the season of the day after the series' last day (0..6). */
  season: number[];
  /** Standard deviation of the one-step-ahead errors over the history (after the first season). */
  sigma: number;
  sse: number;
};

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Runs the recursions with fixed parameters; the state after the last observation and the one-step errors. */
export const runHoltWinters = (series: readonly number[], params: HoltWintersParams, period = SEASON): HoltWintersFit => {
  if (series.length < 2 * period) throw new Error(`Holt-Winters needs at least two seasons (${2 * period} points)`);
  const { alpha, beta, gamma } = params;
  // Initial state from the first two seasons: trend the mean change per day between them; the first season's
  // mean stands for its middle day, so the level at its last day is that mean plus half a season of trend,
  // and each day's seasonal offset is its deviation from the trend line through that mean. A series that
  // is exactly linear plus a weekly pattern is then fitted without error from the start.
  const first = series.slice(0, period);
  const second = series.slice(period, 2 * period);
  let trend = (mean(second) - mean(first)) / period;
  const middle = (period - 1) / 2;
  let level = mean(first) + trend * middle;
  const season = first.map((value, index) => value - (mean(first) + trend * (index - middle)));
  let sse = 0;
  const errors: number[] = [];
  for (let t = period; t < series.length; t++) {
    const y = series[t]!;
    const slot = t % period;
    const predicted = level + trend + season[slot]!;
    const error = y - predicted;
    errors.push(error);
    sse += error * error;
    const previousLevel = level;
    level = alpha * (y - season[slot]!) + (1 - alpha) * (level + trend);
    trend = beta * (level - previousLevel) + (1 - beta) * trend;
    season[slot] = gamma * (y - level) + (1 - gamma) * season[slot]!;
  }
  // Re-index the season so that position 0 is the day after the last observation.
  const next = series.length % period;
  const rotated = Array.from({ length: period }, (_, index) => season[(next + index) % period]!);
  const sigma = Math.sqrt(errors.reduce((sum, error) => sum + error * error, 0) / Math.max(1, errors.length));
  return { alpha, beta, gamma, level, trend, season: rotated, sigma, sse };
};

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5];
const BETAS = [0, 0.02, 0.05, 0.1];
const GAMMAS = [0.05, 0.1, 0.2, 0.3, 0.5];

/** Fits by grid search on the one-step squared error (100 runs over at most a few hundred points). */
export const fitHoltWinters = (series: readonly number[], period = SEASON): HoltWintersFit => {
  let best: HoltWintersFit | undefined;
  for (const alpha of ALPHAS)
    for (const beta of BETAS)
      for (const gamma of GAMMAS) {
        const fit = runHoltWinters(series, { alpha, beta, gamma }, period);
        if (!best || fit.sse < best.sse) best = fit;
      }
  return best!;
};

export type ForecastPoint = { expected: number; low: number; high: number };

/** The next `horizon` days from a fit: expected value and interval, floored at zero. */
export const holtWintersForecast = (fit: HoltWintersFit, horizon: number, z = INTERVAL.z): ForecastPoint[] =>
  Array.from({ length: horizon }, (_, index) => {
    const h = index + 1;
    const expected = Math.max(0, fit.level + h * fit.trend + fit.season[index % fit.season.length]!);
    const spread = z * fit.sigma * Math.sqrt(1 + (h - 1) * fit.alpha * fit.alpha);
    return { expected, low: Math.max(0, expected - spread), high: expected + spread };
  });

/** The baseline: each day as the same weekday of the last week observed. */
export const seasonalNaiveForecast = (series: readonly number[], horizon: number, period = SEASON): number[] =>
  Array.from({ length: horizon }, (_, index) => series[series.length - period + (index % period)]!);

/** Mean absolute percentage error over the days with any actual volume (a day with none has no percentage). */
export const mape = (actual: readonly number[], predicted: readonly number[]): number | null => {
  const terms = actual.flatMap((value, index) => (value > 0 ? [Math.abs(value - predicted[index]!) / value] : []));
  return terms.length > 0 ? mean(terms) : null;
};

// ── The report ────────────────────────────────────────────────────────────────────────────────────────────

export type ForecastDay = { date: string } & ForecastPoint;
export type ForecastSeries = { params: HoltWintersParams; days: ForecastDay[] };

export type ForecastReport = {
  generatedAt: string;
  timeZone: string;
  days: number;
  history: { from: string; to: string; daysWithData: number; required: number };
  model: string;
  interval: number;
} & (
  | { insufficientHistory: true; note: string }
  | { insufficientHistory: false; total: ForecastSeries; byCategory: Record<string, ForecastSeries> }
);

const DAY = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** Rounded for the answer: a tenth of a ticket is as precise as a daily volume is worth. */
const round = (value: number) => Math.round(value * 10) / 10;

const seriesOf = (series: number[], firstDate: string, horizon: number): ForecastSeries => {
  const fit = fitHoltWinters(series);
  return {
    params: { alpha: fit.alpha, beta: fit.beta, gamma: fit.gamma },
    days: holtWintersForecast(fit, horizon).map((point, index) => ({
      date: addDays(firstDate, index),
      expected: round(point.expected),
      low: round(point.low),
      high: round(point.high),
    })),
  };
};

/** The forecast from daily counts by category (`daily[i]` is the i-th day of the history). Pure. */
export const buildForecast = (input: {
  history: { from: string; to: string };
  daily: Record<string, number>[];
  categories: string[];
  days: number;
  timeZone: string;
  now: Date;
}): ForecastReport => {
  const { daily, days } = input;
  const firstWithData = daily.findIndex((counts) => Object.values(counts).some((value) => value > 0));
  const daysWithData = firstWithData < 0 ? 0 : daily.length - firstWithData;
  const common = {
    generatedAt: input.now.toISOString(),
    timeZone: input.timeZone,
    days,
    history: { ...input.history, daysWithData, required: MIN_HISTORY_DAYS },
    model: 'additive Holt-Winters, weekly season (7 days), parameters by one-step squared error on a grid',
    interval: INTERVAL.level,
  };
  if (daysWithData < MIN_HISTORY_DAYS)
    return {
      ...common,
      insufficientHistory: true,
      note: `A forecast needs at least ${MIN_HISTORY_DAYS} days (3 weeks) of history; there are ${daysWithData}. No figures are given rather than invented ones.`,
    };
  const used = daily.slice(firstWithData);
  const firstDate = addDays(input.history.to, 1);
  const seen = new Set(input.categories);
  for (const counts of used) for (const category of Object.keys(counts)) if (category !== '*') seen.add(category);
  const byCategory: Record<string, ForecastSeries> = {};
  for (const category of [...seen].sort())
    byCategory[category] = seriesOf(
      used.map((counts) => counts[category] ?? 0),
      firstDate,
      days,
    );
  return {
    ...common,
    insufficientHistory: false,
    total: seriesOf(
      used.map((counts) => counts['*'] ?? 0),
      firstDate,
      days,
    ),
    byCategory,
  };
};

/** Daily counts of new tickets from one day's statistics rows: `*` the day's total, else by category. */
const countsOf = (rows: { key: string; counters: Record<string, number> }[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const created = row.counters.created ?? 0;
    if (row.key === 'total') counts['*'] = created;
    else if (row.key.startsWith('category#') && created > 0) counts[row.key.slice('category#'.length)] = created;
  }
  return counts;
};

export const forecastReport = async (
  deps: { stats: StatsReader; config: HelpdeskConfig; clock: { now(): Date } },
  identity: Identity,
  query: ForecastQuery,
): Promise<ForecastReport> => {
  if (!can(callerOf(identity), 'report:read')) throw new DomainError('forbidden', 'Forecasts are for team leads and administrators.');
  const now = deps.clock.now();
  const today = localDate(now.getTime(), deps.config.organisation.timeZone);
  // Whole days only: the history ends yesterday (today is still filling up).
  const from = addDays(today, -HISTORY_DAYS);
  const to = addDays(today, -1);
  const dates = Array.from({ length: HISTORY_DAYS }, (_, index) => addDays(from, index));
  const daily: Record<string, number>[] = [];
  // A few Queries at a time (one per day, as the summary report reads).
  for (let start = 0; start < dates.length; start += 8)
    daily.push(
      ...(await Promise.all(dates.slice(start, start + 8).map(async (date) => countsOf(await deps.stats.readStatsDay(date, ALL_SCOPE))))),
    );
  return buildForecast({
    history: { from, to },
    daily,
    categories: deps.config.categories.map((category) => category.id),
    days: query.days,
    timeZone: deps.config.organisation.timeZone,
    now,
  });
};
