// Volume forecast: expected tickets per day and category for the next days, from an additive Holt-Winters
// model with weekly seasonality (level, trend, seven day-of-week offsets) that knows the organisation's
// calendar, fitted on the daily `created` counters of the last 8 weeks (one Query per day on STATS#<date>,
// nothing scans). With less than 3 weeks of history the answer says so and gives no figures: a weekly season
// needs several weeks to be told from noise.
//
// The calendar: a working weekday on which the desk is closed (a public holiday, a closed date) is not a
// Tuesday like the others. For the fit it is replaced by the same weekday of the nearest week it was open (a
// holiday no longer drags its weekday down for weeks), and ahead it is forecast as the closed days of the
// history were (their mean and spread). Weekends, closed every week, are the weekly season's own business.
// Each series is scored on the weeks before today, on the days the desk was open only (a near-empty Sunday
// forecast as 1 instead of 2 is no 50% error anyone cares about), against repeating last week (seasonal
// naive), by MAPE and WAPE; the answer says whether it beat it, and the dashboard shows only those that did.
//
//   level_t  = α (y_t − s_{t−7}) + (1 − α)(level_{t−1} + trend_{t−1})
//   trend_t  = β (level_t − level_{t−1}) + (1 − β) trend_{t−1}
//   s_t      = γ (y_t − level_t) + (1 − γ) s_{t−7}
//   ŷ_{t+h}  = level_t + h·trend_t + s_{t+h−7⌈h/7⌉}
//
// α, β, γ are chosen on a small grid by the one-step-ahead squared error over the history. The interval is
// ŷ ± z·σ_h with σ the one-step errors' standard deviation and σ_h = σ·√(1 + (h−1)α²) (the level's share of
// the error growth; trend and season add little over two months), 80% (z = 1.2816), floored at zero.

import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { PERMISSIONS } from '#shared/domain/access/permissions.ts';
import { forbidden, notFound } from '#shared/domain/errors.ts';
import { type BusinessCalendar, WEEKDAYS } from '#shared/domain/sla/business-calendar.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';
import * as z from '#shared/domain/zod.ts';
import { requireReportScope, type StatsReader } from './reports.ts';
import { ALL_SCOPE, localDate, teamScope } from './stats.ts';

export const SEASON = 7;
export const MAX_FORECAST_DAYS = 60;
/** The history a forecast is fitted on: the last 8 weeks before today. */
export const HISTORY_DAYS = 56;
/** Weeks before today on which each series is scored against seasonal naive (each fitted on the 8 weeks before it). */
export const SCORED_WEEKS = 4;
/** The least history (days from the first day with any ticket to yesterday) a forecast is made from. */
export const MIN_HISTORY_DAYS = 21;
/** z of the two-sided 80% normal interval. */
export const INTERVAL = { level: 0.8, z: 1.2816 } as const;

export const forecastQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    days: z._default(
      z.coerce
        .number()
        .check(
          z.int('must be a whole number of days'),
          z.gte(1, 'must be at least 1'),
          z.lte(MAX_FORECAST_DAYS, `must be at most ${MAX_FORECAST_DAYS}`),
        ),
      14,
    ),
    /** One team's volume (its categories'); the whole desk's without. */
    team: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  }),
);
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
  /** The one-step-ahead error of each point after the first season (`errors[i]` is point `period + i`'s). */
  errors: number[];
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
  return { alpha, beta, gamma, level, trend, season: rotated, sigma, sse, errors };
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

/** Weighted absolute percentage error: Σ|error| ÷ Σ actual (a busy day weighs more than a quiet one); null without volume. */
export const wape = (actual: readonly number[], predicted: readonly number[]): number | null => {
  const volume = actual.reduce((sum, value) => sum + value, 0);
  return volume > 0 ? actual.reduce((sum, value, index) => sum + Math.abs(value - predicted[index]!), 0) / volume : null;
};

// ── The calendar ──────────────────────────────────────────────────────────────────────────────────────────

/** `open`: a working day; `weekly`: a day the desk never works (the weekend); `closed`: a working weekday it is closed. */
export type DayKind = 'open' | 'weekly' | 'closed';

export const dayKindOn =
  (calendar: Pick<BusinessCalendar, 'days' | 'closed'>) =>
  (date: string): DayKind => {
    const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
    if (!calendar.days.includes(weekday)) return 'weekly';
    return calendar.closed.has(date) ? 'closed' : 'open';
  };

/** For the fit: each closed working day becomes the same weekday of the nearest week in which it was open. */
export const imputeClosedDays = (series: readonly number[], kinds: readonly DayKind[]): number[] =>
  series.map((value, t) => {
    if (kinds[t] !== 'closed') return value;
    for (let weeks = 1; weeks * SEASON < series.length; weeks++)
      for (const u of [t - weeks * SEASON, t + weeks * SEASON]) if (u >= 0 && u < series.length && kinds[u] === 'open') return series[u]!;
    return value;
  });

export type CalendarModel = {
  fit: HoltWintersFit;
  /** The one-step errors' spread on each kind of day: an open day's counts vary far more than a Sunday's. */
  sigma: Record<Exclude<DayKind, 'closed'>, number>;
  closed: { mean: number; sd: number };
};

const rms = (values: readonly number[]) =>
  values.length > 0 ? Math.sqrt(values.reduce((sum, value) => sum + value * value, 0) / values.length) : 0;

/** Holt-Winters on the imputed series, the error spread by kind of day, and the closed days' level (every day the desk did not work). */
export const fitCalendarModel = (series: readonly number[], kinds: readonly DayKind[]): CalendarModel => {
  const closedDays = series.filter((_, t) => kinds[t] !== 'open');
  const closedMean = closedDays.length > 0 ? mean(closedDays) : 0;
  const sd =
    closedDays.length > 1 ? Math.sqrt(closedDays.reduce((sum, value) => sum + (value - closedMean) ** 2, 0) / (closedDays.length - 1)) : 0;
  const fit = fitHoltWinters(imputeClosedDays(series, kinds));
  const errorsOn = (kind: DayKind) => fit.errors.filter((_, index) => kinds[SEASON + index] === kind);
  return { fit, sigma: { open: rms(errorsOn('open')), weekly: rms(errorsOn('weekly')) }, closed: { mean: closedMean, sd } };
};

/** The days ahead, by their kinds: Holt-Winters with the spread of that kind of day, except a working weekday the desk is closed. */
export const calendarForecast = (model: CalendarModel, ahead: readonly DayKind[], z = INTERVAL.z): ForecastPoint[] =>
  ahead.map((kind, index) => {
    if (kind === 'closed') {
      const spread = z * model.closed.sd;
      return { expected: model.closed.mean, low: Math.max(0, model.closed.mean - spread), high: model.closed.mean + spread };
    }
    return holtWintersForecast({ ...model.fit, sigma: model.sigma[kind] }, index + 1, z)[index]!;
  });

export type ErrorFigures = { mape: number | null; wape: number | null };
export type Accuracy = {
  /** Weeks scored (each forecast from the 8 weeks before it), and the open days among them. */
  weeks: number;
  openDays: number;
  model: ErrorFigures;
  seasonalNaive: ErrorFigures;
  /** Better on both MAPE and WAPE: only then is the forecast worth showing. */
  beatsSeasonalNaive: boolean;
};

/**
 * Scores the model against seasonal naive on the last `weeks` weeks of the series (rolling origin: each week
 * forecast from at most HISTORY_DAYS before it, at least two weeks), on open days only.
 */
export const scoreAgainstSeasonalNaive = (series: readonly number[], kinds: readonly DayKind[], weeks: number): Accuracy => {
  const actual: number[] = [];
  const model: number[] = [];
  const naive: number[] = [];
  let scored = 0;
  for (let week = weeks; week >= 1; week--) {
    const origin = series.length - week * SEASON;
    if (origin < 2 * SEASON) continue;
    const from = Math.max(0, origin - HISTORY_DAYS);
    const train = series.slice(from, origin);
    const predicted = calendarForecast(fitCalendarModel(train, kinds.slice(from, origin)), kinds.slice(origin, origin + SEASON));
    const baseline = seasonalNaiveForecast(train, SEASON);
    scored++;
    for (let day = 0; day < SEASON; day++)
      if (kinds[origin + day] === 'open') {
        actual.push(series[origin + day]!);
        model.push(predicted[day]!.expected);
        naive.push(baseline[day]!);
      }
  }
  const ours = { mape: mape(actual, model), wape: wape(actual, model) };
  const theirs = { mape: mape(actual, naive), wape: wape(actual, naive) };
  const better = (a: number | null, b: number | null) => a !== null && b !== null && a < b;
  return {
    weeks: scored,
    openDays: actual.length,
    model: ours,
    seasonalNaive: theirs,
    beatsSeasonalNaive: better(ours.mape, theirs.mape) && better(ours.wape, theirs.wape),
  };
};

// ── The report ────────────────────────────────────────────────────────────────────────────────────────────

export type ForecastDay = { date: string; kind: DayKind } & ForecastPoint;
export type ForecastSeries = { params: HoltWintersParams; days: ForecastDay[]; accuracy: Accuracy };

export type ForecastReport = {
  generatedAt: string;
  timeZone: string;
  days: number;
  team: string | null;
  /** The days read (the fit's 8 weeks and the scored weeks before them), and the least a forecast needs. */
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
const roundFigures = (figures: ErrorFigures): ErrorFigures => ({
  mape: figures.mape === null ? null : Math.round(figures.mape * 1000) / 1000,
  wape: figures.wape === null ? null : Math.round(figures.wape * 1000) / 1000,
});

const seriesOf = (series: number[], kinds: DayKind[], aheadDates: string[], aheadKinds: DayKind[]): ForecastSeries => {
  const fitFrom = Math.max(0, series.length - HISTORY_DAYS);
  const model = fitCalendarModel(series.slice(fitFrom), kinds.slice(fitFrom));
  const accuracy = scoreAgainstSeasonalNaive(series, kinds, SCORED_WEEKS);
  return {
    params: { alpha: model.fit.alpha, beta: model.fit.beta, gamma: model.fit.gamma },
    days: calendarForecast(model, aheadKinds).map((point, index) => ({
      date: aheadDates[index]!,
      kind: aheadKinds[index]!,
      expected: round(point.expected),
      low: round(point.low),
      high: round(point.high),
    })),
    accuracy: { ...accuracy, model: roundFigures(accuracy.model), seasonalNaive: roundFigures(accuracy.seasonalNaive) },
  };
};

/** The forecast from daily counts by category (`daily[i]` is the i-th day of the history, `*` the total). Pure. */
export const buildForecast = (input: {
  history: { from: string; to: string };
  daily: Record<string, number>[];
  categories: string[];
  days: number;
  /** The kind of each date on the organisation's calendar. */
  kindOf: (date: string) => DayKind;
  timeZone: string;
  team?: string | undefined;
  now: Date;
}): ForecastReport => {
  const { daily, days } = input;
  const firstWithData = daily.findIndex((counts) => Object.values(counts).some((value) => value > 0));
  const daysWithData = firstWithData < 0 ? 0 : daily.length - firstWithData;
  const common = {
    generatedAt: input.now.toISOString(),
    timeZone: input.timeZone,
    days,
    team: input.team ?? null,
    history: { ...input.history, daysWithData, required: MIN_HISTORY_DAYS },
    model:
      'additive Holt-Winters, weekly season (7 days), parameters by one-step squared error on a grid, fitted on the last 8 weeks with closed working days (holidays, closed dates) taken from the organisation calendar; scored on open days of the last 4 weeks against seasonal naive',
    interval: INTERVAL.level,
  };
  if (daysWithData < MIN_HISTORY_DAYS)
    return {
      ...common,
      insufficientHistory: true,
      note: `A forecast needs at least ${MIN_HISTORY_DAYS} days (3 weeks) of history; there are ${daysWithData}. No figures are given rather than invented ones.`,
    };
  const used = daily.slice(firstWithData);
  const kinds = used.map((_, index) => input.kindOf(addDays(input.history.from, firstWithData + index)));
  const aheadDates = Array.from({ length: days }, (_, index) => addDays(input.history.to, index + 1));
  const aheadKinds = aheadDates.map(input.kindOf);
  const seen = new Set(input.categories);
  for (const counts of used) for (const category of Object.keys(counts)) if (category !== '*') seen.add(category);
  const byCategory: Record<string, ForecastSeries> = {};
  for (const category of [...seen].sort())
    byCategory[category] = seriesOf(
      used.map((counts) => counts[category] ?? 0),
      kinds,
      aheadDates,
      aheadKinds,
    );
  return {
    ...common,
    insufficientHistory: false,
    total: seriesOf(
      used.map((counts) => counts['*'] ?? 0),
      kinds,
      aheadDates,
      aheadKinds,
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

/** Days read: the scored weeks and the 8 weeks each of them is forecast from. */
export const READ_DAYS = HISTORY_DAYS + SCORED_WEEKS * SEASON;

export const forecastReport = async (
  deps: { stats: StatsReader; config: HelpdeskConfig; clock: { now(): Date } },
  identity: Identity,
  query: ForecastQuery,
): Promise<ForecastReport> => {
  if (PERMISSIONS[identity.role]['report:read'] === 'none') throw forbidden('Forecasts are for team leads and administrators.');
  if (query.team !== undefined && !deps.config.teams.some((team) => team.id === query.team))
    throw notFound(`There is no team ${JSON.stringify(query.team)}.`);
  requireReportScope(identity, query.team);
  const now = deps.clock.now();
  const today = localDate(now.getTime(), deps.config.organisation.timeZone);
  // Whole days only: the history ends yesterday (today is still filling up).
  const from = addDays(today, -READ_DAYS);
  const to = addDays(today, -1);
  const dates = Array.from({ length: READ_DAYS }, (_, index) => addDays(from, index));
  const scope = query.team ? teamScope(query.team) : ALL_SCOPE;
  const daily: Record<string, number>[] = [];
  // A few Queries at a time (one per day, as the summary report reads).
  for (let start = 0; start < dates.length; start += 8)
    daily.push(
      ...(await Promise.all(dates.slice(start, start + 8).map(async (date) => countsOf(await deps.stats.readStatsDay(date, scope))))),
    );
  const business = organisationCalendars(deps.config)('business');
  return buildForecast({
    history: { from, to },
    daily,
    categories: deps.config.categories.filter((category) => !query.team || category.team === query.team).map((category) => category.id),
    days: query.days,
    kindOf: dayKindOn(business as BusinessCalendar),
    timeZone: deps.config.organisation.timeZone,
    team: query.team,
    now,
  });
};
