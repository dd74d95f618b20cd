// Dates and times in the organisation's zone (not the browser's), in the language shown.
import type { Language } from '#shared/config/config-values.ts';
import { config } from './config.ts';
import { lang, t } from './i18n.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatter = (kind: 'dateTime' | 'time') => {
  const key = `${lang.get()}:${kind}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(lang.get() === 'id' ? 'id-ID' : 'en-GB', {
      timeZone: config().organisation.timeZone,
      ...(kind === 'dateTime' ? { dateStyle: 'medium', timeStyle: 'short' } : { timeStyle: 'short' }),
    });
    formatters.set(key, found);
  }
  return found;
};

export const dateTime = (iso: string) => formatter('dateTime').format(new Date(iso));
export const clockTime = (date: Date) => formatter('time').format(date);

/** "in 25 min", "3 h ago": for due times and updates, with the exact time as its title. */
export const relative = (iso: string, now = Date.now()): string => {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  const abs = Math.abs(minutes);
  if (abs < 1) return t('time.now');
  const future = minutes > 0;
  if (abs < 60) return t(future ? 'time.inMinutes' : 'time.minutesAgo', { n: abs });
  if (abs < 48 * 60) return t(future ? 'time.inHours' : 'time.hoursAgo', { n: Math.round(abs / 60) });
  return t(future ? 'time.inDays' : 'time.daysAgo', { n: Math.round(abs / 1440) });
};

/** A configured name (team, category) in the language shown, or the id when the configuration has none. */
export const nameOf = (kind: 'teams' | 'categories', id: string): string =>
  config()[kind].find((item) => item.id === id)?.name[lang.get() as Language] ?? id;

/** A knowledge-base article's title in the language shown: its English title in English, where it has one. */
export const articleTitle = (article: { title: string; title_en?: string | undefined }): string =>
  lang.get() === 'en' && article.title_en ? article.title_en : article.title;
