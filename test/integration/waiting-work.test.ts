// Nothing waiting is lost (issue 11): what the sandbox's queues, dead-letter queues and bus hold when it
// stops is there after the next start and done once; `npm run redrive` moves dead letters back. Its own
// sandbox, restarted on the same directory, with short visibility timeouts so a failing send dead-letters
// in seconds.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFor } from './api-client.ts';
import { sentMails } from './mail-viewer.ts';
import { recentDays } from './report-range.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess, TS_NODE_ARGS } from './sandbox-process.ts';
import { queueIdle, waitFor } from './wait-for.ts';

const dir = sandboxDir('helpdesk-waiting-');
const ENV = { QUEUE_TIME_SCALE: '0.01' };
let sandbox: SandboxProcess | undefined;

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** `npm run redrive -- <args>` against the sandbox running from the test's directory. */
const runRedrive = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [...TS_NODE_ARGS, 'sandbox/redrive.ts', ...args], {
      env: { ...process.env, SANDBOX_DIR: dir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

describe('work waiting when the sandbox stops', () => {
  it('is done once after the next start: bus deliveries, and dead letters kept until npm run redrive moves them back', async () => {
    // Arrange: SES down, so the first ticket's acknowledgement fails until it is dead-lettered; then SQS down,
    // so the next tickets' events wait in the bus
    sandbox = await startSandboxProcess(dir, ENV);
    let api = clientFor(sandbox.url);
    const health = async () => (await api.call('/_local/health')).body;
    const requesters = await Promise.all(
      ['eka', 'fajar', 'gita'].map((sub) => api.tokenFor({ sub, name: sub, email: `${sub}@example.org`, groups: ['requester'] })),
    );
    const file = async (token: string, subject: string) =>
      (await api.call('/tickets', { method: 'POST', token, body: { subject } })).body as { id: string; number: number };
    await api.call('/_local/emulators/ses', { method: 'POST', body: { running: false } });
    const deadLettered = await file(requesters[0]!, 'Proyektor aula tidak menyala');
    // Its acknowledgement (and its assignee's mail, if they have an address) dead-lettered, nothing left to try
    const dead = (await waitFor(health, (h) => h.emulators.sqs.deadLetters.notify >= 1 && queueIdle(h.emulators.sqs.queues.notify), 45_000))
      .emulators.sqs.deadLetters.notify as number;
    await api.call('/_local/emulators/sqs', { method: 'POST', body: { running: false } });
    const waiting = [await file(requesters[1]!, 'Wi-Fi di perpustakaan mati'), await file(requesters[2]!, 'Lupa password e-Rapor')];
    await waitFor(health, (h) => h.emulators.eventbridge.retryingDeliveries >= 6);
    const lead = await api.tokenFor({ sub: 'rina', groups: ['lead'] });
    // The whole desk's figures are an administrator's (a lead reads their teams').
    const admin = await api.tokenFor({ sub: 'root', groups: ['admin'] });

    // Act: Ctrl-C with all that waiting, and start again on the same directory (SES and SQS up)
    const stopped = await sandbox.stop();
    sandbox = await startSandboxProcess(dir, ENV);
    api = clientFor(sandbox.url);
    const sesEndpoint = (await health()).emulators.ses.endpoint as string;
    const ticket = async (id: string) => (await api.call(`/tickets/${id}`, { token: lead })).body as { assignee: string | null };
    const acknowledgements = async (number: number) =>
      (await sentMails(sesEndpoint)).filter((mail) => mail.subject.startsWith(`[#${number}] Tiket diterima`)).length;
    const routed = await waitFor(
      () => Promise.all(waiting.map((created) => ticket(created.id))),
      (tickets) => tickets.every((t) => t.assignee !== null),
      60_000,
    );
    await waitFor(
      () => Promise.all(waiting.map((created) => acknowledgements(created.number))),
      (counts) => counts.every((count) => count === 1),
      60_000,
    );
    const beforeRedrive = await health();
    const redriven = await runRedrive(['--queue', 'notify']);
    await waitFor(
      () => acknowledgements(deadLettered.number),
      (count) => count === 1,
      60_000,
    );
    const settled = await waitFor(health, (h) => queueIdle(h.emulators.sqs.queues.notify) && h.status === 'ok', 60_000);
    const report = await waitFor(
      async () => (await api.call(`/reports/summary?${recentDays(settled.now)}`, { token: admin })).body,
      (r) => r.volume?.total === 3,
      30_000,
    );

    // Assert: stopped cleanly, and said what it picked up again
    expect(stopped.code).toBe(0);
    expect(sandbox.output()).toMatch(new RegExp(`picked up what was waiting: .*consumers-dlq ${dead}.*bus deliveries`));
    // The bus's deliveries: routed and acknowledged exactly once
    expect(routed.every((t) => t.assignee !== null)).toBe(true);
    for (const created of waiting) expect(await acknowledgements(created.number)).toBe(1);
    // The dead letter was still there, and health said so and how to move it back
    expect(beforeRedrive.status).toBe('degraded');
    expect(beforeRedrive.emulators.sqs.deadLetters.notify).toBe(dead);
    expect(beforeRedrive.problems).toContain(
      `consumers-dlq holds ${dead} message(s) of notify: fix the cause, then npm run redrive -- --queue notify`,
    );
    // npm run redrive moved it; the acknowledgement went out once, and the desk is well again
    expect(redriven.code).toBe(0);
    expect(redriven.stdout).toContain(`consumers-dlq → notify (the sandbox): moved ${dead} of ${dead} message(s) of notify, COMPLETED.`);
    expect(await acknowledgements(deadLettered.number)).toBe(1);
    expect(settled.emulators.sqs.deadLetters.notify).toBe(0);
    expect(settled.problems).toEqual([]);
    expect(report.volume.total).toBe(3);
  }, 300_000);

  it('redrive says what is wrong with its arguments, and that an empty dead-letter queue has nothing to move', async () => {
    // Act
    const unknown = await runRedrive(['--queue', 'nope']);
    const empty = await runRedrive(['--queue', 'routing']);

    // Assert
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'redrive: --queue must be one of routing, notify, retention, stats, chat, webhooks, exports, search, incidents, not "nope"',
    );
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('consumers-dlq (the sandbox) holds nothing of routing: nothing to move.');
  }, 60_000);

  it("keeps each queue's dead letters apart in the shared dead-letter queues: a redrive takes back the named queue's only", async () => {
    // Arrange: a message neither consumer can read, on a polled queue (routing) and on a Lambda-invoked one's
    // local queue (retention); each is dead-lettered after its tries (5 and 3)
    const api = clientFor(sandbox!.url);
    const health = async () => (await api.call('/_local/health')).body;
    const endpoint = (await health()).emulators.sqs.endpoint as string;
    const sqs = new SQSClient({ endpoint, region: 'ap-southeast-3', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    for (const queue of ['routing', 'retention'])
      await sqs.send(new SendMessageCommand({ QueueUrl: `${endpoint}/000000000000/${queue}`, MessageBody: 'not an event' }));
    sqs.destroy();
    // Counted as dead letters once moved, and visible in their dead-letter queues a moment later.
    const deadLettered = await waitFor(
      health,
      (h) =>
        h.emulators.sqs.deadLetters.routing === 1 &&
        h.emulators.sqs.deadLetters.retention === 1 &&
        h.emulators.sqs.queues['consumers-dlq'].visible === 1 &&
        h.emulators.sqs.queues['invocations-dlq'].visible === 1,
      60_000,
    );

    // Act
    const retention = await runRedrive(['--queue', 'retention']);
    const afterRetention = await health();
    const routing = await runRedrive(['--queue', 'routing']);
    // Back on their own queues, they fail there again and return to the dead-letter queues
    const again = await waitFor(
      health,
      (h) => h.emulators.sqs.deadLetters.routing === 1 && h.emulators.sqs.deadLetters.retention === 1,
      60_000,
    );

    // Assert
    expect(deadLettered.emulators.sqs.queues['consumers-dlq'].visible).toBe(1);
    expect(deadLettered.emulators.sqs.queues['invocations-dlq'].visible).toBe(1);
    expect(deadLettered.problems).toContain(
      'invocations-dlq holds 1 message(s) of retention: fix the cause, then npm run redrive -- --queue retention',
    );
    expect(retention.stdout).toContain('invocations-dlq → retention (the sandbox): moved 1 of 1 message(s) of retention, COMPLETED.');
    // The routing dead letter was left where it was
    expect(afterRetention.emulators.sqs.deadLetters.routing).toBe(1);
    expect(routing.stdout).toContain('consumers-dlq → routing (the sandbox): moved 1 of 1 message(s) of routing, COMPLETED.');
    expect(again.emulators.sqs.queues.routing.retries + again.emulators.sqs.queues.retention.retries).toBeGreaterThanOrEqual(
      deadLettered.emulators.sqs.queues.routing.retries + deadLettered.emulators.sqs.queues.retention.retries + 2,
    );
  }, 120_000);
});
