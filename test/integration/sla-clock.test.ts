// An SLA running out in the sandbox, as a lead would watch it: the clock is moved forward, the scheduled
// check runs, and the warning, the breach and each escalation step appear in the history, once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulidGenerator } from '#shared/adapters/clock.ts';
import { createTicketRepository } from '#shared/adapters/ticket-repository.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { checkSla } from '#shared/domain/check-sla.ts';
import { clientFor, startSandboxProcess, type SandboxProcess } from './sandbox-process.ts';

let sandbox: SandboxProcess;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'helpdesk-sla-'));
  sandbox = await startSandboxProcess(dir);
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const eventsOf = async (id: string, token: string) => {
  const { call } = clientFor(sandbox.url);
  return (await call(`/tickets/${id}/events`, { token })).body.items as { type: string; data: Record<string, unknown>; actor: { id: string } }[];
};

describe('the SLA clock in the sandbox', () => {
  it('warns at 75%, breaches at 100% and escalates step by step, each once', async () => {
    // Arrange: a critical ticket (24×7: first response due in 30 minutes) that no rule can place
    const { token, call } = clientFor(sandbox.url);
    const requester = await token({ sub: 'ani', groups: ['requester'] });
    const lead = await token({ sub: 'rina', groups: ['lead'] });
    const { body: ticket } = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: 'Ada yang aneh', urgency: 'high', impact: 'high' },
    });
    expect(ticket).toMatchObject({ priority: 'critical', team: 'helpdesk', sla: { calendar: '24x7' } });
    const advance = (duration: string) => call('/_local/clock', { method: 'POST', body: { advance: duration } });
    const check = () => call('/_local/run/check-sla', { method: 'POST' });

    // Act + Assert: 23 minutes in, past 75% of 30 minutes
    await advance('PT23M');
    await check();
    await check();
    let types = (await eventsOf(ticket.id, lead)).map((event) => event.type);
    expect(types).toEqual(['TicketCreated', 'SlaWarning']);

    // 31 minutes in: breached, and the lead is told at once
    await advance('PT8M');
    await check();
    let events = await eventsOf(ticket.id, lead);
    expect(events.slice(2).map((event) => [event.type, event.data])).toEqual([
      ['SlaBreached', { clock: 'firstResponse', dueAt: ticket.sla.clocks.firstResponse.dueAt }],
      ['Escalated', { level: 1, action: 'notify-lead', lead: 'rina' }],
    ]);
    expect(events.slice(1).every((event) => event.actor.id === 'sla')).toBe(true);

    // An hour after the breach: priority raised (already critical, so it stays); two hours: next tier
    await advance('PT2H');
    await check();
    events = await eventsOf(ticket.id, lead);
    types = events.map((event) => event.type);
    expect(types.slice(4)).toEqual(['Escalated', 'Escalated', 'TeamChanged']);
    expect(events.find((event) => event.type === 'TeamChanged')?.data).toEqual({ from: 'helpdesk', to: 'it-support' });
    const after = await call(`/tickets/${ticket.id}`, { token: lead });
    expect(after.body).toMatchObject({ team: 'it-support', tier: 'specialist', sla: { escalation: { level: 3 } } });

    // Nothing more is due: running the check again records nothing
    await check();
    expect(await eventsOf(ticket.id, lead)).toHaveLength(events.length);
  });

  it('records each warning and breach once when two checks run at the same time', async () => {
    // Arrange: a critical ticket, and two checkers working on the sandbox's DynamoDB directly
    const { token, call } = clientFor(sandbox.url);
    const requester = await token({ sub: 'eko', groups: ['requester'] });
    const { body: ticket } = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: 'Semua komputer lab mati', urgency: 'high', impact: 'high' },
    });
    const health = await call('/_local/health');
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: health.body.emulators.dynamodb.endpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    // The sandbox's clock has been moved on by the tests before; these checkers live a minute past the due time.
    const later = new Date(Date.parse(ticket.sla.clocks.firstResponse.dueAt) + 60_000);
    const clock = { now: () => later };
    const deps = { repo: createTicketRepository(client, health.body.emulators.dynamodb.table), clock, ids: ulidGenerator(clock), config: loadConfig() };

    // Act
    const results = await Promise.all([checkSla(deps, later), checkSla(deps, later), checkSla(deps, later)]);

    // Assert
    const types = (await eventsOf(ticket.id, await token({ sub: 'rina', groups: ['lead'] }))).map((event) => event.type);
    expect(types).toEqual(['TicketCreated', 'SlaWarning', 'SlaBreached', 'Escalated']);
    expect(results.every((result) => result.checked >= 1)).toBe(true);
    client.destroy();
  });

  it('pauses while waiting on the requester and moves the due time by the paused time', async () => {
    // Arrange
    const { token, call } = clientFor(sandbox.url);
    const requester = await token({ sub: 'dina', groups: ['requester'] });
    const agent = await token({ sub: 'budi', groups: ['agent'] });
    const { body: ticket } = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: 'Server e-Rapor mati', urgency: 'high', impact: 'high' },
    });
    const due = Date.parse(ticket.sla.clocks.resolution.dueAt);

    // Act: waiting on the requester for 3 hours, then the requester answers
    await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: agent, body: { status: 'pending' } });
    await call('/_local/clock', { method: 'POST', body: { advance: 'PT3H' } });
    const fresh = await token({ sub: 'dina', groups: ['requester'] });
    await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: fresh, body: { body: 'Sudah saya kirim datanya.' } });

    // Assert: back in work, resolution due exactly 3 hours later than before (24×7 policy)
    const after = await call(`/tickets/${ticket.id}`, { token: agent });
    expect(after.body.status).toBe('open');
    expect(Date.parse(after.body.sla.clocks.resolution.dueAt) - due).toBeGreaterThanOrEqual(3 * 3600_000);
    expect(Date.parse(after.body.sla.clocks.resolution.dueAt) - due).toBeLessThan(3 * 3600_000 + 5_000);
  });
});
