// public-holidays.json and public-holiday-dates.json are generated (npm run holidays) so that no Lambda
// carries date-holidays. These tests keep them honest without looking at the real clock:
// - it is exactly what the generator writes for the configured country in the year the file was made
//   (the year after its first year: the generator covers last year to six years ahead), so a hand edit, a
//   changed country, a shortened range or a date-holidays upgrade with other dates all fail here;
// - it covers the years the organisation plans for: every year the configuration has closed dates in
//   (cuti bersama is decreed a year ahead) and the test fixtures' year, and the year after each.
import { describe, expect, it } from 'vitest';
import { buildHolidayFile, holidayDatesOf, holidayYears } from '#shared/config/generate-public-holidays.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import holidayDates from '#shared/config/public-holiday-dates.json' with { type: 'json' };
import holidayFile from '#shared/config/public-holidays.json' with { type: 'json' };
import { T0 } from '#test/fixtures/clock.ts';

const config = loadConfig();
const [firstYear, lastYear] = holidayFile.years as [number, number];
/** The year `npm run holidays` was run in, as the file's range says; mid-year, a fixed instant. */
const generatedAt = new Date(Date.UTC(firstYear + 1, 6, 1));
const yearsIn = (prefix: string) => holidayFile.holidays.filter((holiday) => holiday.date.startsWith(prefix));

describe('public-holidays.json', () => {
  it('holds the holidays of the configured country', () => {
    expect(holidayFile.country).toBe(config.organisation.country);
  });

  it('spans the generator’s full range for the year it was made', () => {
    const years = holidayYears(generatedAt);
    expect([firstYear, lastYear]).toEqual([years[0], years.at(-1)]);
    expect(lastYear - firstYear).toBe(7);
  });

  it('is exactly what npm run holidays writes for the configured country in that year, and so are the dates the SLA clock reads', () => {
    expect(buildHolidayFile(config.organisation.country, generatedAt)).toEqual(holidayFile);
    expect(holidayDatesOf(holidayFile)).toEqual(holidayDates);
    expect(holidayDates.dates).toContain('2026-08-17');
  });

  it('covers every year the organisation plans for, and the year after it', () => {
    const planned = new Set([new Date(T0).getUTCFullYear(), ...config.closedDates.map((entry) => Number(entry.date.slice(0, 4)))]);
    for (const year of planned) {
      for (const needed of [year, year + 1]) {
        expect(needed).toBeGreaterThanOrEqual(firstYear);
        expect(needed).toBeLessThanOrEqual(lastYear);
        // Indonesia has at least a dozen public holidays a year; Independence Day is fixed.
        expect(yearsIn(`${needed}-`).length).toBeGreaterThanOrEqual(12);
        expect(yearsIn(`${needed}-08-17`)).toHaveLength(1);
      }
    }
  });

  it('is sorted by date and lists each holiday once', () => {
    const dates = holidayFile.holidays.map((holiday) => holiday.date);
    expect(dates).toEqual([...dates].sort());
    const keys = holidayFile.holidays.map((holiday) => `${holiday.date} ${holiday.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const holiday of holidayFile.holidays) expect(holiday.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
