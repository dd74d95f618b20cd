// `npm run holidays`: writes public-holidays.json, the country's public holidays from date-holidays for
// last year to six years ahead, and public-holiday-dates.json, their dates alone. Generated ahead of time so that
// no Lambda bundle carries date-holidays and its time-zone data (about 1.5 MB, 40 ms of cold start); a unit test
// checks both files are current. The SLA clock, in every function that files or checks a ticket, reads the dates
// (~2 KiB); the names (~6 KiB with them) are for the organisation screen.
import { writeFileSync } from 'node:fs';
import Holidays from 'date-holidays';
import { loadConfig } from './load-config.ts';

export const holidayYears = (now: Date): number[] => {
  const year = now.getUTCFullYear();
  return Array.from({ length: 8 }, (_, index) => year - 1 + index);
};

/** Public holidays (date-holidays type "public"), as local dates, sorted and unique. */
export const publicHolidays = (country: string, years: number[]) => {
  const holidays = new Holidays(country);
  const entries = years.flatMap((year) =>
    (holidays.getHolidays(year) || [])
      .filter((holiday) => holiday.type === 'public')
      .map((holiday) => ({ date: holiday.date.slice(0, 10), name: holiday.name })),
  );
  const unique = new Map(entries.map((entry) => [`${entry.date} ${entry.name}`, entry]));
  return [...unique.values()].sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name));
};

export const buildHolidayFile = (country: string, now: Date) => {
  const years = holidayYears(now);
  return { country, years: [years[0]!, years[years.length - 1]!], holidays: publicHolidays(country, years) };
};

/** What the SLA clock reads: the country, and the holidays' dates, each once. */
export const holidayDatesOf = (file: ReturnType<typeof buildHolidayFile>) => ({
  country: file.country,
  dates: [...new Set(file.holidays.map((holiday) => holiday.date))],
});

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = buildHolidayFile(loadConfig().organisation.country, new Date());
  writeFileSync(new URL('./public-holidays.json', import.meta.url), `${JSON.stringify(file, null, 2)}\n`);
  writeFileSync(new URL('./public-holiday-dates.json', import.meta.url), `${JSON.stringify(holidayDatesOf(file), null, 2)}\n`);
  console.log(`public-holidays.json: ${file.holidays.length} holidays in ${file.country}, ${file.years.join('–')}`);
}
