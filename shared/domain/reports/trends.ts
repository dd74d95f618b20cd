// Weekly trends: which categories had an unusual volume last week against the 8 weeks before it. Read from
// the daily statistics (one Query per day, 63 in all), tested per category, published as `TrendDetected` on
// the bus (the documented integration point; no ticket history, since a trend belongs to no ticket) and
// mailed to the team leads as a digest with recommendations.
//
// The test: x last week's new tickets in the category, μ and s the mean and sample standard deviation of the
// 8 weekly counts before it, σ = max(s, √μ, 1) (never narrower than Poisson noise, nor zero for a flat
// history), z = (x − μ) / σ. A rise is unusual when z ≥ threshold and x ≥ minTickets; a fall when
// z ≤ −threshold and μ ≥ minTickets. The threshold (default 3) and minTickets (default 5) are in the config.

import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Language } from '#shared/config/config-values.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { PERMISSIONS } from '#shared/domain/access/permissions.ts';
import { forbidden, notFound } from '#shared/domain/errors.ts';
import { escapeHtml } from '#shared/domain/mail/mail-templates.ts';
import type { Mailer, OutgoingMail } from '#shared/domain/mail/notify-requester.ts';
import { formatAddress } from '#shared/domain/mail/notify-requester.ts';
import type { StaffDirectory, StaffMember } from '#shared/domain/staff/staff.ts';
import * as z from '#shared/domain/zod.ts';
import { requireReportScope, type StatsReader } from './reports.ts';
import { ALL_SCOPE, localDate } from './stats.ts';

export type TrendSettings = HelpdeskConfig['trends'];

export type WeeklyTest = { count: number; mean: number; sd: number; sigma: number; z: number };
export type Trend = WeeklyTest & { category: string; direction: 'rise' | 'fall'; history: number[] };

/** The z-score test of one category's week against the weeks before it (oldest first). Pure. */
export const weeklyTest = (count: number, history: readonly number[]): WeeklyTest => {
  const n = history.length;
  const mean = n > 0 ? history.reduce((sum, value) => sum + value, 0) / n : 0;
  const sd = n > 1 ? Math.sqrt(history.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1)) : 0;
  const sigma = Math.max(sd, Math.sqrt(mean), 1);
  return { count, mean, sd, sigma, z: (count - mean) / sigma };
};

/** Whether a test result is a trend under the settings, and which way. */
export const trendDirection = (test: WeeklyTest, settings: TrendSettings): Trend['direction'] | undefined => {
  if (test.z >= settings.threshold && test.count >= settings.minTickets) return 'rise';
  if (test.z <= -settings.threshold && test.mean >= settings.minTickets) return 'fall';
  return undefined;
};

const DAY = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** The last whole Monday–Sunday week before `now` (local dates), and the `weeks` weeks before it. */
export const weeksBefore = (now: Date, timeZone: string, weeks: number) => {
  const today = localDate(now.getTime(), timeZone);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  const thisMonday = addDays(today, -weekday);
  const from = addDays(thisMonday, -7);
  return { week: { from, to: addDays(from, 6) }, historyFrom: addDays(from, -7 * weeks) };
};

export type TrendEvent = {
  /** Stable for a week and category, so a subscriber can drop a repeat. */
  id: string;
  type: 'TrendDetected';
  at: string;
  week: { from: string; to: string };
  category: string;
  direction: Trend['direction'];
  count: number;
  baseline: { weeks: number; mean: number; sd: number };
  z: number;
  threshold: number;
};

export interface TrendPublisher {
  publish(events: TrendEvent[]): Promise<void>;
}

export type TrendDeps = {
  stats: StatsReader;
  publisher: TrendPublisher;
  mailer: Mailer;
  /** The digest goes to the leads the directory knows at the time of the run. */
  staff: StaffDirectory;
  config: HelpdeskConfig;
  clock: { now(): Date };
};

export type TrendRun = { week: { from: string; to: string }; categories: number; trends: Trend[]; digests: number };

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

// ── The digest ───────────────────────────────────────────────────────────────────────────────────────────

const DIGEST = {
  id: {
    subject: (from: string, to: string) => `Ringkasan mingguan helpdesk ${from} s.d. ${to}`,
    greeting: (name: string) => `Halo ${name},`,
    intro: (from: string, to: string, total: number) => `Minggu ${from} s.d. ${to}: ${total} tiket baru.`,
    none: (weeks: number) => `Tidak ada kategori dengan volume yang tidak biasa dibandingkan ${weeks} minggu sebelumnya.`,
    found: (weeks: number) => `Kategori dengan volume yang tidak biasa dibandingkan ${weeks} minggu sebelumnya:`,
    line: (name: string, trend: Trend) =>
      `${name}: ${trend.count} tiket (biasanya ${round(trend.mean, 1)}, z = ${round(trend.z, 1)}), ${trend.direction === 'rise' ? 'naik' : 'turun'}.`,
    rise: (name: string) =>
      `${name}: jika penyebabnya berulang, tulis artikel basis pengetahuan agar pemohon dapat menyelesaikannya sendiri, atau buka tiket masalah (problem) untuk menemukan akar penyebab bersama.`,
    persistent: (name: string) =>
      `${name}: sudah naik dua minggu berturut-turut; buka tiket masalah (problem) dan pertimbangkan tambahan petugas.`,
    fall: (name: string) => `${name}: pastikan saluran masuk (email, formulir) berfungsi, atau catat perbaikan yang menurunkan volumenya.`,
    recommendations: 'Rekomendasi:',
    test: (threshold: number) => `Uji: z-score terhadap rata-rata mingguan; ambang |z| ≥ ${threshold}.`,
    signature: (organisation: string) => `Helpdesk ${organisation}`,
  },
  en: {
    subject: (from: string, to: string) => `Helpdesk weekly digest ${from} to ${to}`,
    greeting: (name: string) => `Hello ${name},`,
    intro: (from: string, to: string, total: number) => `Week ${from} to ${to}: ${total} new tickets.`,
    none: (weeks: number) => `No category had an unusual volume against the ${weeks} weeks before.`,
    found: (weeks: number) => `Categories with an unusual volume against the ${weeks} weeks before:`,
    line: (name: string, trend: Trend) =>
      `${name}: ${trend.count} tickets (usually ${round(trend.mean, 1)}, z = ${round(trend.z, 1)}), ${trend.direction === 'rise' ? 'up' : 'down'}.`,
    rise: (name: string) =>
      `${name}: if the cause recurs, write a knowledge-base article so that requesters can solve it themselves, or open a problem ticket to find the common cause.`,
    persistent: (name: string) => `${name}: up two weeks in a row; open a problem ticket and consider more staff for it.`,
    fall: (name: string) => `${name}: check that the intake (mail, forms) works, or note the fix that brought it down.`,
    recommendations: 'Recommendations:',
    test: (threshold: number) => `Test: z-score against the weekly mean; threshold |z| ≥ ${threshold}.`,
    signature: (organisation: string) => `${organisation} Helpdesk`,
  },
} as const;

/** A rise is persistent when the week before was itself above the mean of the weeks before it by the threshold. */
const persistent = (trend: Trend, settings: TrendSettings) => {
  const previous = trend.history.at(-1);
  return previous !== undefined && trend.direction === 'rise' && weeklyTest(previous, trend.history.slice(0, -1)).z >= settings.threshold;
};

/** What to do about a trend: the digest's advice and the dashboard's, by one rule. */
export type Recommendation = 'knowledge-base-or-problem' | 'problem-and-staff' | 'check-intake';
export const recommendationOf = (trend: Trend, settings: TrendSettings): Recommendation =>
  trend.direction === 'fall' ? 'check-intake' : persistent(trend, settings) ? 'problem-and-staff' : 'knowledge-base-or-problem';

/** The digest for one lead: text and escaped HTML. Pure. */
export const composeDigest = (input: {
  to: { name: string; email: string };
  language: Language;
  week: { from: string; to: string };
  total: number;
  trends: Trend[];
  config: HelpdeskConfig;
}): OutgoingMail => {
  const { config, week, trends, language } = input;
  const t = DIGEST[language];
  const nameOf = (category: string) => config.categories.find((candidate) => candidate.id === category)?.name[language] ?? category;
  const settings = config.trends;
  const lines = trends.map((trend) => t.line(nameOf(trend.category), trend));
  const advice = trends.map((trend) => {
    const recommendation = recommendationOf(trend, settings);
    return (recommendation === 'check-intake' ? t.fall : recommendation === 'problem-and-staff' ? t.persistent : t.rise)(
      nameOf(trend.category),
    );
  });
  const paragraphs: (string | string[])[] = [
    t.greeting(input.to.name),
    t.intro(week.from, week.to, input.total),
    ...(trends.length === 0 ? [t.none(settings.weeks)] : [t.found(settings.weeks), lines, t.recommendations, advice]),
    t.test(settings.threshold),
    t.signature(config.organisation.name),
  ];
  const text = `${paragraphs.map((block) => (Array.isArray(block) ? block.map((line) => `- ${line}`).join('\n') : block)).join('\n\n')}\n`;
  const html = [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(t.subject(week.from, week.to))}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2933">',
    ...paragraphs.map((block) =>
      Array.isArray(block) ? `<ul>${block.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>` : `<p>${escapeHtml(block)}</p>`,
    ),
    '</body></html>',
  ].join('\n');
  const sender = config.organisation.senderAddress;
  return {
    kind: 'trend-digest',
    from: formatAddress(`Helpdesk ${config.organisation.name}`, sender),
    to: input.to.email,
    replyTo: sender,
    subject: t.subject(week.from, week.to),
    text,
    html,
    headers: [
      { name: 'Auto-Submitted', value: 'auto-generated' },
      { name: 'X-Auto-Response-Suppress', value: 'All' },
    ],
  };
};

// ── The job ──────────────────────────────────────────────────────────────────────────────────────────────

/** The leads to mail: every active lead in the staff directory with an address, once each. */
export const digestRecipients = (staff: readonly StaffMember[]): { name: string; email: string; language?: Language | undefined }[] =>
  staff.flatMap((member) =>
    member.active && member.role === 'lead' && member.email ? [{ name: member.name, email: member.email, language: member.language }] : [],
  );

/** Last week's test of every category against the weeks before (one Query per day, `weeks + 1` weeks). */
export const findTrends = async (
  deps: { stats: StatsReader; config: HelpdeskConfig },
  now: Date,
): Promise<{ week: { from: string; to: string }; categories: string[]; trends: Trend[]; total: number }> => {
  const { config } = deps;
  const settings = config.trends;
  const { week, historyFrom } = weeksBefore(now, config.organisation.timeZone, settings.weeks);
  const days = (settings.weeks + 1) * 7;
  const dates = Array.from({ length: days }, (_, index) => addDays(historyFrom, index));
  // weekly[w][category]: new tickets; w = 0 is the oldest week, w = weeks is last week.
  const weekly: Record<string, number>[] = Array.from({ length: settings.weeks + 1 }, () => ({}));
  for (let start = 0; start < dates.length; start += 8) {
    const rows = await Promise.all(dates.slice(start, start + 8).map((date) => deps.stats.readStatsDay(date, ALL_SCOPE)));
    rows.forEach((dayRows, offset) => {
      const counts = weekly[Math.floor((start + offset) / 7)]!;
      for (const row of dayRows) {
        const created = row.counters.created ?? 0;
        if (row.key === 'total') counts['*'] = (counts['*'] ?? 0) + created;
        else if (row.key.startsWith('category#')) {
          const category = row.key.slice('category#'.length);
          counts[category] = (counts[category] ?? 0) + created;
        }
      }
    });
  }
  const categories = [...new Set([...config.categories.map((category) => category.id), ...weekly.flatMap((counts) => Object.keys(counts))])]
    .filter((category) => category !== '*')
    .sort();
  const trends: Trend[] = [];
  for (const category of categories) {
    const history = weekly.slice(0, settings.weeks).map((counts) => counts[category] ?? 0);
    const test = weeklyTest(weekly[settings.weeks]![category] ?? 0, history);
    const direction = trendDirection(test, settings);
    if (direction) trends.push({ ...test, category, direction, history });
  }
  return { week, categories, trends, total: weekly[settings.weeks]!['*'] ?? 0 };
};

export const detectTrends = async (deps: TrendDeps): Promise<TrendRun> => {
  const { config } = deps;
  const settings = config.trends;
  const now = deps.clock.now();
  const { week, categories, trends, total } = await findTrends(deps, now);
  const at = now.toISOString();
  if (trends.length > 0)
    await deps.publisher.publish(
      trends.map((trend) => ({
        id: `trend:${week.from}:${trend.category}`,
        type: 'TrendDetected',
        at,
        week,
        category: trend.category,
        direction: trend.direction,
        count: trend.count,
        baseline: { weeks: settings.weeks, mean: round(trend.mean), sd: round(trend.sd) },
        z: round(trend.z),
        threshold: settings.threshold,
      })),
    );
  const leads = digestRecipients(await deps.staff.list());
  for (const lead of leads)
    await deps.mailer.send(
      composeDigest({ to: lead, language: lead.language ?? config.organisation.defaultLanguage, week, total, trends, config }),
    );
  return { week, categories: categories.length, trends, digests: leads.length };
};

// ── The dashboard's view ─────────────────────────────────────────────────────────────────────────────────

export type TrendReport = {
  week: { from: string; to: string };
  weeks: number;
  threshold: number;
  team: string | null;
  trends: { category: string; direction: Trend['direction']; count: number; mean: number; z: number; recommendation: Recommendation }[];
};

/** GET /reports/trends: last week's unusual categories (a team's: its categories), with what to do about each. */
export const trendReport = async (
  deps: { stats: StatsReader; config: HelpdeskConfig; clock: { now(): Date } },
  identity: Identity,
  query: { team?: string | undefined },
): Promise<TrendReport> => {
  if (PERMISSIONS[identity.role]['report:read'] === 'none') throw forbidden('Reports are for team leads and administrators.');
  if (query.team !== undefined && !deps.config.teams.some((team) => team.id === query.team))
    throw notFound(`There is no team ${JSON.stringify(query.team)}.`);
  requireReportScope(identity, query.team);
  const settings = deps.config.trends;
  const { week, trends } = await findTrends(deps, deps.clock.now());
  const inTeam = (category: string) =>
    !query.team || deps.config.categories.find((candidate) => candidate.id === category)?.team === query.team;
  return {
    week,
    weeks: settings.weeks,
    threshold: settings.threshold,
    team: query.team ?? null,
    trends: trends
      .filter((trend) => inTeam(trend.category))
      .map((trend) => ({
        category: trend.category,
        direction: trend.direction,
        count: trend.count,
        mean: round(trend.mean, 1),
        z: round(trend.z, 1),
        recommendation: recommendationOf(trend, settings),
      })),
  };
};

export const trendQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({ team: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) }),
);
