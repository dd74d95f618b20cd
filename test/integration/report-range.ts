// The days the integration tests ask the reports for: the organisation's yesterday and today (Asia/Jakarta, UTC+7,
// no daylight saving). A test's sandbox holds only what the test filed, minutes before it asks; a run across the
// organisation's midnight (17:00 UTC) puts some of it on each day, which "today" alone would miss.
const jakartaDay = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);

/** `from=…&to=…` for the summary report, around `now` (the sandbox clock's ISO time, or epoch milliseconds). */
export const recentDays = (now: string | number): string => {
  const at = typeof now === 'string' ? Date.parse(now) : now;
  return `from=${jakartaDay(at - 86_400_000)}&to=${jakartaDay(at)}`;
};
