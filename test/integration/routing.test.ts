// Routing through the sandbox's real pipeline: table stream → publish-events → bus rule → SQS → route-ticket.
// Its own sandbox, so the agents' loads are known and SQS can be taken down without disturbing others; its
// queues' visibility timeouts are shortened (QUEUE_TIME_SCALE) so a poison message is dead-lettered in seconds.
import { rmSync } from 'node:fs';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from './api-client.ts';
import { type SandboxProcess, sandboxDir, startSandboxProcess } from './sandbox-process.ts';
import { queueIdle, waitFor } from './wait-for.ts';

let sandbox: SandboxProcess;
let dir: string;
let api: ReturnType<typeof clientFor>;
let requester: string;
let lead: string;

beforeAll(async () => {
  dir = sandboxDir('helpdesk-routing-');
  sandbox = await startSandboxProcess(dir, { QUEUE_TIME_SCALE: '0.05' });
  api = clientFor(sandbox.url);
  requester = await api.tokenFor({ sub: 'ani', groups: ['requester'] });
  lead = await api.tokenFor({ sub: 'rina', groups: ['lead'] });
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ticket = async (id: string) => (await api.call(`/tickets/${id}`, { token: lead })).body;
/** The ticket's changes (staff reads are in the history too, as TicketViewed; these tests read a lot). */
const history = async (id: string) =>
  ((await api.call(`/tickets/${id}/events`, { token: lead })).body.items as { type: string; actor: { id: string }; data: any }[])
    .filter((event) => event.type !== 'TicketViewed')
    .map((event) => `${event.type}${event.type === 'Assigned' ? ` ${event.data.from}→${event.data.to}` : ''} by ${event.actor.id}`);
const create = async (subject: string) => (await api.call('/tickets', { method: 'POST', token: requester, body: { subject } })).body;
const health = async () => (await api.call('/_local/health')).body;

/** A bus event as EventBridge puts it on the routing queue. */
const busEvent = (t: { id: string; number: number; version: number; team: string; category: string; priority: string }) => ({
  version: '0',
  id: crypto.randomUUID(),
  'detail-type': 'TicketCreated',
  source: 'helpdesk',
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'ap-southeast-3',
  resources: [],
  detail: {
    id: '01M8JFE7EAK4CVC85VZXF2QACT',
    type: 'TicketCreated',
    ticketId: t.id,
    number: t.number,
    version: 1,
    at: new Date().toISOString(),
    actor: { id: 'ani', role: 'requester' },
    data: { subject: 'x', channel: 'api', category: t.category, team: t.team, priority: t.priority, classifiedBy: 'fallback' },
    ticket: { status: 'new', priority: t.priority, category: t.category, team: t.team, assignee: null, channel: 'api' },
  },
});

describe('routing in the sandbox', () => {
  it('gives each new ticket to the team member with the fewest open tickets, round-robin on ties', async () => {
    // Arrange: three tickets no rule can place go to first line (Helpdesk: andi, then rina, in the staff
    // directory's order, by id)
    const first = await create('Ada pertanyaan umum');
    const routedFirst = await waitFor(
      () => ticket(first.id),
      (t) => t.assignee !== null,
    );
    const second = await create('Pertanyaan lain');
    const routedSecond = await waitFor(
      () => ticket(second.id),
      (t) => t.assignee !== null,
    );
    const third = await create('Satu lagi');
    const routedThird = await waitFor(
      () => ticket(third.id),
      (t) => t.assignee !== null,
    );

    // Assert: 0/0 → andi; 0/1 → rina; 1/1 tie → after rina comes andi again
    expect([routedFirst.assignee, routedSecond.assignee, routedThird.assignee]).toEqual(['andi', 'rina', 'andi']);
    expect(routedFirst.status).toBe('open');
    expect(await history(first.id)).toEqual(['TicketCreated by ani', 'Assigned null→andi by router', 'StatusChanged by router']);
  });

  it('routes a finance request straight to the finance team', async () => {
    const created = await create('Tagihan SPP bulan ini dobel');
    const routed = await waitFor(
      () => ticket(created.id),
      (t) => t.assignee !== null,
    );
    expect(routed).toMatchObject({ category: 'finance', team: 'keuangan', tier: 'specialist', assignee: 'dewi' });
  });

  it('re-routes when a lead moves a ticket to another team', async () => {
    // Arrange
    const created = await create('Pertanyaan tentang sesuatu');
    const routed = await waitFor(
      () => ticket(created.id),
      (t) => t.assignee !== null,
    );

    // Act
    await api.call(`/tickets/${created.id}`, { method: 'PATCH', token: lead, body: { team: 'sarpras' } });

    // Assert: the first-line agent is unassigned, and Facilities' agent gets it
    const moved = await waitFor(
      () => ticket(created.id),
      (t) => t.assignee === 'agus',
    );
    expect(moved.team).toBe('sarpras');
    expect((await history(created.id)).slice(3)).toEqual([
      'TeamChanged by rina',
      `Assigned ${routed.assignee}→null by rina`,
      'Assigned null→agus by router',
    ]);
  });

  it('assigns once when the same message is delivered ten times', async () => {
    // Arrange: a ticket a lead has taken back out of anyone's hands
    const created = await create('Tolong bantu');
    await waitFor(
      () => ticket(created.id),
      (t) => t.assignee !== null,
    );
    await api.call(`/tickets/${created.id}`, { method: 'PATCH', token: lead, body: { assignee: null } });
    const unassigned = await ticket(created.id);
    const sqs = new SQSClient({
      endpoint: (await health()).emulators.sqs.endpoint,
      region: 'ap-southeast-3',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const message = JSON.stringify(busEvent(unassigned));

    // Act: ten copies of the same event, in one batch and in another
    const QueueUrl = `${(await health()).emulators.sqs.endpoint}/000000000000/routing`;
    for (const batch of [0, 1])
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: Array.from({ length: 5 }, (_, index) => ({ Id: `m${batch}-${index}`, MessageBody: message })),
        }),
      );

    // Assert
    await waitFor(
      () => ticket(created.id),
      (t) => t.assignee !== null,
    );
    await waitFor(health, (h) => queueIdle(h.emulators.sqs.queues.routing));
    const routerAssignments = (await history(created.id)).filter((line) => line.startsWith('Assigned null→') && line.endsWith('by router'));
    expect(routerAssignments).toHaveLength(2); // the first routing, and exactly one after the ten copies
    sqs.destroy();
  });

  it('routes a burst with several consumers at once: each ticket assigned once, and the team evened out', async () => {
    // Arrange: first line's loads now; 12 requests (more than one batch of 10) piled up while SQS was down
    const tokens = { andi: await api.tokenFor({ sub: 'andi', groups: ['agent'] }), rina: lead };
    const working = async (agent: 'andi' | 'rina') =>
      ((await api.call('/tickets?assignee=me&limit=100', { token: tokens[agent] })).body.items as { status: string }[]).filter((t) =>
        ['new', 'open', 'pending', 'on_hold'].includes(t.status),
      ).length;
    const before = { andi: await working('andi'), rina: await working('rina') };
    const requesters = await Promise.all([1, 2, 3].map((n) => api.tokenFor({ sub: `burst-${n}`, groups: ['requester'] })));
    await api.call('/_local/emulators/sqs', { method: 'POST', body: { running: false } });
    const burst = await Promise.all(
      Array.from(
        { length: 12 },
        async (_, index) =>
          (await api.call('/tickets', { method: 'POST', token: requesters[index % 3], body: { subject: `Pertanyaan umum ${index}` } }))
            .body as { id: string; team: string },
      ),
    );
    await waitFor(health, (h) => h.emulators.eventbridge.pendingDeliveries >= 12);

    // Act: SQS back; the routing queue's consumers take the burst several batches at once
    await api.call('/_local/emulators/sqs', { method: 'POST', body: { running: true } });
    const routed = await waitFor(
      () => Promise.all(burst.map((created) => ticket(created.id))),
      (tickets) => tickets.every((t) => t.assignee !== null),
      // Generous: routers of one team conflict on its turn and decide again, slow on a loaded machine.
      60_000,
    );

    // Assert: each assigned by the router exactly once; first line ends level (the burst is larger than their gap)
    expect(new Set(burst.map((created) => created.team))).toEqual(new Set(['helpdesk']));
    for (const created of burst)
      expect((await history(created.id)).filter((line) => line.startsWith('Assigned null→') && line.endsWith('by router'))).toHaveLength(1);
    const after = { andi: await working('andi'), rina: await working('rina') };
    expect(after.andi + after.rina).toBe(before.andi + before.rina + 12);
    expect(Math.abs(after.andi - after.rina)).toBeLessThanOrEqual(1);
    expect(routed.filter((t) => t.assignee === 'andi').length).toBe(after.andi - before.andi);
  }, 90_000);

  it('sends a poison message to the dead-letter queue after its receives, and processes the rest of its batch', async () => {
    // Arrange
    const created = await create('Butuh bantuan segera');
    await waitFor(
      () => ticket(created.id),
      (t) => t.assignee !== null,
    );
    await api.call(`/tickets/${created.id}`, { method: 'PATCH', token: lead, body: { assignee: null } });
    const endpoint = (await health()).emulators.sqs.endpoint;
    const sqs = new SQSClient({ endpoint, region: 'ap-southeast-3', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

    // Act: one valid event, one of an unknown type, one that is not JSON, in one batch
    const unknownType = { ...busEvent(await ticket(created.id)), 'detail-type': 'TicketTeleported' };
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: `${endpoint}/000000000000/routing`,
        Entries: [
          { Id: 'valid', MessageBody: JSON.stringify(busEvent(await ticket(created.id))) },
          { Id: 'unknown', MessageBody: JSON.stringify(unknownType) },
          { Id: 'garbage', MessageBody: 'this is not an event' },
        ],
      }),
    );

    // Assert: the valid one was routed; the two bad ones end in the DLQ (5 receives, 3 s apart here, a minute on AWS)
    await waitFor(
      () => ticket(created.id),
      (t) => t.assignee !== null,
    );
    const settled = await waitFor(health, (h) => h.emulators.sqs.deadLetters.routing === 2, 30_000);
    expect(settled.emulators.sqs.queues.routing.visible).toBe(0);
    sqs.destroy();
  }, 40_000);

  it('loses no routing while SQS is down: the event is delivered once SQS is back', async () => {
    // Arrange
    await api.call('/_local/emulators/sqs', { method: 'POST', body: { running: false } });

    // Act
    const created = await create('Pertanyaan saat SQS mati');
    // The event reached the bus, which holds it until SQS takes it.
    await waitFor(health, (h) => h.emulators.eventbridge.pendingDeliveries > 0);
    const whileDown = await ticket(created.id);
    await api.call('/_local/emulators/sqs', { method: 'POST', body: { running: true } });

    // Assert
    expect(whileDown.assignee).toBeNull();
    const routed = await waitFor(
      () => ticket(created.id),
      (t) => t.assignee !== null,
    );
    expect(routed.status).toBe('open');
  }, 30_000);
});
