// The business metrics as CloudWatch reads them: the EMF lines Powertools prints (namespace, dimensions,
// metric names and units), captured from the console. Timings are checked for presence and unit, not value.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BUSINESS_METRICS,
  emitCounted,
  emitCsatRating,
  emitSlaEvents,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
} from '#shared/business-metrics.ts';
import { recordStats } from '#shared/domain/reports/stats.ts';
import { checkSla, SLA_ACTOR } from '#shared/domain/sla/check-sla.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';
import { startSla } from '#shared/domain/sla/sla.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { admin, alice } from '#test/fixtures/identities.ts';
import { InMemoryStats } from '#test/fixtures/in-memory-stats.ts';
import { wibIso } from '#test/fixtures/sla.ts';
import { testConfig } from '#test/fixtures/test-config.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

type Emf = {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
};

let lines: Emf[] = [];
let metrics: Metrics;

beforeEach(() => {
  // The suite disables metrics (vitest.config.ts); this file turns them on and reads the console instead.
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_DEV', 'true');
  lines = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
    lines.push(JSON.parse(String(line)) as Emf);
  });
  metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** Every metric in the captured lines, with its unit, value and dimensions. */
const emitted = () =>
  lines.flatMap((line) =>
    line._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.map((metric) => ({
        namespace: directive.Namespace,
        name: metric.Name,
        unit: metric.Unit,
        value: line[metric.Name],
        dimensions: Object.fromEntries(directive.Dimensions.flat().map((dimension) => [dimension, line[dimension]])),
      })),
    ),
  );

describe('what the stats consumer counted: first-response and resolution times', () => {
  it('emits the wall-clock durations the counted event carries, in seconds, with the priority as the only extra dimension (business time stays in the reports)', () => {
    emitCounted(
      metrics,
      {
        resolved: 1,
        resWallCount: 1,
        resWallSum: 7_200_000,
        resBizCount: 1,
        resBizSum: 3_600_000,
        frWallCount: 1,
        frWallSum: 60_000,
        frBizCount: 1,
        frBizSum: 30_000,
      },
      { type: 'StatusChanged', ticket: { priority: 'high', channel: 'web' } },
    );
    const names = emitted()
      .map((metric) => metric.name)
      .sort();
    expect(names).toEqual([BUSINESS_METRICS.firstResponseTime, BUSINESS_METRICS.resolutionTime].sort());
    for (const metric of emitted()) {
      expect(metric).toMatchObject({ namespace: 'Helpdesk', unit: 'Seconds', dimensions: { service: 'helpdesk', priority: 'high' } });
      expect(metric.value).toEqual(expect.any(Number));
    }
  });

  it('from what recordStats counted: the new ticket and its first public staff reply emit TicketCreated and the first-response times, a replay nothing', async () => {
    const deps = testDeps({ now: wibIso('2026-03-02 09:00') });
    const stats = new InMemoryStats(deps.tickets);
    const { ticket } = await createTicket(deps, alice, { subject: 'Wi-Fi di lab mati', description: '', channel: 'web' });
    deps.clock.set(wibIso('2026-03-02 10:00'));
    await addComment(deps, admin, ticket.id, { body: 'Sedang kami cek.', visibility: 'public' });
    const fold = async () => {
      for (const event of deps.tickets.historyOf(ticket.id)) {
        const result = await recordStats({ store: stats, config: testConfig, clock: deps.clock }, event);
        if (result.outcome === 'counted') emitCounted(metrics, result.counters, event);
      }
    };

    await fold();
    expect(
      emitted()
        .map((metric) => metric.name)
        .sort(),
    ).toEqual([BUSINESS_METRICS.firstResponseTime, BUSINESS_METRICS.ticketCreated]);
    expect(emitted().map((metric) => metric.dimensions)).toEqual([
      { service: 'helpdesk', channel: 'web' },
      { service: 'helpdesk', priority: ticket.priority },
    ]);

    lines = [];
    await fold();
    expect(lines).toEqual([]);
  });

  it('emits nothing for an event without durations (a warning)', () => {
    emitCounted(metrics, { warned_firstResponse: 1 }, { type: 'SlaWarning', ticket: { priority: 'low', channel: 'web' } });
    expect(lines).toEqual([]);
  });

  it('emits only the durations present (a resolution whose business time is unknown)', () => {
    emitCounted(
      metrics,
      { resolved: 1, resWallCount: 1, resWallSum: 1000 },
      { type: 'StatusChanged', ticket: { priority: 'medium', channel: 'web' } },
    );
    expect(emitted().map((metric) => metric.name)).toEqual([BUSINESS_METRICS.resolutionTime]);
  });
});

describe('SLA warnings, breaches and escalations (check-sla)', () => {
  it('counts what one run recorded by type, with no extra dimension, and sends nothing for a type it did not record', () => {
    emitSlaEvents(metrics, { SlaWarning: 2, SlaBreached: 1 });
    metrics.publishStoredMetrics();
    const byName = Object.fromEntries(emitted().map((metric) => [metric.name, metric]));
    expect(Object.keys(byName).sort()).toEqual(['SlaBreached', 'SlaWarning']);
    expect(byName.SlaWarning).toMatchObject({ unit: 'Count', value: 2, dimensions: { service: 'helpdesk' } });
    expect(byName.SlaBreached).toMatchObject({ unit: 'Count', value: 1, dimensions: { service: 'helpdesk' } });
  });

  it("sends nothing at all for a run that recorded nothing (the desk's usual minute)", () => {
    emitSlaEvents(metrics, {});
    metrics.publishStoredMetrics();
    expect(emitted()).toEqual([]);
  });

  it("checkSla reports the events it wrote by type, matching the ticket's history", async () => {
    const deps = testDeps({ config: testConfig });
    deps.tickets.seed(
      aTicket({
        id: '01HZZZZZZZZZZZZZZZZZZZZZZ1',
        status: 'open',
        category: 'other',
        team: 'helpdesk',
        tier: 'first-line',
        assignee: 'hana',
        sla: startSla(testConfig, organisationCalendars(testConfig), 'medium', new Date(T0)),
      }),
    );
    const result = await checkSla(deps, new Date(Date.parse(T0) + 30 * 24 * 3_600_000));
    const written = deps.tickets
      .historyOf('01HZZZZZZZZZZZZZZZZZZZZZZ1')
      .filter((event) => event.actor.id === SLA_ACTOR.id)
      .reduce<Record<string, number>>((counts, event) => {
        counts[event.type] = (counts[event.type] ?? 0) + 1;
        return counts;
      }, {});
    expect(result.recorded).toEqual(written);
    expect(result.recorded.SlaBreached).toBeGreaterThan(0);
    expect(result.events).toBe(Object.values(written).reduce((sum, count) => sum + count, 0));
  });
});

describe('new tickets (stats consumer)', () => {
  it('counts one ticket by its channel, the only extra dimension, whichever way it was filed', () => {
    emitCounted(metrics, { created: 1 }, { type: 'TicketCreated', ticket: { priority: 'low', channel: 'chat' } });
    expect(emitted()).toEqual([
      { namespace: 'Helpdesk', name: 'TicketCreated', unit: 'Count', value: 1, dimensions: { service: 'helpdesk', channel: 'chat' } },
    ]);
  });

  it('leaves mail to InboundMailCreated, and does not count a tag or a report field added as a new ticket', () => {
    emitCounted(metrics, { created: 1 }, { type: 'TicketCreated', ticket: { priority: 'low', channel: 'email' } });
    emitCounted(metrics, { created: 1 }, { type: 'TagsChanged', ticket: { priority: 'low', channel: 'web' } });
    emitCounted(metrics, { created: 1 }, { type: 'FieldsChanged', ticket: { priority: 'low', channel: 'web' } });
    expect(lines).toEqual([]);
  });
});

describe('CSAT', () => {
  it('emits the rating under the documented name, unit None, no extra dimension', () => {
    emitCsatRating(metrics, 4);
    metrics.publishStoredMetrics();
    expect(emitted()).toEqual([{ namespace: 'Helpdesk', name: 'CsatRating', unit: 'None', value: 4, dimensions: { service: 'helpdesk' } }]);
  });
});
