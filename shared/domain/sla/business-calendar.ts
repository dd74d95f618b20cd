// Business time on the organisation's calendar: an IANA time zone, weekly opening hours, and closed dates
// (the country's public holidays from date-holidays plus the organisation's own: cuti bersama, school
// breaks). Pure arithmetic on instants; the zone's offset is looked up with Intl, so WIB, WITA, WIT and
// any zone with daylight saving are handled alike.
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type BusinessCalendar = {
  kind: 'business';
  timeZone: string;
  days: readonly Weekday[];
  /** "HH:MM" local time. */
  start: string;
  end: string;
  /** Local dates "YYYY-MM-DD" on which the desk is closed. */
  closed: ReadonlySet<string>;
};

/** Round-the-clock calendar for 24×7 policies (critical tickets). */
export type AlwaysOpenCalendar = { kind: '24x7' };

export type Calendar = BusinessCalendar | AlwaysOpenCalendar;

const MINUTE = 60_000;
const DAY_SEARCH_LIMIT = 3 * 366; // a calendar with no open day in three years is a configuration error

type LocalDate = { year: number; month: number; day: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string) => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** The wall-clock fields of an instant in a zone. */
const localParts = (instant: number, timeZone: string) => {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number };
};

/** Offset of the zone from UTC at an instant, in ms (WIB: +7 h). */
const offsetAt = (instant: number, timeZone: string): number => {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
};

/**
 * zonedInstant's answers. Each costs four Intl look-ups (some 10 µs), and every SLA computation asks again for
 * the same few days' opening and closing times: about 1 ms of a ticket's create went there (issue 13).
 */
const zonedInstants = new Map<string, number>();
/** Some years of opening and closing times for a few zones; past this the cache starts again. */
const ZONED_INSTANTS_KEPT = 10_000;

/**
 * The instant at which the zone's clocks show this local date and time. Of two such instants (a clock set
 * back) the earlier; of none (a clock set forward over it) the wall time read with the offset before the
 * gap, which lands just after the gap: forward, east or west of UTC.
 */
export const zonedInstant = (date: LocalDate, minutesOfDay: number, timeZone: string): number => {
  const key = `${timeZone} ${date.year}-${date.month}-${date.day} ${minutesOfDay}`;
  const known = zonedInstants.get(key);
  if (known !== undefined) return known;
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutesOfDay * MINUTE;
  const before = offsetAt(wall - 86_400_000, timeZone);
  const after = offsetAt(wall + 86_400_000, timeZone);
  const candidates = [wall - before, wall - after].filter((instant) => offsetAt(instant, timeZone) === wall - instant);
  const instant = candidates.length > 0 ? Math.min(...candidates) : wall - before;
  if (zonedInstants.size >= ZONED_INSTANTS_KEPT) zonedInstants.clear();
  zonedInstants.set(key, instant);
  return instant;
};

export const localDateOf = (instant: number, timeZone: string): LocalDate => {
  const { year, month, day } = localParts(instant, timeZone);
  return { year, month, day };
};

const nextDate = (date: LocalDate): LocalDate => {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
};

export const isoDate = (date: LocalDate): string =>
  `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

const minutesOf = (hhmm: string) => {
  const [hours, minutes] = hhmm.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
};

/** The opening window of a local date in UTC ms, or undefined when the desk is closed that day. */
const windowOn = (calendar: BusinessCalendar, date: LocalDate): [number, number] | undefined => {
  const weekday = WEEKDAYS[new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()]!;
  if (!calendar.days.includes(weekday) || calendar.closed.has(isoDate(date))) return undefined;
  return [zonedInstant(date, minutesOf(calendar.start), calendar.timeZone), zonedInstant(date, minutesOf(calendar.end), calendar.timeZone)];
};

/** The instant `ms` of business time after `from`. */
export const addBusinessTime = (calendar: Calendar, from: Date, ms: number): Date => {
  if (ms < 0) throw new RangeError('business time to add must not be negative');
  if (calendar.kind === '24x7') return new Date(from.getTime() + ms);
  let remaining = ms;
  let cursor = from.getTime();
  let date = localDateOf(cursor, calendar.timeZone);
  for (let day = 0; day < DAY_SEARCH_LIMIT; day++) {
    const window = windowOn(calendar, date);
    if (window) {
      const start = Math.max(cursor, window[0]);
      if (start < window[1]) {
        if (remaining <= window[1] - start) return new Date(start + remaining);
        remaining -= window[1] - start;
      }
    }
    date = nextDate(date);
    cursor = zonedInstant(date, 0, calendar.timeZone);
  }
  throw new RangeError('the business calendar has no open hours in the next three years');
};

/** Business time between two instants (0 when `to` is not after `from`). */
export const businessTimeBetween = (calendar: Calendar, from: Date, to: Date): number => {
  const end = to.getTime();
  if (end <= from.getTime()) return 0;
  if (calendar.kind === '24x7') return end - from.getTime();
  let total = 0;
  let date = localDateOf(from.getTime(), calendar.timeZone);
  for (let day = 0; day < DAY_SEARCH_LIMIT * 10; day++) {
    const dayStart = zonedInstant(date, 0, calendar.timeZone);
    if (dayStart >= end) break;
    const window = windowOn(calendar, date);
    if (window) total += Math.max(0, Math.min(end, window[1]) - Math.max(from.getTime(), window[0]));
    date = nextDate(date);
  }
  return total;
};

/** Length of one business day (the "1 business day" of an SLA target), in ms. */
export const businessDayLength = (calendar: BusinessCalendar): number => (minutesOf(calendar.end) - minutesOf(calendar.start)) * MINUTE;
