// Properties of business-time arithmetic over random instants (2025–2031), durations (up to ten business
// days) and zones (Indonesia's three, and two with daylight saving), on the default hours, closed on
// Indonesia's public holidays and the bundled configuration's closed dates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/config/load-config.ts';
import holidayFile from '#shared/config/public-holidays.json' with { type: 'json' };
import { addBusinessTime, businessTimeBetween, type Calendar, zonedInstant } from '#shared/domain/sla/business-calendar.ts';
import { BUSINESS_DAY, HOUR, INDONESIAN_OFFSETS, type IndonesianZone, MINUTE, officeHours, wallClock } from '#test/fixtures/sla.ts';

const RUNS = { numRuns: 200 };
const ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'Europe/Berlin', 'America/New_York'] as const;
const CLOSED = [...holidayFile.holidays.map((holiday) => holiday.date), ...loadConfig().closedDates.map((entry) => entry.date)];
const calendars = new Map(ZONES.map((zone) => [zone, officeHours(zone, CLOSED)]));
const calendarIn = (zone: (typeof ZONES)[number]) => calendars.get(zone)!;
const ALWAYS: Calendar = { kind: '24x7' };

const FIRST = Date.UTC(2025, 0, 1);
const LAST = Date.UTC(2031, 11, 31, 23, 59, 59, 999);
const zone = fc.constantFrom(...ZONES);

/** Any millisecond, or a whole minute near opening or closing time (where the edge cases live). */
const instantIn = (timeZone: string) =>
  fc.oneof(
    fc.integer({ min: FIRST, max: LAST }),
    fc
      .record({
        day: fc.integer({ min: 0, max: Math.floor((LAST - FIRST) / 86_400_000) - 1 }),
        minute: fc.constantFrom(0, 7 * 60 + 59, 8 * 60, 8 * 60 + 1, 12 * 60, 15 * 60 + 59, 16 * 60, 16 * 60 + 1, 23 * 60 + 59),
      })
      .map(({ day, minute }) => {
        const date = new Date(FIRST + day * 86_400_000);
        return zonedInstant({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }, minute, timeZone);
      }),
  );
const zoneAndInstant = zone.chain((z) => instantIn(z).map((instant) => ({ zone: z, from: new Date(instant) })));

const MAX = 10 * BUSINESS_DAY;
/** Any duration up to ten business days, or a whole number of half hours (which lands on closing time). */
const duration = fc.oneof(
  fc.integer({ min: 0, max: MAX }),
  fc.integer({ min: 0, max: MAX / (30 * MINUTE) }).map((n) => n * 30 * MINUTE),
);

describe('business time: properties', () => {
  it('businessTimeBetween(from, addBusinessTime(from, d)) is d', () => {
    fc.assert(
      fc.property(zoneAndInstant, duration, ({ zone, from }, d) => {
        const calendar = calendarIn(zone);
        expect(businessTimeBetween(calendar, from, addBusinessTime(calendar, from, d))).toBe(d);
      }),
      RUNS,
    );
  });

  it('addBusinessTime is monotonic in the duration (strictly)', () => {
    fc.assert(
      fc.property(zoneAndInstant, duration, duration, ({ zone, from }, a, b) => {
        const calendar = calendarIn(zone);
        const [small, large] = a <= b ? [a, b] : [b, a];
        const early = addBusinessTime(calendar, from, small).getTime();
        const late = addBusinessTime(calendar, from, large).getTime();
        if (small === large) expect(late).toBe(early);
        else expect(late).toBeGreaterThan(early);
        expect(early).toBeGreaterThanOrEqual(from.getTime());
      }),
      RUNS,
    );
  });

  it('the result falls within opening hours on an open day (closing time included)', () => {
    fc.assert(
      fc.property(zoneAndInstant, duration, ({ zone, from }, d) => {
        const wall = wallClock(addBusinessTime(calendarIn(zone), from, d), zone);
        expect(['mon', 'tue', 'wed', 'thu', 'fri']).toContain(wall.weekday);
        expect(CLOSED).not.toContain(wall.date);
        expect(wall.msOfDay).toBeGreaterThanOrEqual(8 * HOUR);
        expect(wall.msOfDay).toBeLessThanOrEqual(16 * HOUR);
      }),
      RUNS,
    );
  });

  // d2 > 0: addBusinessTime(closing time, 0) is the next opening, not closing time itself, so a split whose
  // second part is empty can give the next morning where d1 alone gives the evening (the same business instant).
  it('is additive: adding d1 then d2 (> 0) is adding d1 + d2', () => {
    fc.assert(
      fc.property(zoneAndInstant, duration, duration, ({ zone, from }, a, b) => {
        const calendar = calendarIn(zone);
        const d1 = Math.min(a, MAX - 1);
        const d2 = Math.max(1, Math.min(b, MAX - d1));
        const split = addBusinessTime(calendar, addBusinessTime(calendar, from, d1), d2);
        expect(split.toISOString()).toBe(addBusinessTime(calendar, from, d1 + d2).toISOString());
      }),
      RUNS,
    );
  });

  it('24×7 is plain addition and plain subtraction', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST, max: LAST }), fc.integer({ min: 0, max: 10 * 86_400_000 }), (from, d) => {
        expect(addBusinessTime(ALWAYS, new Date(from), d).getTime()).toBe(from + d);
        expect(businessTimeBetween(ALWAYS, new Date(from), new Date(from + d))).toBe(d);
      }),
      RUNS,
    );
  });

  it('in WIB, WITA and WIT, businessTimeBetween agrees with a fixed-offset count', () => {
    const DAY = 86_400_000;
    /** Business time worked out on local time as UTC + a fixed offset, day by day. */
    const expected = (zone: IndonesianZone, from: number, to: number) => {
      const offset = Number(INDONESIAN_OFFSETS[zone].slice(1, 3)) * HOUR;
      const [start, end] = [from + offset, to + offset];
      let total = 0;
      for (let day = Math.floor(start / DAY) * DAY; day < end; day += DAY) {
        const date = new Date(day);
        const weekday = date.getUTCDay();
        if (weekday === 0 || weekday === 6 || CLOSED.includes(date.toISOString().slice(0, 10))) continue;
        total += Math.max(0, Math.min(end, day + 16 * HOUR) - Math.max(start, day + 8 * HOUR));
      }
      return total;
    };
    fc.assert(
      fc.property(
        fc.constantFrom<IndonesianZone>('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'),
        fc.integer({ min: FIRST, max: LAST }),
        fc.integer({ min: 0, max: 14 * DAY }),
        (zone, from, span) => {
          expect(businessTimeBetween(calendarIn(zone), new Date(from), new Date(from + span))).toBe(expected(zone, from, from + span));
        },
      ),
      RUNS,
    );
  });
});
