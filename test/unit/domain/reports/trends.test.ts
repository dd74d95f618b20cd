// The weekly trend job: the z-score test computed here by hand, the threshold and minimum from the config,
// last week's bounds, one Query per day of 9 weeks, TrendDetected for each unusual category, and a digest
// for each lead in the organisation's language, escaped, with recommendations.
import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '#shared/domain/mail/notify-requester.ts';
import type { StatsReader, StatsRow } from '#shared/domain/reports/reports.ts';
import {
  composeDigest,
  detectTrends,
  type TrendEvent,
  trendDirection,
  trendReport,
  weeklyTest,
  weeksBefore,
} from '#shared/domain/reports/trends.ts';
import { admin, ivan, sari } from '#test/fixtures/identities.ts';
import { InMemoryStaffDirectory } from '#test/fixtures/staff.ts';
import { testConfig, testConfigWith } from '#test/fixtures/test-config.ts';

const settings = { threshold: 3, minTickets: 5, weeks: 8 };

describe('the weekly test', () => {
  it('is z = (x − mean) / sample sd of the weeks before', () => {
    // Arrange: mean 10, deviations ±2 → sample variance 8·4/7
    const history = [8, 12, 8, 12, 8, 12, 8, 12];

    // Act
    const test = weeklyTest(20, history);

    // Assert
    const sd = Math.sqrt((8 * 4) / 7);
    expect(test.mean).toBe(10);
    expect(test.sd).toBeCloseTo(sd, 12);
    expect(test.sigma).toBeCloseTo(Math.max(sd, Math.sqrt(10)), 12);
    expect(test.z).toBeCloseTo((20 - 10) / Math.max(sd, Math.sqrt(10)), 12);
  });

  it('never divides by less than Poisson noise (√mean) nor by less than 1', () => {
    // Act
    const flat = weeklyTest(30, [16, 16, 16, 16, 16, 16, 16, 16]);
    const empty = weeklyTest(4, [0, 0, 0, 0, 0, 0, 0, 0]);

    // Assert
    expect(flat.sigma).toBe(4);
    expect(flat.z).toBe(3.5);
    expect(empty.sigma).toBe(1);
    expect(empty.z).toBe(4);
  });

  it.each([
    ['a rise at the threshold', 30, [16, 16, 16, 16, 16, 16, 16, 16], undefined, 'rise'],
    ['a rise just under it', 27, [16, 16, 16, 16, 16, 16, 16, 16], undefined, undefined],
    ['a rise from almost nothing, under minTickets', 4, [0, 0, 0, 0, 0, 0, 0, 0], undefined, undefined],
    ['a fall', 2, [16, 16, 16, 16, 16, 16, 16, 16], undefined, 'fall'],
    ['a rise under a lower threshold', 27, [16, 16, 16, 16, 16, 16, 16, 16], 2, 'rise'],
  ] as const)('%s', (_, count, history, threshold, expected) => {
    // Act
    const direction = trendDirection(weeklyTest(count, history), { ...settings, threshold: threshold ?? settings.threshold });

    // Assert
    expect(direction).toBe(expected);
  });

  it('compares last Monday–Sunday week with the 8 before it, in the organisation zone', () => {
    // Act: Monday 9 March 2026, 08:00 in Jakarta (01:00 UTC), and the Sunday before at 23:30 Jakarta
    const monday = weeksBefore(new Date('2026-03-09T01:00:00Z'), 'Asia/Jakarta', 8);
    const sunday = weeksBefore(new Date('2026-03-08T16:30:00Z'), 'Asia/Jakarta', 8);

    // Assert
    expect(monday).toEqual({ week: { from: '2026-03-02', to: '2026-03-08' }, historyFrom: '2026-01-05' });
    expect(sunday.week).toEqual({ from: '2026-02-23', to: '2026-03-01' });
  });
});

describe('the trend job', () => {
  const arrange = (config = testConfig) => {
    // 8 weeks of 20 network and 10 hardware tickets, then a week of 45 network and 10 hardware tickets.
    const reads: string[] = [];
    const weekOf = (date: string) => Math.floor((Date.parse(date) - Date.parse('2026-01-05')) / (7 * 86_400_000));
    const stats: StatsReader = {
      async readStatsDay(date, scope): Promise<StatsRow[]> {
        reads.push(`${scope} ${date}`);
        const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
        if (weekday > 4) return [];
        const network = weekOf(date) === 8 ? 9 : 4;
        return [
          { key: 'total', counters: { created: network + 2 } },
          { key: 'category#network', counters: { created: network } },
          { key: 'category#hardware', counters: { created: 2 } },
          { key: 'team#it-support', counters: { created: network + 2 } },
        ];
      },
      openTicketCreationTimes: async () => [],
      getTicket: async () => undefined,
    };
    const published: TrendEvent[] = [];
    const mails: OutgoingMail[] = [];
    const deps = {
      stats,
      publisher: { publish: async (events: TrendEvent[]) => void published.push(...events) },
      mailer: {
        send: async (mail: OutgoingMail) => {
          mails.push(mail);
          return { messageId: `m${mails.length}` };
        },
      },
      staff: new InMemoryStaffDirectory(),
      config,
      clock: { now: () => new Date('2026-03-09T01:00:00Z') },
    };
    return { deps, reads, published, mails };
  };

  it('reads one Query per day of the 9 weeks and publishes TrendDetected for the unusual category only', async () => {
    // Arrange
    const { deps, reads, published } = arrange();

    // Act
    const run = await detectTrends(deps);

    // Assert
    expect(reads).toHaveLength(63);
    expect(new Set(reads).size).toBe(63);
    expect(reads.every((read) => read.startsWith('ALL '))).toBe(true);
    expect(run.week).toEqual({ from: '2026-03-02', to: '2026-03-08' });
    // network: 45 against 8 × 20 → σ = max(0, √20, 1), z = 25 / √20
    expect(published).toEqual([
      {
        id: 'trend:2026-03-02:network',
        type: 'TrendDetected',
        at: '2026-03-09T01:00:00.000Z',
        week: { from: '2026-03-02', to: '2026-03-08' },
        category: 'network',
        direction: 'rise',
        count: 45,
        baseline: { weeks: 8, mean: 20, sd: 0 },
        z: Math.round((25 / Math.sqrt(20)) * 100) / 100,
        threshold: 3,
      },
    ]);
  });

  it('mails each lead in the staff directory once a digest in the organisation language with a recommendation', async () => {
    // Arrange
    const { deps, mails } = arrange();

    // Act
    await detectTrends(deps);

    // Assert
    expect(mails.map((mail) => mail.to).sort()).toEqual(['hana@uji.example', 'ivan@uji.example', 'sari@uji.example']);
    const mail = mails[0]!;
    expect(mail.kind).toBe('trend-digest');
    expect(mail.subject).toBe('Ringkasan mingguan helpdesk 2026-03-02 s.d. 2026-03-08');
    expect(mail.text).toContain('Minggu 2026-03-02 s.d. 2026-03-08: 55 tiket baru.');
    expect(mail.text).toContain('Jaringan: 45 tiket (biasanya 20, z = 5.6), naik.');
    expect(mail.text).toContain('basis pengetahuan');
    expect(mail.text).not.toContain('Perangkat Keras:');
    expect(mail.headers).toContainEqual({ name: 'Auto-Submitted', value: 'auto-generated' });
  });

  it('takes its threshold from the config: none at a threshold of 6', async () => {
    // Arrange
    const { deps, published, mails } = arrange(testConfigWith({ trends: { threshold: 6, minTickets: 5, weeks: 8 } }));

    // Act
    const run = await detectTrends(deps);

    // Assert
    expect(run.trends).toEqual([]);
    expect(published).toEqual([]);
    expect(mails[0]!.text).toContain('Tidak ada kategori dengan volume yang tidak biasa');
  });

  it('writes the digest in English, escaped in HTML', () => {
    // Arrange
    const config = testConfigWith({
      categories: testConfig.categories.map((category) =>
        category.id === 'network' ? { ...category, name: { id: 'Jaringan', en: '<b>Network</b>' } } : category,
      ),
    });
    const trend = {
      ...weeklyTest(45, [20, 20, 20, 20, 20, 20, 20, 20]),
      category: 'network',
      direction: 'rise' as const,
      history: [20, 20, 20, 20, 20, 20, 20, 20],
    };

    // Act
    const mail = composeDigest({
      to: { name: 'Ivan', email: 'ivan@uji.example' },
      language: 'en',
      week: { from: '2026-03-02', to: '2026-03-08' },
      total: 55,
      trends: [trend],
      config,
    });

    // Assert
    expect(mail.subject).toBe('Helpdesk weekly digest 2026-03-02 to 2026-03-08');
    expect(mail.text).toContain('knowledge-base article');
    expect(mail.html).toContain('&lt;b&gt;Network&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>Network</b>');
  });
});

describe('the dashboard’s trends', () => {
  const stats: StatsReader = {
    async readStatsDay(date): Promise<StatsRow[]> {
      const week = Math.floor((Date.parse(date) - Date.parse('2026-01-05')) / (7 * 86_400_000));
      const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
      if (weekday > 4) return [];
      // Network rises in the last week (and the one before: persistent); facilities falls away in it.
      const network = week === 8 ? 9 : week === 7 ? 7 : 4;
      const facilities = week === 8 ? 0 : 3;
      return [
        { key: 'total', counters: { created: network + facilities } },
        { key: 'category#network', counters: { created: network } },
        { key: 'category#facilities', counters: { created: facilities } },
      ];
    },
    openTicketCreationTimes: async () => [],
    getTicket: async () => undefined,
  };
  const deps = { stats, config: testConfig, clock: { now: () => new Date('2026-03-09T01:00:00Z') } };

  it('gives last week’s unusual categories with what to do about each, a team’s only for its lead', async () => {
    // Act
    const desk = await trendReport(deps, admin, {});
    const facilities = await trendReport(deps, sari, { team: 'sarpras' });

    // Assert
    expect(desk.week).toEqual({ from: '2026-03-02', to: '2026-03-08' });
    expect(desk.trends.map(({ category, direction, recommendation }) => ({ category, direction, recommendation }))).toEqual([
      { category: 'facilities', direction: 'fall', recommendation: 'check-intake' },
      { category: 'network', direction: 'rise', recommendation: 'problem-and-staff' },
    ]);
    expect(facilities).toMatchObject({ team: 'sarpras', trends: [{ category: 'facilities', count: 0, mean: 15 }] });
  });

  it('refuses an agent (403), a lead asking for another team (403 naming team), and a team that does not exist (404)', async () => {
    await expect(trendReport(deps, ivan, {})).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(trendReport(deps, sari, { team: 'it-support' })).rejects.toMatchObject({
      kind: 'forbidden',
      details: { errors: [{ path: 'team' }] },
    });
    await expect(trendReport(deps, admin, { team: 'kantin' })).rejects.toMatchObject({ kind: 'not-found' });
  });
});
