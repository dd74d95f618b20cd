// Requester isolation and team scoping, through the sandbox as callers meet them: every role against every
// ticket route, on a ticket in their reach and one outside it. Outside reach is always 404 with nothing of
// the ticket in the answer; inside reach but not allowed is 403.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createRouted, tokenFor } from './api-client.ts';

type Caller = 'owner' | 'stranger' | 'agent' | 'lead' | 'admin';
const tokens = {} as Record<Caller, string>;
let itTicket: { id: string; subject: string };
let financeTicket: { id: string; subject: string };
/** Each staff caller's personal macro (an internal note); requesters try a default one. */
const macroOf: Record<string, string> = {};
const marker = randomUUID().slice(0, 8);

beforeAll(async () => {
  const ownerId = `owner-${marker}`;
  tokens.owner = await tokenFor({ sub: ownerId, groups: ['requester'] });
  tokens.stranger = await tokenFor({ sub: `stranger-${marker}`, groups: ['requester'] });
  tokens.agent = await tokenFor({ sub: 'budi', groups: ['agent'], teams: ['it-support'] });
  tokens.lead = await tokenFor({ sub: 'rina', groups: ['lead'] });
  tokens.admin = await tokenFor({ sub: 'admin-1', groups: ['admin'] });
  itTicket = await createRouted(tokens.owner, { subject: `Printer rusak ${marker}` });
  financeTicket = await createRouted(tokens.owner, { subject: `Tagihan SPP salah ${marker}` });
  for (const caller of ['agent', 'lead', 'admin'] as const) {
    const macro = await call('/macros', {
      method: 'POST',
      token: tokens[caller],
      body: { scope: 'personal', name: { id: 'Catatan', en: 'Note' }, reply: { id: 'Dicek.', en: 'Checked.' }, visibility: 'internal' },
    });
    macroOf[tokens[caller]] = macro.body.id;
  }
  // An internal note on each, which no requester may ever read.
  for (const ticket of [itTicket, financeTicket])
    await call(`/tickets/${ticket.id}/comments`, {
      method: 'POST',
      token: tokens.lead,
      body: { body: `catatan internal ${marker}`, visibility: 'internal' },
    });
});

/** The status each caller gets on [the IT ticket (agent's team), the finance ticket (not the agent's)]. */
const MATRIX: {
  route: string;
  call: (ticket: { id: string }, token: string) => ReturnType<typeof call>;
  expected: Record<Caller, [number, number]>;
}[] = [
  {
    route: 'GET /tickets/{id}',
    call: (ticket, token) => call(`/tickets/${ticket.id}`, { token }),
    expected: { owner: [200, 200], stranger: [404, 404], agent: [200, 404], lead: [200, 200], admin: [200, 200] },
  },
  {
    route: 'GET /tickets/{id}/events',
    call: (ticket, token) => call(`/tickets/${ticket.id}/events`, { token }),
    expected: { owner: [200, 200], stranger: [404, 404], agent: [200, 404], lead: [200, 200], admin: [200, 200] },
  },
  {
    route: 'GET /tickets/{id}/views',
    call: (ticket, token) => call(`/tickets/${ticket.id}/views`, { token }),
    expected: { owner: [403, 403], stranger: [404, 404], agent: [200, 404], lead: [200, 200], admin: [200, 200] },
  },
  {
    route: 'POST /tickets/{id}/comments (public)',
    call: (ticket, token) => call(`/tickets/${ticket.id}/comments`, { method: 'POST', token, body: { body: 'ok' } }),
    expected: { owner: [201, 201], stranger: [404, 404], agent: [201, 404], lead: [201, 201], admin: [201, 201] },
  },
  {
    route: 'POST /tickets/{id}/comments (internal)',
    call: (ticket, token) =>
      call(`/tickets/${ticket.id}/comments`, { method: 'POST', token, body: { body: 'note', visibility: 'internal' } }),
    expected: { owner: [403, 403], stranger: [404, 404], agent: [201, 404], lead: [201, 201], admin: [201, 201] },
  },
  {
    route: 'PATCH /tickets/{id} (priority)',
    call: (ticket, token) => call(`/tickets/${ticket.id}`, { method: 'PATCH', token, body: { priority: 'high' } }),
    expected: { owner: [403, 403], stranger: [404, 404], agent: [200, 404], lead: [200, 200], admin: [200, 200] },
  },
  {
    route: 'PATCH /tickets/{id} (status to pending)',
    call: (ticket, token) => call(`/tickets/${ticket.id}`, { method: 'PATCH', token, body: { status: 'on_hold' } }),
    expected: { owner: [403, 403], stranger: [404, 404], agent: [200, 404], lead: [200, 200], admin: [200, 200] },
  },
  {
    route: 'POST /tickets/{id}/macros/{macroId}',
    call: (ticket, token) => call(`/tickets/${ticket.id}/macros/${macroOf[token] ?? 'minta-info'}`, { method: 'POST', token }),
    // Macros are staff's: a requester is refused whatever the ticket, which tells them nothing about it.
    expected: { owner: [403, 403], stranger: [403, 403], agent: [200, 404], lead: [200, 200], admin: [200, 200] },
  },
];

describe('who reaches which ticket', () => {
  for (const row of MATRIX)
    for (const caller of Object.keys(row.expected) as Caller[])
      it(`${row.route} as ${caller}: ${row.expected[caller].join(' / ')}`, async () => {
        const [onIt, onFinance] = await Promise.all([row.call(itTicket, tokens[caller]), row.call(financeTicket, tokens[caller])]);
        expect([onIt.status, onFinance.status]).toEqual(row.expected[caller]);
        for (const response of [onIt, onFinance])
          if (response.status === 404 || response.status === 403) {
            expect(response.headers.get('content-type')).toBe('application/problem+json');
            expect(response.text).not.toContain(marker);
          }
      });

  it('lets only staff file for someone else, and only an admin erase a requester', async () => {
    const onBehalf = { subject: `Telepon ${marker}`, channel: 'phone', requester: { name: 'Pak Joko', phone: '+62 812 1111 2222' } };
    const filed = await Promise.all(
      (Object.keys(tokens) as Caller[]).map((caller) => call('/tickets', { method: 'POST', token: tokens[caller], body: onBehalf })),
    );
    expect(filed.map((response) => response.status)).toEqual([403, 403, 201, 201, 201]);
    const erased = await Promise.all(
      (['owner', 'stranger', 'agent', 'lead'] as Caller[]).map((caller) =>
        call(`/admin/requesters/nobody-${marker}/erase`, { method: 'POST', token: tokens[caller] }),
      ),
    );
    expect(erased.map((response) => response.status)).toEqual([403, 403, 403, 403]);
    const byAdmin = await call(`/admin/requesters/nobody-${marker}/erase`, { method: 'POST', token: tokens.admin });
    expect(byAdmin).toMatchObject({ status: 200, body: { tickets: 0 } });
    // A broken %-escape names nobody: 404, not a crash.
    expect((await call('/admin/requesters/%E0%A4/erase', { method: 'POST', token: tokens.admin })).status).toBe(404);
  });

  it('lists for each caller exactly the tickets in their reach', async () => {
    const ids = async (token: string, query = '') =>
      ((await call(`/tickets?limit=100${query}`, { token })).body.items as { id: string }[]).map((ticket) => ticket.id);
    expect(await ids(tokens.owner)).toEqual(expect.arrayContaining([itTicket.id, financeTicket.id]));
    expect(await ids(tokens.stranger)).toEqual([]);
    const agentSees = await ids(tokens.agent, '&team=it-support');
    expect(agentSees).toContain(itTicket.id);
    expect(agentSees).not.toContain(financeTicket.id);
    expect((await call('/tickets?team=keuangan', { token: tokens.agent })).status).toBe(403);
    expect(await ids(tokens.lead, '&team=keuangan')).toContain(financeTicket.id);
  });

  it('never shows a requester an internal note, a staff read or a staff address', async () => {
    const history = (await call(`/tickets/${itTicket.id}/events`, { token: tokens.owner })).body.items as {
      type: string;
      data: { visibility?: string };
      actor: { ip?: string };
    }[];
    expect(history.filter((event) => event.type === 'CommentAdded' && event.data.visibility !== 'public')).toEqual([]);
    expect(history.filter((event) => event.type === 'TicketViewed')).toEqual([]);
    expect(history.filter((event) => event.actor.ip !== undefined)).toEqual([]);
    expect(JSON.stringify(history)).not.toContain(`catatan internal ${marker}`);
  });

  it('records every staff read of the ticket with who, role, time and source IP, apart from its history, for staff to see', async () => {
    // Act
    await call(`/tickets/${financeTicket.id}`, { token: tokens.admin });
    const views = await call(`/tickets/${financeTicket.id}/views`, { token: tokens.lead });
    const history = (await call(`/tickets/${financeTicket.id}/events`, { token: tokens.lead })).body.items as { type: string }[];
    const asOwner = await call(`/tickets/${financeTicket.id}/views`, { token: tokens.owner });
    const asStranger = await call(`/tickets/${financeTicket.id}/views`, { token: tokens.stranger });
    const asAgentOfAnotherTeam = await call(`/tickets/${financeTicket.id}/views`, { token: tokens.agent });

    // Assert: newest first, the admin's read first of all; never in the history; staff only
    expect(views.status).toBe(200);
    expect(views.body.items[0]).toMatchObject({
      type: 'TicketViewed',
      actor: { id: 'admin-1', role: 'admin', ip: expect.stringMatching(/\d|:/) },
      at: expect.any(String),
    });
    expect(history.filter((event) => event.type === 'TicketViewed')).toEqual([]);
    expect(asOwner.status).toBe(403);
    expect(asStranger.status).toBe(404);
    expect(asAgentOfAnotherTeam.status).toBe(404);
  });
});
