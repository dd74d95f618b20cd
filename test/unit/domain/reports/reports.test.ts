// The summary report against a seeded history: 80 tickets over two working weeks, run through the real
// services (create, assign, reply, pending, resolve, reopen) and folded as a timely consumer would. The
// expected figures are computed here from the plan itself, with a business-hours function of this file's
// own (Mon–Fri 08:00–16:00 WIB; the fortnight has no holiday), never with the code under test.
import { describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import { CSV_HEADER, type DurationStats, type ReportQuery, reportCsv, summaryReport } from '#shared/domain/reports/reports.ts';
import { recordStats } from '#shared/domain/reports/stats.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { admin, alice, bob, ivan, sari } from '#test/fixtures/identities.ts';
import { InMemoryStats } from '#test/fixtures/in-memory-stats.ts';
import { HOUR, MINUTE } from '#test/fixtures/sla.ts';
import { testConfig } from '#test/fixtures/test-config.ts';
import { testDeps } from '#test/fixtures/tickets.ts';

const WIB = 7 * HOUR;
const DAY = 24 * HOUR;
/** Monday 2 February 2026, 00:00 WIB. */
const MONDAY = Date.parse('2026-02-02T00:00:00+07:00');
const localDate = (ms: number) => new Date(ms + WIB).toISOString().slice(0, 10);

/** Business time between two instants: weekdays 08:00–16:00 WIB. */
const businessMs = (from: number, to: number) => {
  let total = 0;
  for (let day = Math.floor((from + WIB) / DAY) * DAY - WIB; day < to; day += DAY) {
    const weekday = new Date(day + WIB).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    total += Math.max(0, Math.min(to, day + 16 * HOUR) - Math.max(from, day + 8 * HOUR));
  }
  return total;
};

/** A small deterministic generator (mulberry32), so the history is the same on every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const CATEGORIES = [
  ['network', 'it-support', 0.35],
  ['hardware', 'it-support', 0.25],
  ['facilities', 'sarpras', 0.25],
  ['other', 'helpdesk', 0.15],
] as const;
const AGENT_OF: Record<string, string> = { 'it-support': 'ivan', sarpras: 'sari', helpdesk: 'hana' };
const LEVEL_PAIRS = [
  [{ urgency: 'high', impact: 'high' }, 'critical', 30 * MINUTE, 240 * MINUTE],
  [{ urgency: 'high', impact: 'medium' }, 'high', 60 * MINUTE, 480 * MINUTE],
  [{ urgency: 'medium', impact: 'medium' }, 'medium', 240 * MINUTE, 1440 * MINUTE],
  [{ urgency: 'low', impact: 'low' }, 'low', 480 * MINUTE, 2400 * MINUTE],
] as const;

type Plan = {
  createdAt: number;
  category: string;
  team: string;
  channel: 'web' | 'api';
  priority: string;
  levels: { urgency: 'high' | 'medium' | 'low'; impact: 'high' | 'medium' | 'low' };
  frTarget: number;
  resTarget: number;
  reply?: number;
  pending?: [number, number];
  resolve?: number;
  reopen?: [number, number];
};

const pick = <T>(rng: () => number, weighted: readonly (readonly [...unknown[], number])[]): T => {
  let r = rng();
  for (const entry of weighted) {
    r -= entry[entry.length - 1] as number;
    if (r < 0) return entry as T;
  }
  return weighted[weighted.length - 1] as T;
};

const planHistory = (count: number): Plan[] => {
  const rng = random(20260202);
  return Array.from({ length: count }, (_, index) => {
    const workday = index % 10;
    const day = MONDAY + (workday + (workday >= 5 ? 2 : 0)) * DAY;
    const createdAt = day + 8 * HOUR + Math.floor(rng() * 7 * 60) * MINUTE + Math.floor(rng() * 60) * 1000;
    const [category, team] = pick<readonly [string, string, number]>(rng, CATEGORIES);
    const [levels, priority, frTarget, resTarget] = LEVEL_PAIRS[Math.floor(rng() * LEVEL_PAIRS.length)]!;
    const plan: Plan = { createdAt, category, team, channel: rng() < 0.7 ? 'web' : 'api', priority, levels, frTarget, resTarget };
    if (rng() < 0.1) return plan; // never answered: in the backlog
    plan.reply = createdAt + Math.floor(5 + rng() * 400) * MINUTE + 17_000;
    let at = plan.reply;
    if (rng() < 0.2) {
      plan.pending = [at + 10 * MINUTE, at + 10 * MINUTE + Math.floor(30 + rng() * 1200) * MINUTE];
      at = plan.pending[1];
    }
    if (rng() < 0.1) return plan; // answered, not resolved
    plan.resolve = at + Math.floor(20 + rng() * 3000) * MINUTE;
    if (rng() < 0.15) plan.reopen = [plan.resolve + Math.floor(60 + rng() * 600) * MINUTE, 0];
    if (plan.reopen) plan.reopen[1] = plan.reopen[0] + Math.floor(30 + rng() * 600) * MINUTE;
    return plan;
  });
};

/** Runs the plan through the services and folds every change's events right after it. */
const seed = async (plans: Plan[], end: number) => {
  const deps = testDeps({ now: new Date(MONDAY).toISOString() });
  const stats = new InMemoryStats(deps.tickets);
  const folded = new Set<string>();
  const fold = async (id: string) => {
    for (const event of deps.tickets.historyOf(id))
      if (!folded.has(event.id)) {
        folded.add(event.id);
        await recordStats({ store: stats, config: testConfig, clock: deps.clock }, event);
      }
  };
  const at = async (ms: number, id: string, run: () => Promise<unknown>) => {
    deps.clock.set(new Date(ms).toISOString());
    await run();
    await fold(id);
  };
  for (const [index, plan] of plans.entries()) {
    deps.clock.set(new Date(plan.createdAt).toISOString());
    const requester = index % 2 === 0 ? alice : bob;
    const { ticket } = await createTicket(deps, requester, {
      subject: `Permintaan ${index}`,
      description: '',
      category: plan.category,
      channel: plan.channel,
      ...plan.levels,
    });
    await fold(ticket.id);
    const id = ticket.id;
    await at(plan.createdAt + MINUTE, id, () => updateTicket(deps, admin, id, { assignee: AGENT_OF[plan.team]! }));
    if (plan.reply) await at(plan.reply, id, () => addComment(deps, admin, id, { body: 'Kami tangani.', visibility: 'public' }));
    if (plan.pending) {
      await at(plan.pending[0], id, () => updateTicket(deps, admin, id, { status: 'pending' }));
      await at(plan.pending[1], id, () => addComment(deps, requester, id, { body: 'Ini datanya.', visibility: 'public' }));
    }
    if (plan.resolve) await at(plan.resolve, id, () => updateTicket(deps, admin, id, { status: 'resolved' }));
    if (plan.reopen) {
      await at(plan.reopen[0], id, () => updateTicket(deps, requester, id, { status: 'open' }));
      await at(plan.reopen[1], id, () => updateTicket(deps, admin, id, { status: 'resolved' }));
    }
  }
  deps.clock.set(new Date(end).toISOString());
  return { deps, stats };
};

// ── The true figures, from the plan ───────────────────────────────────────────────────────────────────

const nearestRank = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(p * values.length)) - 1]!;

const truthOf = (values: number[]) => ({
  count: values.length,
  mean: values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null,
  median: values.length ? nearestRank(values, 0.5) : null,
  p90: values.length ? nearestRank(values, 0.9) : null,
});

/** Business time of the plan's clock: the 24×7 policy counts every hour; pending never counts. */
const clockMs = (plan: Plan, from: number, to: number) => {
  const span = (a: number, b: number) => (plan.priority === 'critical' ? b - a : businessMs(a, b));
  const [start, end] = plan.pending ? [Math.max(from, plan.pending[0]), Math.min(to, plan.pending[1])] : [0, 0];
  const pending = end > start ? span(start, end) : 0;
  return span(from, to) - pending;
};

const truth = (plans: Plan[], inRange: (ms: number) => boolean, team?: string) => {
  const mine = plans.filter((plan) => !team || plan.team === team);
  const created = mine.filter((plan) => inRange(plan.createdAt));
  const count = (key: (plan: Plan) => string) =>
    created.reduce<Record<string, number>>((counts, plan) => {
      counts[key(plan)] = (counts[key(plan)] ?? 0) + 1;
      return counts;
    }, {});
  const replied = mine.filter((plan) => plan.reply && inRange(plan.reply));
  const frBiz = replied.map((plan) => clockMs(plan, plan.createdAt, plan.reply!));
  const resolutions = mine
    .flatMap((plan) => {
      if (!plan.resolve) return [];
      const first = { at: plan.resolve, biz: clockMs(plan, plan.createdAt, plan.resolve), target: plan.resTarget };
      if (!plan.reopen) return [first];
      const second = { at: plan.reopen[1], biz: first.biz + clockMs(plan, plan.reopen[0], plan.reopen[1]), target: plan.resTarget };
      return [first, second];
    })
    .filter((resolution) => inRange(resolution.at));
  const resolvedPlans = (resolution: { at: number }) =>
    mine.find((plan) => plan.resolve === resolution.at || plan.reopen?.[1] === resolution.at)!;
  return {
    volume: created.length,
    byCategory: count((plan) => plan.category),
    byChannel: count((plan) => plan.channel),
    byTeam: count((plan) => plan.team),
    byPriority: count((plan) => plan.priority),
    frBiz: truthOf(frBiz),
    frWall: truthOf(replied.map((plan) => plan.reply! - plan.createdAt)),
    frMet: replied.filter((plan, index) => frBiz[index]! <= plan.frTarget).length,
    resolved: resolutions.length,
    resBiz: truthOf(resolutions.map((resolution) => resolution.biz)),
    resWall: truthOf(resolutions.map((resolution) => resolution.at - resolvedPlans(resolution).createdAt)),
    resMet: resolutions.filter((resolution) => resolution.biz <= resolution.target).length,
    reopened: mine.filter((plan) => plan.reopen && inRange(plan.reopen[0])).length,
  };
};

/** Means are exact (sums); medians and p90 come from the histogram, within 4.5% (or 30 s under a minute). */
const expectDurations = (actual: DurationStats, expected: ReturnType<typeof truthOf>) => {
  expect(actual.count).toBe(expected.count);
  expect(actual.meanMs).toBe(expected.mean === null ? null : Math.round(expected.mean));
  for (const [value, exact] of [
    [actual.medianMs, expected.median],
    [actual.p90Ms, expected.p90],
  ] as const) {
    if (exact === null) expect(value).toBeNull();
    else expect(Math.abs(value! - exact)).toBeLessThanOrEqual(Math.max(0.045 * exact, 30_000));
  }
};

/** The whole desk's figures are an administrator's (a lead reads the teams they lead: below). */
const reader = admin;
const END = MONDAY + 16 * DAY + 10 * HOUR;

describe('summary report against a seeded history', async () => {
  // Arrange (shared): one seeded fortnight, folded once.
  const plans = planHistory(80);
  const { deps, stats } = await seed(plans, END);
  const reportDeps = { stats, config: testConfig, clock: deps.clock };
  const whole: ReportQuery = { from: '2026-02-01', to: '2026-02-28' };
  const all = () => true;

  it('gives the volume by category, channel, team and priority', async () => {
    // Act
    const report = await summaryReport(reportDeps, reader, whole);

    // Assert
    const expected = truth(plans, all);
    expect(report.volume).toEqual({
      total: expected.volume,
      byDay: expect.any(Array),
      byCategory: expected.byCategory,
      byChannel: expected.byChannel,
      byTeam: expected.byTeam,
      byPriority: expected.byPriority,
      // No ticket of the history has a room.
      byField: { ruang: {} },
    });
    expect(report.days).toBe(28);
  });

  it('gives each day of the range its new tickets and resolutions', async () => {
    // Act
    const report = await summaryReport(reportDeps, reader, whole);

    // Assert
    expect(report.volume.byDay.map((day) => day.date)).toEqual(
      Array.from({ length: 28 }, (_, index) => `2026-02-${String(index + 1).padStart(2, '0')}`),
    );
    for (const day of ['2026-02-03', '2026-02-10']) {
      const expected = truth(plans, (ms) => localDate(ms) === day);
      expect(report.volume.byDay.find((entry) => entry.date === day)).toEqual({
        date: day,
        created: expected.volume,
        resolved: expected.resolved,
      });
    }
    expect(report.volume.byDay.reduce((sum, day) => sum + day.created, 0)).toBe(report.volume.total);
  });

  it('gives compliance and breaches by priority, and each duration by band, adding up to the totals', async () => {
    // Act
    const report = await summaryReport(reportDeps, reader, whole);

    // Assert
    const byPriority = Object.values(report.sla.byPriority);
    // Most urgent first, as the dashboard draws them
    expect(Object.keys(report.sla.byPriority)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(byPriority.reduce((sum, figures) => sum + figures.firstResponse.met, 0)).toBe(report.sla.firstResponse.met);
    expect(byPriority.reduce((sum, figures) => sum + figures.resolution.missed, 0)).toBe(report.sla.resolution.missed);
    expect(byPriority.reduce((sum, figures) => sum + figures.breaches, 0)).toBe(
      Object.values(report.sla.breaches).reduce((sum, value) => sum + value, 0),
    );
    for (const stats of [report.firstResponse.business, report.resolution.wallClock])
      expect(Object.values(stats.bands).reduce((sum, value) => sum + value, 0)).toBe(stats.count);
    expect(Object.keys(report.resolution.wallClock.bands)).toEqual(['<15m', '15m-1h', '1-4h', '4-8h', '8-24h', '1-3d', '>=3d']);
  });

  it('lets a lead read the teams they lead, and refuses another team or the whole desk (403 naming team)', async () => {
    // Act
    const own = await summaryReport(reportDeps, sari, { ...whole, team: 'sarpras' });
    const refused = await Promise.all(
      [{ ...whole, team: 'it-support' }, whole].map((query) =>
        summaryReport(reportDeps, sari, query).catch((error: unknown) => error as DomainError),
      ),
    );

    // Assert
    expect(own.team).toBe('sarpras');
    for (const error of refused)
      expect(error).toMatchObject({
        kind: 'forbidden',
        details: { errors: [{ path: 'team', message: 'must be one of the teams you lead: sarpras' }] },
      });
  });

  it('gives mean, median and p90 of first response and resolution in business and wall-clock time', async () => {
    // Act
    const report = await summaryReport(reportDeps, reader, whole);

    // Assert
    const expected = truth(plans, all);
    expectDurations(report.firstResponse.business, expected.frBiz);
    expectDurations(report.firstResponse.wallClock, expected.frWall);
    expectDurations(report.resolution.business, expected.resBiz);
    expectDurations(report.resolution.wallClock, expected.resWall);
    expect(report.resolution.resolved).toBe(expected.resolved);
  });

  it('gives SLA compliance per target, the reopen rate and the dominant categories', async () => {
    // Act
    const report = await summaryReport(reportDeps, reader, whole);

    // Assert
    const expected = truth(plans, all);
    // The seeded history holds every case: misses of both targets, and reopenings.
    expect([expected.frBiz.count - expected.frMet, expected.resolved - expected.resMet, expected.reopened].every((n) => n > 0)).toBe(true);
    expect(report.sla.firstResponse).toEqual({
      met: expected.frMet,
      missed: expected.frBiz.count - expected.frMet,
      compliance: expected.frMet / expected.frBiz.count,
    });
    expect(report.sla.resolution).toEqual({
      met: expected.resMet,
      missed: expected.resolved - expected.resMet,
      compliance: expected.resMet / expected.resolved,
    });
    expect(report.reopen).toEqual({
      reopened: expected.reopened,
      resolved: expected.resolved,
      rate: expected.reopened / expected.resolved,
    });
    const ranked = Object.entries(expected.byCategory)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, 3);
    expect(report.dominantCategories).toEqual(
      ranked.map(([category, tickets]) => ({ category, tickets, share: tickets / expected.volume })),
    );
    expect(report.csat).toMatchObject({ mean: null, responses: 0, responseRate: 0 });
  });

  it('gives the backlog by status and age band, as of now', async () => {
    // Act
    const report = await summaryReport(reportDeps, reader, whole);

    // Assert
    const open = plans.filter((plan) => !plan.resolve);
    const age = (plan: Plan) => (END - plan.createdAt) / DAY;
    expect(report.backlog!.total).toBe(open.length);
    expect(report.backlog!.byAge).toEqual({
      '<1d': 0,
      '1-3d': open.filter((plan) => age(plan) >= 1 && age(plan) < 3).length,
      '3-7d': open.filter((plan) => age(plan) >= 3 && age(plan) < 7).length,
      '7-14d': open.filter((plan) => age(plan) >= 7 && age(plan) < 14).length,
      '14-30d': open.filter((plan) => age(plan) >= 14 && age(plan) < 30).length,
      '>=30d': 0,
    });
    expect(Object.values(report.backlog!.byStatus).reduce((a, b) => a + b, 0)).toBe(open.length);
  });

  it('counts only the dates of the range, and only the team asked for', async () => {
    // Act
    const tuesday = await summaryReport(reportDeps, reader, { from: '2026-02-03', to: '2026-02-03' });
    const itSupport = await summaryReport(reportDeps, reader, { ...whole, team: 'it-support' });

    // Assert
    const onTuesday = truth(plans, (ms) => localDate(ms) === '2026-02-03');
    expect(tuesday.volume.total).toBe(onTuesday.volume);
    expectDurations(tuesday.firstResponse.wallClock, onTuesday.frWall);
    expect(tuesday.resolution.resolved).toBe(onTuesday.resolved);
    const team = truth(plans, all, 'it-support');
    expect(itSupport.volume).toMatchObject({ total: team.volume, byCategory: team.byCategory, byTeam: { 'it-support': team.volume } });
    expectDurations(itSupport.resolution.business, team.resBiz);
    expect(itSupport.backlog!.total).toBe(plans.filter((plan) => !plan.resolve && plan.team === 'it-support').length);
  });

  it('writes the same figures as CSV, one per row under a fixed header', async () => {
    // Arrange
    const report = await summaryReport(reportDeps, reader, whole);

    // Act
    const csv = reportCsv(report);

    // Assert
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines.every((line) => line.split(',').length === 5)).toBe(true);
    expect(lines).toContain(`volume,total,,tickets,${report.volume.total}`);
    expect(lines).toContain(`first_response,business,,median_ms,${report.firstResponse.business.medianMs}`);
    expect(lines).toContain(`sla,firstResponse,,compliance,${report.sla.firstResponse.compliance}`);
    expect(lines).toContain('csat,total,,mean,');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

describe('summary report: the knowledge base', () => {
  it('shows deflection on the request form and the answer bot for the desk, and nothing for a team', async () => {
    // Arrange
    const deps = testDeps();
    const stats = new InMemoryStats(deps.tickets);
    const add = (date: string, counters: Record<string, number>) => stats.applyOnce(`kb-${date}`, { date, keys: ['ALL#kb'], counters });
    await add('2026-02-02', { kbSuggestionsShown: 6, kbArticlesSuggested: 10, kbArticlesOpened: 4, kbRequestsWithdrawn: 2 });
    await add('2026-02-03', {
      kbSuggestionsShown: 2,
      chatConversations: 3,
      chatMessages: 9,
      chatAnswers: 4,
      chatHandoffs: 1,
      chatTickets: 1,
    });
    const reportDeps = { stats, config: testConfig, clock: deps.clock };

    // Act
    const report = await summaryReport(reportDeps, reader, { from: '2026-02-01', to: '2026-02-28' });
    const team = await summaryReport(reportDeps, reader, { from: '2026-02-01', to: '2026-02-28', team: 'it-support' });

    // Assert
    expect(report.knowledgeBase).toEqual({
      deflection: { suggestionsShown: 8, articlesOpened: 4, requestsWithdrawn: 2, rate: 0.25 },
      chat: { conversations: 3, messages: 9, answered: 4, handoffs: 1, tickets: 1, answerRate: 0.8 },
    });
    expect(reportCsv(report).split('\r\n')).toContain('knowledge_base,deflection,,rate,0.25');
    expect(team.knowledgeBase).toBeNull();
  });

  it('has no rates before anything was shown or asked', async () => {
    // Arrange
    const deps = testDeps();
    const reportDeps = { stats: new InMemoryStats(deps.tickets), config: testConfig, clock: deps.clock };

    // Act
    const report = await summaryReport(reportDeps, reader, { from: '2026-02-01', to: '2026-02-01' });

    // Assert
    expect(report.knowledgeBase?.deflection.rate).toBeNull();
    expect(report.knowledgeBase?.chat.answerRate).toBeNull();
  });
});

describe('summary report: tags and report fields', () => {
  it('counts the tickets of one tag or one room, shows tickets by room, and puts both in the CSV', async () => {
    // Arrange: three tickets, one filed in the hall, one given the hall and a tag later, one resolved with the tag.
    const deps = testDeps({ now: '2026-02-02T02:00:00.000Z' });
    const stats = new InMemoryStats(deps.tickets);
    const folded = new Set<string>();
    const fold = async () => {
      for (const ticket of deps.tickets.all())
        for (const event of deps.tickets.historyOf(ticket.id))
          if (!folded.has(event.id)) {
            folded.add(event.id);
            await recordStats({ store: stats, config: testConfig, clock: deps.clock }, event);
          }
    };
    await createTicket(deps, alice, { subject: 'AC aula bocor', description: '', channel: 'web', fields: { ruang: 'aula' } });
    const later = await createTicket(deps, alice, { subject: 'Wifi mati', description: '', channel: 'web' });
    const third = await createTicket(deps, bob, { subject: 'Printer rusak', description: '', channel: 'web' });
    deps.clock.advance(HOUR);
    await updateTicket(deps, ivan, later.ticket.id, { fields: { ruang: 'aula' }, tags: ['ujian'] });
    await updateTicket(deps, ivan, third.ticket.id, { tags: ['ujian'] });
    deps.clock.advance(HOUR);
    await updateTicket(deps, ivan, third.ticket.id, { status: 'resolved' });
    await fold();
    const reportDeps = { stats, config: testConfig, clock: deps.clock };
    const range = { from: '2026-02-01', to: '2026-02-28' };

    // Act
    const desk = await summaryReport(reportDeps, admin, range);
    const byTag = await summaryReport(reportDeps, admin, { ...range, tag: 'ujian' });
    const byRoom = await summaryReport(reportDeps, admin, { ...range, field: 'ruang:aula' });

    // Assert
    expect(desk.volume.byField).toEqual({ ruang: { aula: 2 } });
    expect(byTag).toMatchObject({ tag: 'ujian', field: null, volume: { total: 2 }, resolution: { resolved: 1 }, backlog: null });
    expect(byRoom).toMatchObject({ field: 'ruang:aula', volume: { total: 2 }, resolution: { resolved: 0 }, knowledgeBase: null });
    const lines = reportCsv(desk).split('\r\n');
    expect(lines).toContain('volume,field.ruang,aula,tickets,2');
    expect(reportCsv(byTag).split('\r\n')).toEqual(expect.arrayContaining(['report,tag,,tag,ujian']));
    expect(reportCsv(byTag)).not.toContain('backlog,');
  });
});

describe('summary report: what it refuses', () => {
  const deps = testDeps();
  const reportDeps = { stats: new InMemoryStats(deps.tickets), config: testConfig, clock: deps.clock };
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
    return error;
  };

  it('refuses requesters and agents (403): reports are for leads and admins', async () => {
    for (const caller of [alice, ivan])
      expect((await refusal(summaryReport(reportDeps, caller, { from: '2026-02-01', to: '2026-02-02' }))).kind).toBe('forbidden');
  });

  it('refuses a backwards range and one over 366 days (400), naming `to`', async () => {
    const backwards = await refusal(summaryReport(reportDeps, admin, { from: '2026-02-02', to: '2026-02-01' }));
    const tooLong = await refusal(summaryReport(reportDeps, admin, { from: '2025-01-01', to: '2026-01-02' }));
    expect([backwards.kind, tooLong.kind]).toEqual(['validation', 'validation']);
    expect(backwards.details.errors?.[0]?.path).toBe('to');
    expect(tooLong.details.errors?.[0]?.message).toContain('367 days');
  });

  it('accepts exactly 366 days', async () => {
    const report = await summaryReport(reportDeps, admin, { from: '2024-01-01', to: '2024-12-31' });
    expect(report.days).toBe(366);
  });

  it('refuses two filters at once, and a field that is not a report field or a value not on its list (400)', async () => {
    const range = { from: '2026-02-01', to: '2026-02-02' };
    const both = await refusal(summaryReport(reportDeps, admin, { ...range, team: 'it-support', tag: 'ujian' }));
    expect(both.details.errors).toEqual([{ path: 'tag', message: 'cannot be combined with team: filter by one of team, tag and field' }]);
    const notReported = await refusal(summaryReport(reportDeps, admin, { ...range, field: 'nisn:0012345678' }));
    expect(notReported.details.errors).toEqual([{ path: 'field', message: 'must name a report field: ruang' }]);
    const badValue = await refusal(summaryReport(reportDeps, admin, { ...range, field: 'ruang:dapur' }));
    expect(badValue.details.errors).toEqual([{ path: 'field', message: 'must name a value of ruang: lab-1, aula' }]);
  });

  it('answers 404 for a team that is not configured', async () => {
    expect((await refusal(summaryReport(reportDeps, admin, { from: '2026-02-01', to: '2026-02-02', team: 'nope' }))).kind).toBe(
      'not-found',
    );
  });
});
