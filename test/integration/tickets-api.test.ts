// The README's walk-through, as a user does it over HTTP against the sandbox.
import { describe, expect, it } from 'vitest';
import { call, cast, createRouted, tokenFor, waitForTicket } from './api-client.ts';

describe('working a ticket over HTTP', () => {
  it('creates, routes, reads, lists, updates, comments and shows the history in order', async () => {
    // Arrange
    const { requesterId, requester } = await cast();
    const dewi = await tokenFor({ sub: 'dewi', name: 'Dewi Lestari', groups: ['agent'], teams: ['keuangan'] });

    // Act: the requester reports a problem
    const created = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: 'Kuitansi pembayaran SPP belum dikirim', description: 'Sudah transfer minggu lalu.', urgency: 'high' },
    });

    // Assert: recorded and classified
    expect(created.status).toBe(201);
    const ticket = created.body;
    expect(created.headers.get('location')).toBe(`/tickets/${ticket.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(ticket).toMatchObject({
      status: 'new',
      category: 'finance',
      team: 'keuangan',
      tier: 'specialist',
      priority: 'high', // urgency high × impact medium
      channel: 'api',
      language: 'id',
      requester: { id: requesterId, name: 'Ani Requester', email: 'ani@example.org' },
      version: 1,
    });
    expect(ticket.number).toBeGreaterThan(0);

    // ...and routed to the finance team's only agent, which opens it
    const routed = await waitForTicket(ticket.id, requester, (t) => t.assignee !== null);
    expect(routed).toMatchObject({ assignee: 'dewi', status: 'open', version: 2 });

    const mine = await call('/tickets?requester=me', { token: requester });
    expect(mine.body.items.map((t: { id: string }) => t.id)).toEqual([ticket.id]);

    // Act: Dewi notes something internally, answers publicly, then resolves it (If-Match: the version she saw)
    const note = await call(`/tickets/${ticket.id}/comments`, {
      method: 'POST',
      token: dewi,
      body: { body: 'Cek mutasi rekening tanggal 20.', visibility: 'internal' },
    });
    expect(note.status).toBe(201);
    const reply = await call(`/tickets/${ticket.id}/comments`, {
      method: 'POST',
      token: dewi,
      body: { body: 'Kuitansi sudah kami kirim ke email Anda.' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ type: 'CommentAdded', data: { visibility: 'public' } });
    expect(reply.headers.get('etag')).toBe('"4"');

    const resolved = await call(`/tickets/${ticket.id}`, {
      method: 'PATCH',
      token: dewi,
      headers: { 'if-match': '"4"' },
      body: { status: 'resolved' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', version: 5 });
    expect(resolved.body.resolvedAt).toEqual(expect.any(String));
    expect(resolved.headers.get('etag')).toBe('"5"');

    const assignedToMe = await call('/tickets?assignee=me&status=resolved', { token: dewi });
    expect(assignedToMe.body.items.map((t: { id: string }) => t.id)).toContain(ticket.id);

    // Assert: the history, oldest first; the requester does not see the internal note
    const staffHistory = await call(`/tickets/${ticket.id}/events`, { token: dewi });
    expect(staffHistory.body.items.map((e: { type: string; actor: { id: string } }) => `${e.type} by ${e.actor.id}`)).toEqual([
      `TicketCreated by ${requesterId}`,
      'Assigned by router',
      'StatusChanged by router',
      'CommentAdded by dewi',
      'CommentAdded by dewi',
      'StatusChanged by dewi',
    ]);
    const requesterHistory = await call(`/tickets/${ticket.id}/events`, { token: requester });
    const comments = requesterHistory.body.items.filter((e: { type: string }) => e.type === 'CommentAdded');
    expect(comments.map((c: { data: { body: string } }) => c.data.body)).toEqual(['Kuitansi sudah kami kirim ke email Anda.']);
  });

  it('refuses a stale If-Match with 412 and an illegal move with 409, changing nothing', async () => {
    // Arrange
    const { requester, agent } = await cast();
    const ticket = await createRouted(requester, { subject: 'Proyektor tidak menyala' });
    const raised = await call(`/tickets/${ticket.id}`, {
      method: 'PATCH',
      token: agent,
      headers: { 'if-match': '"2"' },
      body: { priority: 'high' },
    });
    expect(raised.status).toBe(200);

    // Act
    const stale = await call(`/tickets/${ticket.id}`, {
      method: 'PATCH',
      token: agent,
      headers: { 'if-match': '"2"' },
      body: { status: 'pending' },
    });
    const illegal = await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: agent, body: { status: 'closed' } });

    // Assert
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');
    expect(illegal.status).toBe(409);
    expect(illegal.body.detail).toContain('cannot move to closed');
    const after = await call(`/tickets/${ticket.id}`, { token: agent });
    expect(after.body).toMatchObject({ status: 'open', priority: 'high', version: 3 });
  });

  it("shows a stranger's ticket to a requester as 404, never 403", async () => {
    // Arrange
    const { requester } = await cast();
    const stranger = await tokenFor();
    const { body: ticket } = await call('/tickets', { method: 'POST', token: requester, body: { subject: 'Tagihan SPP salah' } });

    // Act
    const responses = await Promise.all([
      call(`/tickets/${ticket.id}`, { token: stranger }),
      call(`/tickets/${ticket.id}/events`, { token: stranger }),
      call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: stranger, body: { body: 'hello' } }),
      call(`/tickets/${ticket.id}`, { method: 'PATCH', token: stranger, body: { status: 'resolved' } }),
    ]);

    // Assert
    expect(responses.map((response) => response.status)).toEqual([404, 404, 404, 404]);
    const list = await call('/tickets', { token: stranger });
    expect(list.body.items).toEqual([]);
  });

  it('pages through a list with a cursor, each ticket once', async () => {
    // Arrange
    const { requester } = await cast();
    // Routed first: a ticket that changes status moves in the queue order while a page is being read.
    for (let i = 0; i < 5; i++) await createRouted(requester, { subject: `Laptop ${i} rusak` });

    // Act
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await call(`/tickets?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: requester });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((t: { id: string }) => t.id));
      cursor = page.body.cursor;
      pages++;
    } while (cursor && pages < 10);

    // Assert
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('lets an agent log a phone call for a caller, who is recorded as the requester', async () => {
    // Arrange
    const { agent } = await cast();

    // Act
    const created = await call('/tickets', {
      method: 'POST',
      token: agent,
      body: {
        subject: 'Lampu ruang kelas 7B mati',
        channel: 'phone',
        requester: { name: 'Pak Joko', phone: '+62 812 3456 7890' },
      },
    });

    // Assert
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      channel: 'phone',
      category: 'facilities',
      team: 'sarpras',
      requester: { id: 'phone:+6281234567890', name: 'Pak Joko', phone: '+62 812 3456 7890' },
    });
  });

  it('answers health and serves an OpenAPI document that lists every route', async () => {
    const health = await call('/health');
    const openapi = await call('/openapi.json');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/tickets', '/tickets/{id}', '/tickets/{id}/comments', '/tickets/{id}/events', '/health']),
    );
    expect(openapi.body.paths['/tickets'].post.requestBody.content['application/json'].schema.properties.subject).toMatchObject({
      type: 'string',
      maxLength: 200,
    });
  });
});

describe('the staff queues by SLA due time', () => {
  it('lists working tickets earliest due first, and the ones nobody holds', async () => {
    // Arrange: a critical ticket (first response due in 30 minutes, 24×7) and a low one (business hours),
    // both for Sarpras; the lead then takes the low one back from the router's choice.
    const { requester } = await cast();
    const lead = await tokenFor({ sub: 'agus', name: 'Agus Setiawan', groups: ['lead'], teams: ['sarpras'] });
    const urgent = await createRouted(requester, { subject: 'Atap bocor di ruang kelas 7A', urgency: 'high', impact: 'high' });
    const low = await createRouted(requester, { subject: 'Kursi rusak di ruang guru', urgency: 'low', impact: 'low' });
    const unassigned = await call(`/tickets/${low.id}`, { method: 'PATCH', token: lead, body: { assignee: null } });
    expect(unassigned.status).toBe(200);

    // Act
    const byDue = await call('/tickets?sort=due&team=sarpras&limit=100', { token: lead });
    const nobodys = await call('/tickets?sort=due&team=sarpras&assignee=none', { token: lead });
    const breached = await call('/tickets?sla=breached&team=sarpras', { token: lead });

    // Assert
    const ids = byDue.body.items.map((t: { id: string }) => t.id);
    expect(ids.indexOf(urgent.id)).toBeLessThan(ids.indexOf(low.id));
    expect(nobodys.body.items.map((t: { id: string }) => t.id)).toEqual([low.id]);
    expect(breached.status).toBe(200);
    expect(breached.body.items.map((t: { id: string }) => t.id)).not.toContain(urgent.id);
  });

  it('refuses the SLA queues to a requester, naming the parameter', async () => {
    const { requester } = await cast();
    const refused = await call('/tickets?sla=breached', { token: requester });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'sla', message: 'is for staff; a requester lists their own tickets' }]);
  });
});
