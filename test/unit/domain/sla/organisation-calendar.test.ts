import { describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/config/load-config.ts';
import holidayFile from '#shared/config/public-holidays.json' with { type: 'json' };
import { addBusinessTime, type BusinessCalendar } from '#shared/domain/sla/business-calendar.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';
import { configInZone, HOUR, wallClock, wib, wibIso, wit, wita } from '#test/fixtures/sla.ts';
import { testConfig, testConfigWith } from '#test/fixtures/test-config.ts';

const businessOf = (config = testConfig) => organisationCalendars(config)('business') as BusinessCalendar;

describe('organisationCalendars', () => {
  it('builds the business calendar from the configured zone and hours', () => {
    expect(businessOf()).toMatchObject({
      kind: 'business',
      timeZone: 'Asia/Jakarta',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '08:00',
      end: '16:00',
    });
  });

  it('closes on every public holiday in public-holidays.json and every closed date of the configuration', () => {
    const config = loadConfig();
    expect(config.closedDates.length).toBeGreaterThan(0);
    const { closed } = businessOf(config);
    for (const holiday of holidayFile.holidays) expect(closed.has(holiday.date)).toBe(true);
    for (const entry of config.closedDates) expect(closed.has(entry.date)).toBe(true);
    expect(closed.size).toBe(new Set([...holidayFile.holidays.map((h) => h.date), ...config.closedDates.map((c) => c.date)]).size);
  });

  it('gives a round-the-clock calendar for 24×7 policies', () => {
    expect(organisationCalendars(testConfig)('24x7')).toEqual({ kind: '24x7' });
  });

  it('builds the calendars once per configuration', () => {
    expect(organisationCalendars(testConfig)).toBe(organisationCalendars(testConfig));
  });

  it('refuses a configuration whose country is not the holiday file’s, pointing at npm run holidays', () => {
    const malaysia = testConfigWith({ organisation: { ...testConfig.organisation, country: 'MY' } });
    expect(() => organisationCalendars(malaysia)).toThrow(
      /public-holiday-dates\.json holds ID.*organisation\.country is MY.*npm run holidays/,
    );
  });

  it('skips a public holiday: Friday 14 August 2026 15:55 + 1 h is Tuesday 08:55 (Monday is the 17th)', () => {
    expect(addBusinessTime(businessOf(), wib('2026-08-14 15:55'), HOUR).toISOString()).toBe(wibIso('2026-08-18 08:55'));
  });

  it('skips a closed date from the configuration (cuti bersama), only when it is configured', () => {
    const leave = testConfigWith({ closedDates: [{ date: '2026-12-24', name: 'Cuti bersama Natal' }] });
    // Wednesday 23 December 15:55 + 1 h: the 24th closed, the 25th Christmas, then the weekend.
    expect(addBusinessTime(businessOf(leave), wib('2026-12-23 15:55'), HOUR).toISOString()).toBe(wibIso('2026-12-28 08:55'));
    expect(addBusinessTime(businessOf(), wib('2026-12-23 15:55'), HOUR).toISOString()).toBe(wibIso('2026-12-24 08:55'));
  });

  it('skips the bundled school’s whole year-end break into January', () => {
    // Cuti bersama on the 24th, Christmas, the semester break 28–31 December, New Year's Day, the weekend.
    expect(addBusinessTime(businessOf(loadConfig()), wib('2026-12-23 15:55'), HOUR).toISOString()).toBe(wibIso('2027-01-04 08:55'));
  });

  it.each([
    ['Asia/Makassar', wita, '2026-03-09T00:55:00.000Z'],
    ['Asia/Jayapura', wit, '2026-03-08T23:55:00.000Z'],
  ] as const)('uses the configured zone %s', (zone, at, expected) => {
    const due = addBusinessTime(businessOf(configInZone(zone)), at('2026-03-06 15:55'), HOUR);
    expect(due.toISOString()).toBe(expected);
    expect(wallClock(due, zone).text).toBe('2026-03-09 08:55');
  });

  it('uses the configured days and hours', () => {
    const saturdays = testConfigWith({ businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '07:00', end: '15:00' } });
    // Friday 14:30 + 1 h: half an hour on Friday, half an hour from Saturday 07:00.
    expect(addBusinessTime(businessOf(saturdays), wib('2026-03-06 14:30'), HOUR).toISOString()).toBe(wibIso('2026-03-07 07:30'));
  });
});
