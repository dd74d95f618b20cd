// The organisation's calendars from its configuration: weekly hours in its time zone, closed on the
// country's public holidays (shared/config/public-holiday-dates.json, generated from date-holidays by
// `npm run holidays`) and on its own closed dates (cuti bersama, school breaks).
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import holidayDates from '#shared/config/public-holiday-dates.json' with { type: 'json' };
import type { BusinessCalendar, Calendar } from './business-calendar.ts';
import type { CalendarResolver } from './sla.ts';

const cache = new WeakMap<HelpdeskConfig, CalendarResolver>();

export const organisationCalendars = (config: HelpdeskConfig): CalendarResolver => {
  const cached = cache.get(config);
  if (cached) return cached;
  if (holidayDates.country !== config.organisation.country)
    throw new Error(
      `public-holiday-dates.json holds ${holidayDates.country}'s holidays but organisation.country is ${config.organisation.country}: run npm run holidays`,
    );
  const business: BusinessCalendar = {
    kind: 'business',
    timeZone: config.organisation.timeZone,
    days: config.businessHours.days,
    start: config.businessHours.start,
    end: config.businessHours.end,
    closed: new Set([...holidayDates.dates, ...config.closedDates.map((entry) => entry.date)]),
  };
  const always: Calendar = { kind: '24x7' };
  const resolver: CalendarResolver = (kind) => (kind === '24x7' ? always : business);
  cache.set(config, resolver);
  return resolver;
};
