// An SLA running out in the sandbox, as a lead would watch it: the clock is moved forward, the scheduled
// check runs, and the warning, the breach and each escalation step appear in the history, once.
import { rmSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulidGenerator } from '#shared/adapters/clock.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { checkSla } from '#shared/domain/sla/check-sla.ts';
import { ticketStores } from '#shared/wiring/ticket-deps.ts';
import { clientFor } from './api-client.ts';
import { waitForMail } from './mail-viewer.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from './sandbox-process.ts';

let sandbox: SandboxProcess;
let dir: string;

beforeAll(async () => {
  dir = sandboxDir('helpdesk-sla-');
  sandbox = await startSandboxProcess(dir);
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type HistoryEvent = { type: string; data: Record<string, unknown>; actor: { id: string } };

/** The ticket's changes (staff reads are recorded too, as TicketViewed; these tests read a lot). */
const eventsOf = async (id: string, token: string) => {
  const { call } = clientFor(sandbox.url);
  return ((await call(`/tickets/${id}/events`, { token })).body.items as HistoryEvent[]).filter((event) => event.type !== 'TicketViewed');
};

/** What the SLA check recorded (routing runs alongside and adds its own events). */
const slaEventsOf = async (id: string, token: string) => (await eventsOf(id, token)).filter((event) => event.actor.id === 'sla');

/** Waits for a mail to `to` whose subject starts with `subject` in this sandbox's SES emulator. */
const mailTo = async (to: string, subject: string) => {
  const ses = (await clientFor(sandbox.url).call('/_local/health')).body.emulators.ses.endpoint as string;
  return waitForMail(ses, (mail) => mail.destination.to.includes(to) && mail.subject.startsWith(subject));
};

/** Waits until the router has given the ticket an agent, so the history is settled before a check. */
const routed = (id: string, token: string) => clientFor(sandbox.url).waitForTicket(id, token, (ticket) => ticket.assignee !== null);

describe('the SLA clock in the sandbox', () => {
  it('warns at 75%, breaches at 100% and escalates step by step, each once', async () => {
    // Arrange: a critical ticket (24×7: first response due in 30 minutes) that no rule can place
    const { tokenFor, call } = clientFor(sandbox.url);
    const requester = await tokenFor({ sub: 'ani', groups: ['requester'] });
    const lead = await tokenFor({ sub: 'rina', groups: ['lead'] });
    const { body: ticket } = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: 'Ada yang aneh', urgency: 'high', impact: 'high' },
    });
    expect(ticket).toMatchObject({ priority: 'critical', team: 'helpdesk', sla: { calendar: '24x7' } });
    const advance = (duration: string) => call('/_local/clock', { method: 'POST', body: { advance: duration } });
    const check = () => call('/_local/run/check-sla', { method: 'POST' });

    const assignee = (await routed(ticket.id, lead)).assignee;
    expect(['andi', 'rina']).toContain(assignee);

    // Act + Assert: 23 minutes in, past 75% of 30 minutes
    await advance('PT23M');
    await check();
    await check();
    expect((await slaEventsOf(ticket.id, lead)).map((event) => [event.type, event.data])).toEqual([
      ['SlaWarning', { clock: 'firstResponse', dueAt: ticket.sla.clocks.firstResponse.dueAt }],
    ]);
    const queue = async (sla: string) =>
      ((await call(`/tickets?sla=${sla}`, { token: lead })).body.items as { id: string }[]).map((item) => item.id);
    expect(await queue('at-risk')).toContain(ticket.id);
    expect(await queue('breached')).not.toContain(ticket.id);

    // 31 minutes in: breached, and the lead is told at once, by mail naming the ticket, the clock and the due time
    await advance('PT8M');
    await check();
    const dueAt = ticket.sla.clocks.firstResponse.dueAt;
    expect((await slaEventsOf(ticket.id, lead)).slice(1).map((event) => [event.type, event.data])).toEqual([
      ['SlaBreached', { clock: 'firstResponse', dueAt }],
      ['Escalated', { level: 1, action: 'notify-lead', leads: ['rina'], clock: 'firstResponse', dueAt }],
    ]);
    // The assignee was told of the warning and the breach on their ticket; the lead, of the escalation.
    await mailTo(`${assignee}@sekolah.example`, `SLA hampir habis: #${ticket.number} `);
    await mailTo(`${assignee}@sekolah.example`, `SLA terlampaui: #${ticket.number} `);
    const escalation = await mailTo('rina@sekolah.example', `Eskalasi: #${ticket.number} `);
    expect(escalation.body.text).toContain(`Tiket #${ticket.number} tim Helpdesk dieskalasikan kepada Anda sebagai ketua tim`);
    expect(escalation.body.text).toContain('batas waktu tanggapan pertama terlampaui');
    expect(escalation.body.text).toContain(`${sandbox.consoleUrl}/tickets/${ticket.id}`);
    expect(await queue('breached')).toContain(ticket.id);
    expect(await queue('at-risk')).not.toContain(ticket.id);

    // An hour after the breach the priority would be raised, but a critical ticket cannot be: the step is
    // passed over (not recorded); after two hours the ticket goes to the next tier, unassigned, and the
    // router finds it an agent there
    await advance('PT2H');
    await check();
    expect((await slaEventsOf(ticket.id, lead)).slice(3).map((event) => [event.type, event.data])).toEqual([
      ['Escalated', { level: 3, action: 'next-tier', team: 'it-support' }],
      ['TeamChanged', { from: 'helpdesk', to: 'it-support' }],
      ['Assigned', { from: assignee, to: null }],
    ]);
    const after = await routed(ticket.id, lead);
    expect(after).toMatchObject({ team: 'it-support', tier: 'specialist', sla: { escalation: { level: 3 } } });
    expect(['budi', 'yusuf']).toContain(after.assignee);

    // Nothing more is due: running the check again records nothing
    const settled = await eventsOf(ticket.id, lead);
    await check();
    expect(await eventsOf(ticket.id, lead)).toHaveLength(settled.length);
  });

  it('records each warning and breach once when two checks run at the same time', async () => {
    // Arrange: a critical ticket, and two checkers working on the sandbox's DynamoDB directly
    const { tokenFor, call } = clientFor(sandbox.url);
    const requester = await tokenFor({ sub: 'eko', groups: ['requester'] });
    const { body: ticket } = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: 'Semua komputer lab mati', urgency: 'high', impact: 'high' },
    });
    const lead = await tokenFor({ sub: 'rina', groups: ['lead'] });
    await routed(ticket.id, lead);
    const health = await call('/_local/health');
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: health.body.emulators.dynamodb.endpoint,
        region: 'local',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    // The sandbox's clock has been moved on by the tests before; these checkers live a minute past the due time.
    const later = new Date(Date.parse(ticket.sla.clocks.firstResponse.dueAt) + 60_000);
    const clock = { now: () => later };
    const deps = {
      ...ticketStores(client, health.body.emulators.dynamodb.table),
      clock,
      ids: ulidGenerator(clock),
      config: loadConfig(),
    };

    // Act
    const results = await Promise.all([checkSla(deps, later), checkSla(deps, later), checkSla(deps, later)]);

    // Assert
    const types = (await slaEventsOf(ticket.id, lead)).map((event) => event.type);
    expect(types).toEqual(['SlaWarning', 'SlaBreached', 'Escalated']);
    expect(results.flatMap((result) => result.skipped)).toEqual([]);
    expect(results.every((result) => result.checked >= 1)).toBe(true);
    client.destroy();
  });

  it('pauses while waiting on the requester and moves the due time by the paused time', async () => {
    // Arrange
    const { tokenFor, call } = clientFor(sandbox.url);
    const requester = await tokenFor({ sub: 'dina', groups: ['requester'] });
    const agent = await tokenFor({ sub: 'budi', groups: ['agent'] });
    const { body: ticket } = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: 'Server e-Rapor mati', urgency: 'high', impact: 'high' },
    });
    await routed(ticket.id, agent);
    const due = Date.parse(ticket.sla.clocks.resolution.dueAt);

    // Act: waiting on the requester for 3 hours, then the requester answers
    await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: agent, body: { status: 'pending' } });
    await call('/_local/clock', { method: 'POST', body: { advance: 'PT3H' } });
    const fresh = await tokenFor({ sub: 'dina', groups: ['requester'] });
    await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: fresh, body: { body: 'Sudah saya kirim datanya.' } });

    // Assert: back in work, resolution due exactly 3 hours later than before (24×7 policy)
    const after = await call(`/tickets/${ticket.id}`, { token: agent });
    expect(after.body.status).toBe('open');
    expect(Date.parse(after.body.sla.clocks.resolution.dueAt) - due).toBeGreaterThanOrEqual(3 * 3600_000);
    expect(Date.parse(after.body.sla.clocks.resolution.dueAt) - due).toBeLessThan(3 * 3600_000 + 5_000);
  });
});
