// Every kind of bad input gets a clear problem+json answer that names the problem, and writes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, call, cast, createRouted, tokenFor } from './api-client.ts';

let requester: string;
let agent: string;

/** The requester's own list: after a refused create it must still be empty. */
const ticketsOfRequester = async () => (await call('/tickets?requester=me', { token: requester })).body.items as unknown[];

const expectProblem = (response: ApiResponse, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
};

beforeAll(async () => {
  ({ requester, agent } = await cast());
});

describe('bad input to POST /tickets writes nothing', () => {
  const cases: { name: string; status: number; send: Parameters<typeof call>[1]; field?: string; detail?: RegExp }[] = [
    {
      name: 'malformed JSON',
      status: 400,
      send: { rawBody: '{"subject": "Wi-Fi', headers: { 'content-type': 'application/json' } },
      field: '(body)',
    },
    { name: 'a JSON array', status: 400, send: { body: ['subject'] }, field: '(body)' },
    { name: 'no body', status: 400, send: { headers: { 'content-type': 'application/json' } }, field: '(body)' },
    { name: 'a missing subject', status: 400, send: { body: { description: 'no subject' } }, field: 'subject' },
    { name: 'an empty subject', status: 400, send: { body: { subject: '   ' } }, field: 'subject' },
    { name: 'a 10 000-character subject', status: 400, send: { body: { subject: 'x'.repeat(10_000) } }, field: 'subject' },
    { name: 'control characters in the subject', status: 400, send: { body: { subject: 'Wi-Fi\u0000mati' } }, field: 'subject' },
    { name: 'a line break in the subject', status: 400, send: { body: { subject: 'Wi-Fi\nmati' } }, field: 'subject' },
    {
      name: 'control characters in the description',
      status: 400,
      send: { body: { subject: 'ok', description: 'a\u0007b' } },
      field: 'description',
    },
    { name: 'an unknown urgency', status: 400, send: { body: { subject: 'ok', urgency: 'extreme' } }, field: 'urgency' },
    { name: 'an unknown channel', status: 400, send: { body: { subject: 'ok', channel: 'fax' } }, field: 'channel' },
    { name: 'an unknown category', status: 400, send: { body: { subject: 'ok', category: 'weather' } }, field: 'category' },
    { name: 'an unknown field', status: 400, send: { body: { subject: 'ok', priority: 'critical' } }, field: 'priority' },
    { name: 'a subject of the wrong type', status: 400, send: { body: { subject: 42 } }, field: 'subject' },
    { name: 'a requester claiming the phone channel', status: 400, send: { body: { subject: 'ok', channel: 'phone' } }, field: 'channel' },
    {
      name: 'a bad Idempotency-Key',
      status: 400,
      send: { body: { subject: 'ok' }, headers: { 'idempotency-key': 'é' } },
      field: 'Idempotency-Key',
    },
    {
      name: 'a wrong content type',
      status: 415,
      send: { rawBody: 'subject=Wi-Fi', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      detail: /application\/json/,
    },
    { name: 'no content type', status: 415, send: { rawBody: '{"subject":"ok"}' }, detail: /application\/json/ },
    {
      name: 'a body over 64 KiB',
      status: 413,
      send: { body: { subject: 'ok', description: 'x'.repeat(70_000) } },
      detail: /limit is 65536 bytes/,
    },
  ];

  it.each(cases)('answers $name with $status', async ({ status, send, field, detail }) => {
    // Act
    const response = await call('/tickets', { method: 'POST', token: requester, ...send });

    // Assert
    expectProblem(response, status);
    if (field) expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(field);
    if (detail) expect(response.body.detail).toMatch(detail);
    expect(await ticketsOfRequester()).toEqual([]);
  });

  it('names every bad field at once', async () => {
    const response = await call('/tickets', { method: 'POST', token: requester, body: { subject: '', urgency: 'x', impact: 'y' } });
    expectProblem(response, 400);
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['impact', 'subject', 'urgency']);
    for (const error of response.body.errors) expect(error.message).toEqual(expect.any(String));
  });
});

describe('bad requests elsewhere', () => {
  it('answers an unknown route with 404 and a wrong method with 405 and Allow', async () => {
    const unknown = await call('/tiket', { token: requester });
    const wrongMethod = await call('/tickets', { method: 'DELETE', token: requester });
    expectProblem(unknown, 404);
    expectProblem(wrongMethod, 405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, GET');
  });

  it('answers an unknown ticket with 404 on every ticket route', async () => {
    const missing = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const responses = await Promise.all([
      call(`/tickets/${missing}`, { token: agent }),
      call(`/tickets/not-an-id`, { token: agent }),
      call(`/tickets/${missing}/events`, { token: agent }),
      call(`/tickets/${missing}`, { method: 'PATCH', token: agent, body: { status: 'open' } }),
      call(`/tickets/${missing}/comments`, { method: 'POST', token: agent, body: { body: 'hello' } }),
    ]);
    for (const response of responses) expectProblem(response, 404);
  });

  it('refuses bad list filters, naming them', async () => {
    const cases = [
      ['/tickets?status=lost', 'status'],
      ['/tickets?limit=0', 'limit'],
      ['/tickets?limit=1000', 'limit'],
      ['/tickets?assignee=someone', 'assignee'],
      ['/tickets?team=astronomy', 'team'],
      ['/tickets?cursor=not-a-cursor', 'cursor'],
      ['/tickets?colour=red', 'colour'],
    ] as const;
    for (const [path, field] of cases) {
      const response = await call(path, { token: agent });
      expectProblem(response, 400);
      expect(
        response.body.errors.map((error: { path: string }) => error.path),
        path,
      ).toContain(field);
    }
  });

  it('refuses a bad PATCH and a bad comment without changing the ticket', async () => {
    // Arrange
    const ticket = await createRouted(requester, { subject: 'Keyboard rusak' });
    const lead = await tokenFor({ sub: 'rina', groups: ['lead'] });

    // Act
    const responses = [
      await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: agent, body: {} }),
      await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: agent, body: { status: 'archived' } }),
      await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: agent, body: { assignee: 'nobody' } }),
      // Siti is in another team: even a lead, who may assign across teams, must pick the ticket's team.
      await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: lead, body: { assignee: 'siti' } }),
      await call(`/tickets/${ticket.id}`, {
        method: 'PATCH',
        token: agent,
        headers: { 'if-match': 'yesterday' },
        body: { status: 'open' },
      }),
      await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: agent, body: { body: '' } }),
      await call(`/tickets/${ticket.id}/comments`, { method: 'POST', token: agent, body: { body: 'x', visibility: 'secret' } }),
    ];

    // Assert
    for (const response of responses) expectProblem(response, 400);
    expect(responses.map((response) => response.body.errors[0].path)).toEqual([
      '(body)',
      'status',
      'assignee',
      'assignee',
      'If-Match',
      'body',
      'visibility',
    ]);
    const after = await call(`/tickets/${ticket.id}/events`, { token: agent });
    const changes = after.body.items.filter((event: { type: string }) => event.type !== 'TicketViewed');
    expect(changes.map((event: { type: string }) => event.type)).toEqual(['TicketCreated', 'Assigned', 'StatusChanged']);
  });

  it('refuses a requester what only staff may do', async () => {
    const { body: ticket } = await call('/tickets', { method: 'POST', token: requester, body: { subject: 'Monitor berkedip' } });
    const priority = await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: requester, body: { priority: 'critical' } });
    const internal = await call(`/tickets/${ticket.id}/comments`, {
      method: 'POST',
      token: requester,
      body: { body: 'psst', visibility: 'internal' },
    });
    expectProblem(priority, 403);
    expectProblem(internal, 403);
  });
});
