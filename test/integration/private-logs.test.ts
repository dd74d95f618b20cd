// A whole scenario in a sandbox whose functions log at DEBUG: filing, routing, replies, an internal note,
// mail to the requester, a bad request, a tracking-link read, closing. Nothing a person wrote and no
// address may appear in what the process prints.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from './api-client.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from './sandbox-process.ts';
import { queueIdle, waitFor } from './wait-for.ts';

let sandbox: SandboxProcess;
let dir: string;

beforeAll(async () => {
  dir = sandboxDir('helpdesk-logs-');
  // Queue visibility timeouts a twentieth of AWS's: a search re-index that lost a race to another consumer is
  // retried in seconds, so the queues empty within the test.
  sandbox = await startSandboxProcess(dir, { POWERTOOLS_LOG_LEVEL: 'DEBUG', QUEUE_TIME_SCALE: '0.05' });
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the sandbox log of a full scenario', () => {
  it('holds no subject, description, comment or address', async () => {
    // Arrange
    const mark = randomUUID().slice(0, 8);
    const secrets = {
      subject: `Subjek-${mark} printer`,
      description: `Deskripsi-${mark}`,
      reply: `Balasan-${mark}`,
      note: `Catatan-${mark}`,
      address: `orang-${mark}@example.org`,
      phone: `+62 811 ${mark.replace(/\D/g, '').padEnd(4, '7').slice(0, 4)} 0000`,
    };
    const { tokenFor, call } = clientFor(sandbox.url);
    const requester = await tokenFor({ sub: `req-${mark}`, email: secrets.address, name: `Nama-${mark}`, groups: ['requester'] });
    const agent = await tokenFor({ sub: 'budi', groups: ['agent'], teams: ['it-support'] });

    // Act: the scenario
    const { body: ticket } = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: secrets.subject, description: secrets.description },
    });
    await call('/tickets', {
      method: 'POST',
      token: agent,
      body: { subject: secrets.subject, channel: 'phone', requester: { name: `Nama-${mark}`, phone: secrets.phone } },
    });
    await call('/tickets', { method: 'POST', token: requester, body: { subject: secrets.subject, colour: secrets.address } });
    await waitFor(
      async () => (await call(`/tickets/${ticket.id}`, { token: agent })).body,
      (t) => t.assignee !== null,
    );
    await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: agent, body: { body: secrets.reply } });
    await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: agent, body: { body: secrets.note, visibility: 'internal' } });
    await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: agent, body: { status: 'resolved' } });
    await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: agent, body: { status: 'closed' } });
    // Everything behind the API has run: the mail for the reply and the resolution, and the queues are empty.
    await waitFor(
      () => Promise.resolve(sandbox.output()),
      (output) => (output.match(/"message": ?"notification"/g) ?? []).length >= 3,
    );
    await waitFor(
      async () => (await call('/_local/health')).body,
      (health) =>
        health.emulators.eventbridge.pendingDeliveries === 0 &&
        Object.values(health.emulators.sqs.queues as Record<string, { visible: number; inFlight: number }>).every(queueIdle),
    );

    // Assert: the functions did log (routing, mail), and nothing private is in it
    const log = sandbox.output();
    expect(log).toMatch(/"message": ?"routed"/);
    expect(log).toMatch(/"message": ?"notification"/);
    for (const [what, value] of Object.entries(secrets)) expect(log, what).not.toContain(value);
  }, 40_000);
});
