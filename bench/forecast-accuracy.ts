// Accuracy of the volume forecast (shared/domain/reports/forecast.ts) on held-out weeks of a synthetic history made
// with the seed's own volume model (sandbox/seed.ts: weekday factors, a tenth of the volume on public holidays
// and closed dates, ±20% day-to-day, categories by the seed's weights), against the seasonal-naive baseline
// (each day as the same weekday a week earlier) measured on the same weeks, on the days the desk is open.
// Rolling origin: for each held-out week, the models see only the 8 weeks before it (as GET /reports/forecast
// does) and forecast its 7 days. Also: the plain Holt-Winters it replaced, and in how many weeks the API would
// have shown each series (it shows one only where it beat seasonal naive on the 4 weeks before).

import { CATEGORY_WEIGHTS, WEEKDAY_FACTOR } from '#sandbox/seed.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import holidayFile from '#shared/config/public-holidays.json' with { type: 'json' };
import {
  calendarForecast,
  dayKindOn,
  fitCalendarModel,
  fitHoltWinters,
  HISTORY_DAYS,
  holtWintersForecast,
  mape,
  SCORED_WEEKS,
  scoreAgainstSeasonalNaive,
  wape,
} from '#shared/domain/reports/forecast.ts';
import type { BusinessCalendar } from '#shared/domain/sla/business-calendar.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';

type Figures = { mape: number | null; wape: number | null };
/** Per series, on the held-out weeks' open days: the calendar model the API uses, seasonal naive, and the plain model it replaced. */
export type SeriesAccuracy = {
  series: string;
  meanPerOpenDay: number;
  model: Figures;
  seasonalNaive: Figures;
  plainHoltWinters: Figures;
  coverage: number;
  /** Held-out weeks in which the API would have shown the forecast (it beat seasonal naive on the 4 weeks before). */
  shownWeeks: number;
};
export type ForecastAccuracy = {
  weeks: number;
  heldOut: number;
  perDay: number;
  seed: number;
  firstDate: string;
  openDays: number;
  results: SeriesAccuracy[];
};

const DAY = 86_400_000;

/** mulberry32: the same history on every run. */
const generator = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const dateOf = (firstDate: string, index: number) =>
  new Date(Date.parse(`${firstDate}T00:00:00Z`) + index * DAY).toISOString().slice(0, 10);

/** Daily counts by category (and `*`, the total) for `weeks` weeks from `firstDate`, with the seed's model. */
export const syntheticHistory = (options: { firstDate: string; weeks: number; perDay: number; seed: number }): Record<string, number>[] => {
  const rng = generator(options.seed);
  const closed = new Set([...holidayFile.holidays.map((holiday) => holiday.date), ...loadConfig().closedDates.map((entry) => entry.date)]);
  const totalWeight = CATEGORY_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  return Array.from({ length: options.weeks * 7 }, (_, index) => {
    const date = dateOf(options.firstDate, index);
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
  const kindOf = dayKindOn(organisationCalendars(loadConfig())('business') as BusinessCalendar);
  const kinds = history.map((_, index) => kindOf(dateOf(options.firstDate, index)));
  const names = ['*', ...CATEGORY_WEIGHTS.map(([category]) => category)];
  const firstHeld = (options.weeks - options.heldOut) * 7;
  const results = names.map((name): SeriesAccuracy => {
    const series = history.map((counts) => counts[name] ?? 0);
    // The API's own scoring (rolling origin, 8 weeks before each week, open days only) over the held-out weeks.
    const scored = scoreAgainstSeasonalNaive(series, kinds, options.heldOut);
    const actual: number[] = [];
    const plain: number[] = [];
    let inside = 0;
    let shownWeeks = 0;
    for (let origin = firstHeld; origin < series.length; origin += 7) {
      const train = series.slice(origin - HISTORY_DAYS, origin);
      const trainKinds = kinds.slice(origin - HISTORY_DAYS, origin);
      const held = series.slice(origin, origin + 7);
      const ahead = calendarForecast(fitCalendarModel(train, trainKinds), kinds.slice(origin, origin + 7));
      const before = holtWintersForecast(fitHoltWinters(train), 7);
      if (scoreAgainstSeasonalNaive(series.slice(0, origin), kinds.slice(0, origin), SCORED_WEEKS).beatsSeasonalNaive) shownWeeks++;
      held.forEach((value, day) => {
        if (kinds[origin + day] !== 'open') return;
        actual.push(value);
        plain.push(before[day]!.expected);
        if (ahead[day]!.low <= value && value <= ahead[day]!.high) inside++;
      });
    }
    return {
      series: name === '*' ? 'all tickets' : name,
      meanPerOpenDay: actual.reduce((sum, value) => sum + value, 0) / actual.length,
      model: scored.model,
      seasonalNaive: scored.seasonalNaive,
      plainHoltWinters: { mape: mape(actual, plain), wape: wape(actual, plain) },
      coverage: inside / actual.length,
      shownWeeks,
    };
  });
  const openDays = kinds.slice(firstHeld).filter((kind) => kind === 'open').length;
  return { ...options, openDays, results };
};
