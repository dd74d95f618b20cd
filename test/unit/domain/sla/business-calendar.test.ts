import { describe, expect, it } from 'vitest';
import holidayFile from '#shared/config/public-holidays.json' with { type: 'json' };
import {
  addBusinessTime,
  type BusinessCalendar,
  businessDayLength,
  businessTimeBetween,
  type Calendar,
  zonedInstant,
} from '#shared/domain/sla/business-calendar.ts';
import { HOUR, type IndonesianZone, MINUTE, officeHours, wallClock, wib, wit, wita } from '#test/fixtures/sla.ts';

const ID_HOLIDAYS = holidayFile.holidays.map((holiday) => holiday.date);
/** Jakarta's default hours, closed on Indonesia's public holidays. */
const jakarta = officeHours('Asia/Jakarta', ID_HOLIDAYS);
const ALWAYS: Calendar = { kind: '24x7' };

const iso = (date: Date) => date.toISOString();

describe('addBusinessTime on Mon–Fri 08:00–16:00 in Jakarta (WIB, UTC+7)', () => {
  it('takes a 1-business-hour target from Friday 15:55 to Monday 08:55', () => {
    const due = addBusinessTime(jakarta, wib('2026-03-06 15:55'), HOUR);
    expect(iso(due)).toBe('2026-03-09T01:55:00.000Z');
    expect(wallClock(due, 'Asia/Jakarta')).toMatchObject({ weekday: 'mon', text: '2026-03-09 08:55' });
  });

  it('stays within the day when the time fits', () => {
    expect(addBusinessTime(jakarta, wib('2026-03-02 09:00'), 2 * HOUR)).toEqual(wib('2026-03-02 11:00'));
  });

  it('ends exactly at closing time when the time fills the day, not the next morning', () => {
    expect(addBusinessTime(jakarta, wib('2026-03-02 15:00'), HOUR)).toEqual(wib('2026-03-02 16:00'));
    expect(addBusinessTime(jakarta, wib('2026-03-02 08:00'), 8 * HOUR)).toEqual(wib('2026-03-02 16:00'));
  });

  it('starts counting at opening time when it starts before opening', () => {
    expect(addBusinessTime(jakarta, wib('2026-03-02 06:00'), 30 * MINUTE)).toEqual(wib('2026-03-02 08:30'));
  });

  it('starts counting on Monday when it starts at the weekend or after closing on Friday', () => {
    expect(addBusinessTime(jakarta, wib('2026-03-07 10:00'), HOUR)).toEqual(wib('2026-03-09 09:00'));
    expect(addBusinessTime(jakarta, wib('2026-03-06 16:00'), HOUR)).toEqual(wib('2026-03-09 09:00'));
  });

  it('adds nothing inside opening hours and moves to the next opening outside them', () => {
    expect(addBusinessTime(jakarta, wib('2026-03-02 10:17'), 0)).toEqual(wib('2026-03-02 10:17'));
    expect(addBusinessTime(jakarta, wib('2026-03-07 10:00'), 0)).toEqual(wib('2026-03-09 08:00'));
  });

  it('carries several business days over weekends', () => {
    // Monday 09:00 + 3 business days (medium resolution) = Thursday 09:00; + 5 = next Monday 09:00.
    expect(addBusinessTime(jakarta, wib('2026-03-02 09:00'), 24 * HOUR)).toEqual(wib('2026-03-05 09:00'));
    expect(addBusinessTime(jakarta, wib('2026-03-02 09:00'), 40 * HOUR)).toEqual(wib('2026-03-09 09:00'));
  });

  it('refuses a negative duration', () => {
    expect(() => addBusinessTime(jakarta, wib('2026-03-02 09:00'), -1)).toThrow(RangeError);
  });

  it('gives up with a RangeError on a calendar that never opens', () => {
    const never: BusinessCalendar = { ...jakarta, days: [] };
    expect(() => addBusinessTime(never, wib('2026-03-02 09:00'), HOUR)).toThrow(RangeError);
  });
});

describe('closed days: public holidays and the organisation’s own dates', () => {
  it('skips an Indonesian public holiday (17 August, Independence Day)', () => {
    expect(holidayFile.holidays).toContainEqual({ date: '2026-08-17', name: 'Hari Ulang Tahun Kemerdekaan Republik Indonesia' });
    // Friday 14 August 15:55 + 1 h: Monday the 17th is closed, so Tuesday 08:55.
    expect(addBusinessTime(jakarta, wib('2026-08-14 15:55'), HOUR)).toEqual(wib('2026-08-18 08:55'));
    // Without the holiday it would have been Monday.
    expect(addBusinessTime(officeHours('Asia/Jakarta'), wib('2026-08-14 15:55'), HOUR)).toEqual(wib('2026-08-17 08:55'));
  });

  it('skips consecutive holidays and the weekend after them (Nyepi and Idul Fitri 2026)', () => {
    expect(ID_HOLIDAYS).toEqual(expect.arrayContaining(['2026-03-19', '2026-03-20']));
    // Wednesday 18 March 15:00: 1 h on Wednesday, Thursday and Friday closed, weekend, 7 h on Monday.
    expect(addBusinessTime(jakarta, wib('2026-03-18 15:00'), 8 * HOUR)).toEqual(wib('2026-03-23 15:00'));
    expect(businessTimeBetween(jakarta, wib('2026-03-18 15:00'), wib('2026-03-23 15:00'))).toBe(8 * HOUR);
  });

  it('skips a closed date of the organisation (cuti bersama) as well as the holiday after it', () => {
    const withLeave = officeHours('Asia/Jakarta', [...ID_HOLIDAYS, '2026-12-24']);
    // Wednesday 23 December 15:55 + 1 h: the 24th is cuti bersama, the 25th Christmas, then the weekend.
    expect(addBusinessTime(withLeave, wib('2026-12-23 15:55'), HOUR)).toEqual(wib('2026-12-28 08:55'));
    expect(addBusinessTime(jakarta, wib('2026-12-23 15:55'), HOUR)).toEqual(wib('2026-12-24 08:55'));
  });
});

describe('the zone’s offset is honoured', () => {
  it.each<[IndonesianZone, (wall: string) => Date, string]>([
    ['Asia/Jakarta', wib, '2026-03-09T01:55:00.000Z'],
    ['Asia/Makassar', wita, '2026-03-09T00:55:00.000Z'],
    // WIT is UTC+9: Monday 08:55 there is still Sunday in UTC.
    ['Asia/Jayapura', wit, '2026-03-08T23:55:00.000Z'],
  ])('%s: Friday 15:55 local + 1 business hour is Monday 08:55 local', (zone, at, expected) => {
    const due = addBusinessTime(officeHours(zone, ID_HOLIDAYS), at('2026-03-06 15:55'), HOUR);
    expect(iso(due)).toBe(expected);
    expect(wallClock(due, zone).text).toBe('2026-03-09 08:55');
  });

  it('reads the same instant as a different local time in each zone', () => {
    // 07:55 UTC on Friday is 14:55 WIB, 15:55 WITA and 16:55 WIT (already closed).
    const from = new Date('2026-03-06T07:55:00.000Z');
    expect(iso(addBusinessTime(officeHours('Asia/Jakarta'), from, HOUR))).toBe('2026-03-06T08:55:00.000Z');
    expect(iso(addBusinessTime(officeHours('Asia/Makassar'), from, HOUR))).toBe('2026-03-09T00:55:00.000Z');
    expect(iso(addBusinessTime(officeHours('Asia/Jayapura'), from, HOUR))).toBe('2026-03-09T00:00:00.000Z');
  });

  it('puts 08:00 local at 01:00, 00:00 and 23:00 (the day before) UTC in WIB, WITA and WIT', () => {
    const monday = { year: 2026, month: 3, day: 9 };
    expect(zonedInstant(monday, 8 * 60, 'Asia/Jakarta')).toBe(Date.parse('2026-03-09T01:00:00Z'));
    expect(zonedInstant(monday, 8 * 60, 'Asia/Makassar')).toBe(Date.parse('2026-03-09T00:00:00Z'));
    expect(zonedInstant(monday, 8 * 60, 'Asia/Jayapura')).toBe(Date.parse('2026-03-08T23:00:00Z'));
  });
});

describe('zones with daylight saving', () => {
  it('New York: a weekend that springs forward still gives Monday 09:00 local (now EDT)', () => {
    // Friday 6 March 15:00 EST = 20:00 UTC; clocks go forward on Sunday the 8th.
    const due = addBusinessTime(officeHours('America/New_York'), new Date('2026-03-06T20:00:00Z'), 2 * HOUR);
    expect(iso(due)).toBe('2026-03-09T13:00:00.000Z');
  });

  it('New York: a weekend that falls back gives Monday 09:00 local (now EST)', () => {
    const due = addBusinessTime(officeHours('America/New_York'), new Date('2026-10-30T19:00:00Z'), 2 * HOUR);
    expect(iso(due)).toBe('2026-11-02T14:00:00.000Z');
  });

  it('Berlin: a weekend that springs forward gives Monday 09:00 CEST', () => {
    const due = addBusinessTime(officeHours('Europe/Berlin'), new Date('2026-03-27T14:00:00Z'), 2 * HOUR);
    expect(iso(due)).toBe('2026-03-30T07:00:00.000Z');
  });

  it('a business day stays 8 hours long on the days around a change', () => {
    const ny = officeHours('America/New_York');
    expect(businessTimeBetween(ny, new Date('2026-03-06T00:00:00Z'), new Date('2026-03-11T00:00:00Z'))).toBe(3 * 8 * HOUR);
    const berlin = officeHours('Europe/Berlin');
    expect(businessTimeBetween(berlin, new Date('2026-10-23T00:00:00Z'), new Date('2026-10-28T00:00:00Z'))).toBe(3 * 8 * HOUR);
  });

  it('zonedInstant resolves a wall time in a spring-forward gap forward, east of UTC (Berlin 02:30 → 03:30 CEST)', () => {
    expect(zonedInstant({ year: 2026, month: 3, day: 29 }, 150, 'Europe/Berlin')).toBe(Date.parse('2026-03-29T01:30:00Z'));
  });

  // BUG (business-calendar.ts, zonedInstant): documented as "DST gaps resolve forward", but west of UTC
  // a gap resolves backward to the previous offset: New York 02:30 on 8 March 2026 comes out as 01:30 EST.
  it('zonedInstant resolves a wall time in a spring-forward gap forward, west of UTC too (New York 02:30 → 03:30 EDT)', () => {
    const instant = zonedInstant({ year: 2026, month: 3, day: 8 }, 150, 'America/New_York');
    expect(wallClock(instant, 'America/New_York').text).toBe('2026-03-08 03:30');
    expect(instant).toBe(Date.parse('2026-03-08T07:30:00Z'));
  });

  // BUG, consequence of the one above: Chile springs forward at midnight, so Sunday 6 September 2026 starts
  // at 01:00. Its window "00:00–12:00" is placed at Saturday 23:00, and a desk that closed at noon on
  // Saturday counts Saturday 23:00–24:00 as open.
  it('a day that begins in a gap (Santiago, 6 September 2026) opens at its first instant, not the evening before', () => {
    const santiago: BusinessCalendar = {
      kind: 'business',
      timeZone: 'America/Santiago',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      start: '00:00',
      end: '12:00',
      closed: new Set(),
    };
    const saturday2300 = new Date('2026-09-06T03:00:00Z'); // Saturday 23:00 -04
    const sunday0200 = new Date('2026-09-06T05:00:00Z'); // Sunday 02:00 -03 (01:00 -03 is the day's first instant)
    expect(businessTimeBetween(santiago, saturday2300, sunday0200)).toBe(HOUR);
    const due = addBusinessTime(santiago, saturday2300, 30 * MINUTE);
    expect(wallClock(due, 'America/Santiago').text).toBe('2026-09-06 01:30');
  });
});

describe('businessTimeBetween', () => {
  it('counts only opening hours: Friday 15:55 to Monday 08:55 is one hour', () => {
    expect(businessTimeBetween(jakarta, wib('2026-03-06 15:55'), wib('2026-03-09 08:55'))).toBe(HOUR);
  });

  it('is 0 when the end is not after the start', () => {
    expect(businessTimeBetween(jakarta, wib('2026-03-02 10:00'), wib('2026-03-02 10:00'))).toBe(0);
    expect(businessTimeBetween(jakarta, wib('2026-03-02 10:00'), wib('2026-03-02 09:00'))).toBe(0);
  });

  it('counts nothing across a closed night and weekend', () => {
    expect(businessTimeBetween(jakarta, wib('2026-03-06 16:00'), wib('2026-03-09 08:00'))).toBe(0);
  });

  it('skips the holiday: Friday 14 to Tuesday 18 August 2026 is two days', () => {
    expect(businessTimeBetween(jakarta, wib('2026-08-14 08:00'), wib('2026-08-18 16:00'))).toBe(16 * HOUR);
  });

  it('counts a whole year as 8 hours on each weekday that is not a public holiday', () => {
    // The expected count is worked out here from the dates alone.
    const closed = new Set(ID_HOLIDAYS);
    let openDays = 0;
    for (let day = Date.UTC(2026, 0, 1); day < Date.UTC(2027, 0, 1); day += 86_400_000) {
      const date = new Date(day);
      const weekday = date.getUTCDay();
      if (weekday !== 0 && weekday !== 6 && !closed.has(date.toISOString().slice(0, 10))) openDays++;
    }
    expect(openDays).toBeGreaterThan(240);
    expect(businessTimeBetween(jakarta, wib('2026-01-01 00:00'), wib('2027-01-01 00:00'))).toBe(openDays * 8 * HOUR);
  });

  it('knows the length of a business day', () => {
    expect(businessDayLength(jakarta)).toBe(8 * HOUR);
    expect(businessDayLength({ ...jakarta, start: '07:30', end: '15:00' })).toBe(7.5 * HOUR);
  });
});

describe('the 24×7 calendar (critical tickets)', () => {
  it('adds plain time through the night, the weekend and a public holiday', () => {
    const from = wib('2026-08-15 22:00'); // Saturday night before Independence Day
    expect(addBusinessTime(ALWAYS, from, 30 * MINUTE)).toEqual(wib('2026-08-15 22:30'));
    expect(addBusinessTime(ALWAYS, from, 36 * HOUR)).toEqual(wib('2026-08-17 10:00'));
  });

  it('measures plain time between two instants', () => {
    expect(businessTimeBetween(ALWAYS, wib('2026-08-15 22:00'), wib('2026-08-17 10:00'))).toBe(36 * HOUR);
    expect(businessTimeBetween(ALWAYS, wib('2026-08-17 10:00'), wib('2026-08-15 22:00'))).toBe(0);
  });

  it('still refuses a negative duration', () => {
    expect(() => addBusinessTime(ALWAYS, wib('2026-08-15 22:00'), -1)).toThrow(RangeError);
  });
});
