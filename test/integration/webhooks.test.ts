// Outgoing webhooks through a sandbox of this file's own, whose configuration (SANDBOX_CONFIG_FILE) has
// subscriptions pointing at a receiver this test runs: each request is verified with the Standard Webhooks
// library and the subscription's secret file; a receiver that answers 500 gets the event again; one that is too
// slow is retried until the message is dead-lettered, while tickets are routed as usual; one that answers 410
// is switched off (metric WebhookDisabled) and sent nothing more.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookSecretFile } from '#shared/adapters/webhook-secrets.ts';
import bundled from '#shared/config/helpdesk.config.json' with { type: 'json' };
import { SANDBOX_CONFIG_FILE_ENV } from '#shared/config/load-config.ts';
import { clientFor } from './api-client.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from './sandbox-process.ts';
import { waitFor } from './wait-for.ts';

type Received = { path: string; headers: IncomingHttpHeaders; body: string; verified: boolean };

const SECRET_NAME = 'helpdesk/webhooks/test';

describe('webhooks to a local receiver', () => {
  const dir = sandboxDir('helpdesk-webhooks-');
  const received: Received[] = [];
  const secret = `whsec_${Buffer.from('a webhook key of thirty-two bytes!').toString('base64')}`;
  let receiver: Server;
  let sandbox: SandboxProcess;
  let api: ReturnType<typeof clientFor>;
  /** Per path: how the receiver answers the nth request for one webhook-id. */
  const answers: Record<string, (attempt: number) => number | 'hang'> = {
    '/ok': () => 200,
    '/flaky': (attempt) => (attempt === 1 ? 500 : 200),
    '/slow': () => 'hang',
    '/gone': () => 410,
  };

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let verified = true;
        try {
          new Webhook(secret).verify(body, request.headers as Record<string, string>);
        } catch {
          verified = false;
        }
        const path = request.url ?? '';
        received.push({ path, headers: request.headers, body, verified });
        const attempt = received.filter(
          (item) => item.path === path && item.headers['webhook-id'] === request.headers['webhook-id'],
        ).length;
        const answer = answers[path]?.(attempt) ?? 404;
        if (answer !== 'hang') response.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const hook = (id: string, path: string, events: string[], extra: Record<string, unknown> = {}) => ({
      id,
      url: `${base}${path}`,
      events,
      secret: SECRET_NAME,
      ...extra,
    });
    const config = {
      ...structuredClone(bundled),
      webhooks: [
        hook('ok', '/ok', ['TicketCreated', 'CommentAdded']),
        hook('flaky', '/flaky', ['TicketCreated'], { filter: { categories: ['network'] } }),
        hook('slow', '/slow', ['TicketCreated'], { filter: { categories: ['facilities'] }, timeoutSeconds: 1 }),
        hook('gone', '/gone', ['CommentAdded']),
      ],
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    // The sandbox keeps the secret file it finds (and makes one only when it is missing).
    mkdirSync(join(dir, 'sandbox', 'webhook-secrets'), { recursive: true });
    writeFileSync(webhookSecretFile(join(dir, 'sandbox', 'webhook-secrets'), SECRET_NAME), secret);
    sandbox = await startSandboxProcess(join(dir, 'sandbox'), {
      [SANDBOX_CONFIG_FILE_ENV]: join(dir, 'config.json'),
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      // The webhooks queue's 180 s visibility timeout as 1.8 s (still above the slow subscription's 1 s timeout): a
      // retry, and the DLQ after 8 receives, within the test.
      QUEUE_TIME_SCALE: '0.01',
      // Metrics on: the EMF lines show the switched-off subscription's metric.
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    api = clientFor(sandbox.url);
  }, 90_000);

  afterAll(async () => {
    await sandbox?.stop();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers each event signed, retries a 500 with the same id and body, and leaves internal notes out', async () => {
    // Arrange
    const requester = await api.tokenFor({ name: 'Ani', email: 'ani@example.org' });
    const agent = await api.tokenFor({ sub: 'budi', groups: ['agent'], teams: ['it-support'] });

    // Act
    const ticket = (
      await api.call('/tickets', { method: 'POST', token: requester, body: { subject: 'Wi-Fi di lab komputer mati', urgency: 'high' } })
    ).body;
    await api.call(`/tickets/${ticket.id}/comments`, {
      method: 'POST',
      token: agent,
      body: { body: 'Sedang dicek', visibility: 'internal' },
    });
    await api.call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: agent, body: { body: 'Sudah normal kembali' } });
    const ofTicket = () => received.filter((item) => item.body.includes(ticket.id));
    await waitFor(
      async () => ofTicket().map((item) => item.path),
      (paths) => paths.filter((path) => path === '/flaky').length === 2 && paths.filter((path) => path === '/ok').length === 2,
    );

    // Assert
    expect(ofTicket().every((item) => item.verified)).toBe(true);
    const flaky = ofTicket().filter((item) => item.path === '/flaky');
    expect(flaky[0]!.headers['webhook-id']).toBe(flaky[1]!.headers['webhook-id']);
    expect(flaky[0]!.body).toBe(flaky[1]!.body);
    const okTypes = ofTicket()
      .filter((item) => item.path === '/ok')
      .map((item) => JSON.parse(item.body) as { type: string; event: { data: { visibility?: string } } });
    // Several consumers deliver at once, so the two may arrive in either order (receivers order by the event's time).
    expect(okTypes.map((item) => [item.type, item.event.data.visibility]).sort()).toEqual([
      ['CommentAdded', 'public'],
      ['TicketCreated', undefined],
    ]);
    expect(JSON.stringify(ofTicket().map((item) => item.body))).not.toContain('Sedang dicek');
  });

  it('switches a subscription off on 410: the next event is not sent there, and WebhookDisabled is counted', async () => {
    // Arrange
    const requester = await api.tokenFor({ name: 'Ani', email: 'ani@example.org' });
    const agent = await api.tokenFor({ sub: 'budi', groups: ['agent'], teams: ['it-support'] });
    const ticket = (await api.call('/tickets', { method: 'POST', token: requester, body: { subject: 'Printer macet di TU' } })).body;

    // Act
    await api.call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: agent, body: { body: 'Balasan pertama' } });
    await waitFor(
      async () => received.filter((item) => item.path === '/gone').length,
      (count) => count === 1,
    );
    await api.call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: agent, body: { body: 'Balasan kedua' } });
    await waitFor(
      async () => received.filter((item) => item.path === '/ok' && item.body.includes('Balasan kedua')).length,
      (count) => count === 1,
    );

    // Assert
    expect(received.filter((item) => item.path === '/gone')).toHaveLength(1);
    await waitFor(
      async () => sandbox.output(),
      (output) => output.includes('"WebhookDisabled"'),
    );
  });

  it('retries a receiver that is too slow until the message is dead-lettered, while the ticket is routed as usual', async () => {
    // Arrange
    const requester = await api.tokenFor({ name: 'Pak Joko', email: 'joko@example.org' });
    const health = async () => (await api.call('/_local/health')).body.emulators.sqs.deadLetters as Record<string, number>;

    // Act
    const ticket = (
      await api.call('/tickets', { method: 'POST', token: requester, body: { subject: 'AC ruang guru bocor', category: 'facilities' } })
    ).body;
    const routed = await api.waitForTicket(ticket.id, requester, (current) => current.status === 'open', 15_000);
    const deadLetters = await waitFor(health, (current) => current.webhooks === 1, 60_000);

    // Assert: dead-lettered into the consumers' shared dead-letter queue, counted as the webhooks queue's
    expect(routed.team).toBe('sarpras');
    expect(deadLetters.webhooks).toBe(1);
    // Tried again and again with the same event, each try cut off after the subscription's one second. (How
    // many: the emulator counts the poller's visibility change as a receive too, so the sandbox gives up after
    // half of the queue's maxReceiveCount tries; AWS after all of them.)
    const slow = received.filter((item) => item.path === '/slow' && item.body.includes(ticket.id));
    expect(slow.length).toBeGreaterThanOrEqual(2);
    expect(new Set(slow.map((item) => item.headers['webhook-id'])).size).toBe(1);
    expect(received.filter((item) => item.path === '/flaky' && item.body.includes(ticket.id))).toHaveLength(0);
  }, 90_000);

  it('keeps the secret in a file of the sandbox, not in the configuration', () => {
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).not.toContain('whsec_');
  });
});
