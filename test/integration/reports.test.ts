// Reports through a sandbox of their own: a small history filed through the API, the stats consumer fed
// by the stream and the bus, then GET /reports/summary as JSON and CSV, and what it refuses.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from './api-client.ts';
import { sentMails } from './mail-viewer.ts';
import { recentDays } from './report-range.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from './sandbox-process.ts';
import { queueIdle, waitFor } from './wait-for.ts';

let sandbox: SandboxProcess;
let dir: string;

beforeAll(async () => {
  dir = sandboxDir('helpdesk-reports-');
  sandbox = await startSandboxProcess(dir);
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Health = {
  now: string;
  emulators: { sqs: { queues: Record<string, { visible: number; inFlight: number }> }; eventbridge: { pendingDeliveries: number } };
};

const health = async () => (await (await fetch(`${sandbox.url}/_local/health`)).json()) as Health;

/** Until the stats queue is empty and the report shows what was filed (the stream and the bus run first). */
const settled = (check: () => Promise<boolean>) =>
  waitFor(
    async () => {
      const state = await health();
      const stats = state.emulators.sqs.queues.stats!;
      return queueIdle(stats) && state.emulators.eventbridge.pendingDeliveries === 0 && (await check());
    },
    (drained) => drained,
  );

describe('GET /reports/summary through the sandbox', () => {
  it('reports a small history filed through the API, as JSON and as CSV', async () => {
    // Arrange: four tickets in two categories; two answered, one of them resolved, reopened and resolved again.
    const { tokenFor, call } = clientFor(sandbox.url);
    const ani = await tokenFor({ sub: 'ani', name: 'Ani', groups: ['requester'] });
    const budi = await tokenFor({ sub: 'budi', name: 'Budi', groups: ['agent'], teams: ['it-support'] });
    // The whole desk's figures are an administrator's; a lead reads the teams they lead.
    const lead = await tokenFor({ sub: 'root', name: 'Root', groups: ['admin'] });
    const file = async (subject: string, category: string) =>
      (await call('/tickets', { method: 'POST', token: ani, body: { subject, category, channel: 'web' } })).body.id as string;
    const first = await file('Wi-Fi lab mati', 'network');
    const second = await file('Printer macet', 'hardware');
    await file('Internet lambat', 'network');
    await file('Proyektor rusak', 'hardware');
    for (const id of [first, second])
      expect(
        (await call(`/tickets/${id}/comments`, { method: 'POST', token: budi, body: { body: 'Kami cek.', visibility: 'public' } })).status,
      ).toBe(201);
    const patch = (id: string, who: string, status: string) => call(`/tickets/${id}`, { method: 'PATCH', token: who, body: { status } });
    expect((await patch(first, budi, 'resolved')).status).toBe(200);
    expect((await patch(first, ani, 'open')).status).toBe(200);
    expect((await patch(first, budi, 'resolved')).status).toBe(200);
    const path = `/reports/summary?${recentDays((await health()).now)}`;

    // Act
    let report: any;
    await settled(async () => {
      report = (await call(path, { token: lead })).body;
      return report.volume?.total === 4 && report.firstResponse.business.count === 2 && report.resolution.resolved === 2;
    });
    const csv = await fetch(`${sandbox.url}${path}&team=it-support`, { headers: { authorization: `Bearer ${lead}`, accept: 'text/csv' } });

    // Assert
    expect(report.volume).toMatchObject({
      total: 4,
      byCategory: { network: 2, hardware: 2 },
      byChannel: { web: 4 },
      byTeam: { 'it-support': 4 },
    });
    expect(report.firstResponse.wallClock.count).toBe(2);
    expect(report.reopen).toEqual({ reopened: 1, resolved: 2, rate: 0.5 });
    expect(report.sla.firstResponse).toEqual({ met: 2, missed: 0, compliance: 1 });
    expect(report.backlog.total).toBe(3);
    expect(report.dominantCategories.map((entry: { category: string }) => entry.category).sort()).toEqual(['hardware', 'network']);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,dimension,key,metric,value');
    expect(lines).toContain('volume,total,,tickets,4');
    expect(lines).toContain('report,team,,team,it-support');
  });

  it('refuses a backwards range and one over 366 days (400), an unknown team (404), requesters and agents (403)', async () => {
    // Arrange
    const { tokenFor, call } = clientFor(sandbox.url);
    const admin = await tokenFor({ sub: 'root', name: 'Root', groups: ['admin'] });
    const requester = await tokenFor({ sub: 'ani', name: 'Ani', groups: ['requester'] });
    const agent = await tokenFor({ sub: 'budi', name: 'Budi', groups: ['agent'], teams: ['it-support'] });

    // Act
    const backwards = await call('/reports/summary?from=2026-03-02&to=2026-03-01', { token: admin });
    const tooLong = await call('/reports/summary?from=2025-01-01&to=2026-01-02', { token: admin });
    const notADate = await call('/reports/summary?from=2026-02-30&to=2026-03-01', { token: admin });
    const unknownTeam = await call('/reports/summary?from=2026-03-01&to=2026-03-02&team=nope', { token: admin });
    const asRequester = await call('/reports/summary?from=2026-03-01&to=2026-03-02', { token: requester });
    const asAgent = await call('/reports/summary?from=2026-03-01&to=2026-03-02', { token: agent });

    // Assert
    expect([backwards.status, tooLong.status, notADate.status, unknownTeam.status, asRequester.status, asAgent.status]).toEqual([
      400, 400, 400, 404, 403, 403,
    ]);
    expect(backwards.body.errors).toEqual([{ path: 'to', message: 'must not be before from (2026-03-02)' }]);
    expect(tooLong.body.errors[0].path).toBe('to');
    expect(notADate.body.errors[0].path).toBe('from');
  });

  it('GET /reports/forecast says when there is too little history, and refuses a bad horizon (400) and agents (403)', async () => {
    // Arrange: this sandbox's history is today's tickets only
    const { tokenFor, call } = clientFor(sandbox.url);
    const lead = await tokenFor({ sub: 'rina', name: 'Rina', groups: ['lead'], teams: ['helpdesk'] });
    const agent = await tokenFor({ sub: 'budi', name: 'Budi', groups: ['agent'], teams: ['it-support'] });

    // Act
    const forecast = await call('/reports/forecast?days=14&team=helpdesk', { token: lead });
    const tooFar = await call('/reports/forecast?days=61&team=helpdesk', { token: lead });
    const none = await call('/reports/forecast?days=0&team=helpdesk', { token: lead });
    const asAgent = await call('/reports/forecast', { token: agent });

    // Assert
    expect(forecast.status).toBe(200);
    expect(forecast.body).toMatchObject({ insufficientHistory: true, days: 14, team: 'helpdesk', history: { required: 21 } });
    expect(forecast.body).not.toHaveProperty('byCategory');
    expect([tooFar.status, none.status]).toEqual([400, 400]);
    expect(asAgent.status).toBe(403);
  });

  it('runs the weekly trend job: no trend in an empty history, and a digest to each lead through SES', async () => {
    // Arrange
    const { call } = clientFor(sandbox.url);
    const ses = (await call('/_local/health')).body.emulators.ses.endpoint as string;

    // Act
    const run = await fetch(`${sandbox.url}/_local/run/detect-trends`, { method: 'POST' });
    const result = (await run.json()) as { result: { trends: number; digests: number; week: { from: string; to: string } } };
    const mails = await sentMails(ses);

    // Assert
    expect(run.status).toBe(200);
    expect(result.result.trends).toBe(0);
    expect(result.result.digests).toBeGreaterThan(0);
    const digests = mails.filter((mail) => mail.subject.startsWith('Ringkasan mingguan helpdesk'));
    expect(digests).toHaveLength(result.result.digests);
    expect(digests[0]!.subject).toBe(`Ringkasan mingguan helpdesk ${result.result.week.from} s.d. ${result.result.week.to}`);
    expect(digests[0]!.body.text).toContain('Tidak ada kategori dengan volume yang tidak biasa');
  });
});
