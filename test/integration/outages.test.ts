// The desk riding out a DynamoDB outage in the middle of a burst of new tickets (issue 11): requests made
// while it is down get 503 problem+json with Retry-After at once, the requesters try again with the same
// Idempotency-Key, and once DynamoDB Local is back every ticket is stored once, routed once, acknowledged once
// and counted. Then SQS and SES down and back during another burst, with the same ending. Its own sandbox, so
// the outages disturb no other file. (A restart with work waiting: waiting-work.test.ts.)
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from './api-client.ts';
import { sentMails } from './mail-viewer.ts';
import { recentDays } from './report-range.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from './sandbox-process.ts';
import { waitFor } from './wait-for.ts';

let sandbox: SandboxProcess;
let dir: string;
let api: ReturnType<typeof clientFor>;

beforeAll(async () => {
  dir = sandboxDir('helpdesk-outages-');
  sandbox = await startSandboxProcess(dir, { QUEUE_TIME_SCALE: '0.05' });
  api = clientFor(sandbox.url);
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const health = async () => (await api.call('/_local/health')).body;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('outages during a burst of new tickets', () => {
  it('DynamoDB down and back: 503 with Retry-After while it lasts, and afterwards every ticket is stored, routed, acknowledged and counted once', async () => {
    // Arrange: four requesters with addresses, three tickets each, filed as fast as they are answered
    const requesters = await Promise.all(
      ['hana', 'indra', 'joko', 'kartika'].map((sub) =>
        api.tokenFor({ sub, name: sub, email: `${sub}@example.org`, groups: ['requester'] }),
      ),
    );
    const lead = await api.tokenFor({ sub: 'rina', groups: ['lead'] });
    // The whole desk's figures are an administrator's (a lead reads their teams').
    const admin = await api.tokenFor({ sub: 'root', groups: ['admin'] });
    const refusals: { status: number; retryAfter: string | null; type: string }[] = [];
    /** Retry-After of each 409 "still being processed" (a key held by an attempt that died with the table). */
    const inProgress: (string | null)[] = [];
    let answered = 0;
    /** The sandbox clock, moved once past the idempotency lock (30 s) of an attempt that died with the table. */
    let lockRunOut: Promise<unknown> | undefined;
    /** A requester's client: tries again after a 503 or a 409 with the same key, as Retry-After invites (sooner here). */
    const file = async (token: string, key: string, subject: string) => {
      for (;;) {
        const response = await api.call('/tickets', { method: 'POST', token, headers: { 'idempotency-key': key }, body: { subject } });
        // 503 while DynamoDB is down; 409 with Retry-After while a first attempt that died mid-outage still
        // holds the key (until its lock expires): both say "the same request again, shortly".
        if (response.status !== 503 && response.status !== 409) {
          answered++;
          return response;
        }
        if (response.status === 503)
          refusals.push({ status: 503, retryAfter: response.headers.get('retry-after'), type: response.body.type });
        else {
          inProgress.push(response.headers.get('retry-after'));
          // Those 30 s pass on the sandbox clock rather than the test's (the retries' 409s are asserted below).
          lockRunOut ??= api.call('/_local/clock', { method: 'POST', body: { advance: 'PT31S' } });
          await lockRunOut;
        }
        await sleep(500);
      }
    };
    const burst = Promise.all(
      requesters.map(async (token, requester) => {
        const responses = [];
        for (let n = 0; n < 3; n++)
          responses.push(await file(token, `outage-${requester}-${n}`, `Printer ruang guru macet ${requester}-${n}`));
        return responses;
      }),
    );

    // Act: DynamoDB Local stopped once the burst has begun, and started again once requests were refused
    await waitFor(
      async () => answered,
      (count) => count >= 1,
    );
    const down = await api.call('/_local/emulators/dynamodb', { method: 'POST', body: { running: false } });
    const whileDown = await health();
    await waitFor(
      async () => refusals.length,
      (count) => count >= 4,
    );
    const up = await api.call('/_local/emulators/dynamodb', { method: 'POST', body: { running: true } });
    // An acknowledgement whose attempt died holding its claim while DynamoDB was down (giving it back failed too)
    // is sent once the claim's two-minute lock has run out (claim-store.ts, `notification`): those two minutes
    // pass on the sandbox clock as well. Fewer than the sweeper's few minutes, so it finds nothing stuck.
    await lockRunOut;
    await api.call('/_local/clock', { method: 'POST', body: { advance: 'PT2M' } });
    const responses = (await burst).flat();
    const ids = responses.map((response) => response.body.id as string);
    const numbers = responses.map((response) => response.body.number as number);
    const ticket = async (id: string) => (await api.call(`/tickets/${id}`, { token: lead })).body as { assignee: string | null };
    const routed = await waitFor(
      () => Promise.all(ids.map(ticket)),
      (tickets) => tickets.every((t) => t.assignee !== null),
      60_000,
    );
    const sesEndpoint = (await health()).emulators.ses.endpoint as string;
    const acknowledgements = async () => {
      const mails = await sentMails(sesEndpoint);
      return numbers.map((number) => mails.filter((mail) => mail.subject.startsWith(`[#${number}] Tiket diterima`)).length);
    };
    const acknowledged = await waitFor(acknowledgements, (counts) => counts.every((count) => count >= 1), 60_000);
    const settled = await waitFor(health, (h) => h.status === 'ok', 30_000);
    const report = await waitFor(
      async () => (await api.call(`/reports/summary?${recentDays(settled.now)}`, { token: admin })).body,
      (r) => r.volume?.total === 12,
      30_000,
    );

    // Assert: the switch worked, and health said DynamoDB was down
    expect([down.status, up.status]).toEqual([200, 200]);
    expect(whileDown.status).toBe('degraded');
    expect(whileDown.emulators.dynamodb.ok).toBe(false);
    // Refused quickly and honestly while down: 503, Retry-After, the service-unavailable problem
    for (const refusal of refusals)
      expect(refusal).toEqual({ status: 503, retryAfter: '5', type: 'urn:helpdesk:problem:service-unavailable' });
    // A key an attempt died holding is "still being processed", with a Retry-After too, until its lock runs out
    expect(inProgress.every((retryAfter) => retryAfter === '2')).toBe(true);
    // Afterwards: twelve tickets, each stored once (a retried key gives back the same ticket), routed, acknowledged once
    expect(responses.every((response) => response.status === 201)).toBe(true);
    expect(new Set(ids).size).toBe(12);
    expect(routed.every((t) => t.assignee !== null)).toBe(true);
    expect(acknowledged).toEqual(Array(12).fill(1));
    for (const id of ids) {
      const history = (await api.call(`/tickets/${id}/events`, { token: lead })).body.items as { type: string }[];
      expect(history.filter((event) => event.type === 'Assigned')).toHaveLength(1);
    }
    expect(report.volume.total).toBe(12);
  }, 240_000);

  it('SQS and SES down and back during a burst: every ticket routed once, acknowledged once and counted', async () => {
    // Arrange: what the first scenario left (twelve tickets counted)
    const lead = await api.tokenFor({ sub: 'rina', groups: ['lead'] });
    // The whole desk's figures are an administrator's (a lead reads their teams').
    const admin = await api.tokenFor({ sub: 'root', groups: ['admin'] });
    const requesters = await Promise.all(
      ['lestari', 'made', 'nanda', 'oki'].map((sub) =>
        api.tokenFor({ sub, name: sub, email: `${sub}@example.org`, groups: ['requester'] }),
      ),
    );
    const sesEndpoint = (await health()).emulators.ses.endpoint as string;
    const days = recentDays((await health()).now);
    const countedBefore = (await api.call(`/reports/summary?${days}`, { token: admin })).body.volume.total as number;

    // Act: SQS down while eight tickets are filed (the bus holds their events), SES down before SQS comes back
    // (the acknowledgements fail and wait on the notify queue), then SES back
    await api.call('/_local/emulators/sqs', { method: 'POST', body: { running: false } });
    const created = await Promise.all(
      Array.from(
        { length: 8 },
        async (_, index) =>
          (await api.call('/tickets', { method: 'POST', token: requesters[index % 4], body: { subject: `Absensi daring error ${index}` } }))
            .body as { id: string; number: number },
      ),
    );
    await waitFor(health, (h) => h.emulators.eventbridge.retryingDeliveries >= 8);
    await api.call('/_local/emulators/ses', { method: 'POST', body: { running: false } });
    await api.call('/_local/emulators/sqs', { method: 'POST', body: { running: true } });
    await waitFor(health, (h) => h.emulators.sqs.queues.notify.retries >= 1, 30_000);
    await api.call('/_local/emulators/ses', { method: 'POST', body: { running: true } });
    const routed = await waitFor(
      () =>
        Promise.all(created.map(async (t) => (await api.call(`/tickets/${t.id}`, { token: lead })).body as { assignee: string | null })),
      (tickets) => tickets.every((t) => t.assignee !== null),
      60_000,
    );
    const acknowledgements = async () => {
      const mails = await sentMails(sesEndpoint);
      return created.map((t) => mails.filter((mail) => mail.subject.startsWith(`[#${t.number}] Tiket diterima`)).length);
    };
    const acknowledged = await waitFor(acknowledgements, (counts) => counts.every((count) => count >= 1), 60_000);
    const settled = await waitFor(health, (h) => h.status === 'ok', 30_000);
    const report = await waitFor(
      async () => (await api.call(`/reports/summary?${days}`, { token: admin })).body,
      (r) => r.volume?.total === countedBefore + 8,
      30_000,
    );

    // Assert
    expect(routed.every((t) => t.assignee !== null)).toBe(true);
    for (const t of created) {
      const events = (await api.call(`/tickets/${t.id}/events`, { token: lead })).body.items as { type: string }[];
      expect(events.filter((event) => event.type === 'Assigned')).toHaveLength(1);
    }
    expect(acknowledged).toEqual(Array(8).fill(1));
    expect(settled.emulators.sqs.deadLetters.notify).toBe(0);
    expect(report.volume.total).toBe(countedBefore + 8);
  }, 180_000);

  it('queue consumers paused and resumed: a new ticket waits on the routing queue, unassigned, and is routed once they poll again', async () => {
    // Arrange
    const lead = await api.tokenFor({ sub: 'rina', groups: ['lead'] });
    const requester = await api.tokenFor({ sub: 'putri', groups: ['requester'] });
    const refused = await api.call('/_local/consumers', { method: 'POST', body: { running: 'no' } });

    // Act: paused, a ticket is filed; its routing message reaches the queue and stays there
    const paused = await api.call('/_local/consumers', { method: 'POST', body: { running: false } });
    const ticket = (await api.call('/tickets', { method: 'POST', token: requester, body: { subject: 'Proyektor ruang 12 mati' } }))
      .body as {
      id: string;
    };
    const waiting = await waitFor(health, (h) => h.emulators.sqs.queues.routing.visible >= 1);
    const whilePaused = (await api.call(`/tickets/${ticket.id}`, { token: lead })).body as { assignee: string | null };
    const resumed = await api.call('/_local/consumers', { method: 'POST', body: { running: true } });
    const routed = await waitFor(
      async () => (await api.call(`/tickets/${ticket.id}`, { token: lead })).body as { assignee: string | null },
      (t) => t.assignee !== null,
      30_000,
    );

    // Assert
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'running', message: 'must be true or false' }]);
    expect(paused.body).toEqual({ consumers: { running: false } });
    expect(waiting.status).toBe('degraded');
    expect(waiting.problems).toContain('the queue consumers are paused (POST /_local/consumers {"running": true} resumes them)');
    expect(waiting.emulators.sqs.consumers).toEqual({ running: false });
    expect(whilePaused.assignee).toBeNull();
    expect(resumed.body).toEqual({ consumers: { running: true } });
    expect(routed.assignee).not.toBeNull();
  }, 60_000);
});
