// Macros over HTTP: the school's default macros (shared/config/helpdesk.config.json), a lead's shared macro and an
// agent's personal one, applied to a ticket as one version whose reply reaches the requester by mail; a macro
// the life cycle forbids is 409 and applies nothing.
import { randomInt } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { call, tokenFor } from './api-client.ts';
import { waitForMail } from './mail-viewer.ts';

const fileTicket = async (email: string) => {
  const requester = await tokenFor({ name: 'Citra Ayu', email });
  const created = await call('/tickets', {
    method: 'POST',
    token: requester,
    body: { subject: 'Wi-Fi lab komputer mati', description: 'Sejak pagi tidak bisa tersambung ke internet.' },
  });
  expect(created.status).toBe(201);
  return { requester, ticket: created.body };
};

describe('macros over HTTP', () => {
  it('applies a default macro: reply in the ticket language with its placeholders filled, the changes, one version, a mail', async () => {
    // Arrange
    const email = `citra-${randomInt(100_000, 999_999)}@example.org`;
    const { requester, ticket } = await fileTicket(email);
    const budi = await tokenFor({ sub: 'budi', name: 'Budi Santoso', groups: ['lead'], teams: ['it-support'] });

    // Act
    const applied = await call(`/tickets/${ticket.id}/macros/gangguan-wifi-lab`, { method: 'POST', token: budi });

    // Assert
    expect(applied.status).toBe(200);
    expect(applied.body.ticket).toMatchObject({ priority: 'high', tags: ['gangguan-massal', 'wifi-lab'], team: 'it-support' });
    expect(applied.headers.get('etag')).toBe(`"${applied.body.ticket.version}"`);
    const types = applied.body.events.map((event: { type: string }) => event.type);
    expect(types).toEqual(expect.arrayContaining(['MacroApplied', 'CommentAdded', 'TagsChanged', 'PriorityChanged']));
    expect(new Set(applied.body.events.map((event: { version: number }) => event.version))).toEqual(new Set([applied.body.ticket.version]));
    const reply = applied.body.events.find((event: { type: string }) => event.type === 'CommentAdded');
    expect(reply.data.body).toContain(`Halo Citra Ayu`);
    expect(reply.data.body).toContain(`#${ticket.number}`);
    expect(reply.data.body).toContain('Dukungan TI');
    // The requester sees the reply and the changes, not which macro wrote them.
    const seen = await call(`/tickets/${ticket.id}/events`, { token: requester });
    const seenTypes = seen.body.items.map((event: { type: string }) => event.type);
    expect(seenTypes).toEqual(expect.arrayContaining(['CommentAdded', 'TagsChanged']));
    expect(seenTypes).not.toContain('MacroApplied');
    const mail = await waitForMail(
      inject('sesEndpoint'),
      (sent) => sent.destination.to.includes(email) && /gangguan Wi-Fi/.test(sent.body.text ?? ''),
    );
    expect(mail.body.text).toContain('Halo Citra Ayu');
  });

  it('keeps a lead’s shared macro and an agent’s personal one; only the owner sees and applies a personal macro', async () => {
    // Arrange
    const budi = await tokenFor({ sub: 'budi', name: 'Budi Santoso', groups: ['lead'], teams: ['it-support'] });
    const yusuf = await tokenFor({ sub: 'yusuf', name: 'Yusuf Hidayat', groups: ['agent'], teams: ['it-support'] });
    const suffix = randomInt(100_000, 999_999);
    const { ticket } = await fileTicket(`dian-${suffix}@example.org`);

    // Act
    const shared = await call('/macros', {
      method: 'POST',
      token: budi,
      body: { scope: 'shared', name: { id: `Proyektor ${suffix}`, en: `Projector ${suffix}` }, actions: { category: 'hardware' } },
    });
    const refusedShared = await call('/macros', {
      method: 'POST',
      token: yusuf,
      body: { scope: 'shared', name: { id: 'X', en: 'X' }, actions: { status: 'open' } },
    });
    const personal = await call('/macros', {
      method: 'POST',
      token: yusuf,
      body: {
        scope: 'personal',
        name: { id: `Catatan ${suffix}`, en: `Note ${suffix}` },
        reply: { id: 'Dicek oleh {{agent.name}}.', en: 'Checked by {{agent.name}}.' },
        visibility: 'internal',
      },
    });
    const budisList = await call('/macros', { token: budi });
    const yusufsList = await call('/macros', { token: yusuf });
    const budiApplies = await call(`/tickets/${ticket.id}/macros/${personal.body.id}`, { method: 'POST', token: budi });
    const yusufApplies = await call(`/tickets/${ticket.id}/macros/${personal.body.id}`, { method: 'POST', token: yusuf });
    const renamed = await call(`/macros/${shared.body.id}`, {
      method: 'PUT',
      token: budi,
      headers: { 'if-match': '"1"' },
      body: { name: { id: `Proyektor LCD ${suffix}`, en: `LCD projector ${suffix}` }, actions: { category: 'hardware' } },
    });
    const stale = await call(`/macros/${shared.body.id}`, { method: 'DELETE', token: budi, headers: { 'if-match': '"1"' } });
    const deleted = await call(`/macros/${shared.body.id}`, { method: 'DELETE', token: budi, headers: { 'if-match': '"2"' } });

    // Assert
    expect(shared.status).toBe(201);
    expect(shared.headers.get('location')).toBe(`/macros/${shared.body.id}`);
    expect(refusedShared.status).toBe(403);
    expect(personal.status).toBe(201);
    const names = (response: typeof budisList) => response.body.items.map((macro: { name: { id: string } }) => macro.name.id);
    expect(names(budisList)).toEqual(expect.arrayContaining([`Proyektor ${suffix}`, 'Minta informasi tambahan']));
    expect(names(budisList)).not.toContain(`Catatan ${suffix}`);
    expect(names(yusufsList)).toEqual(expect.arrayContaining([`Proyektor ${suffix}`, `Catatan ${suffix}`]));
    expect(budiApplies.status).toBe(404);
    expect(yusufApplies.status).toBe(200);
    expect(yusufApplies.body.events[1].data).toMatchObject({ visibility: 'internal', body: 'Dicek oleh Yusuf Hidayat.' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ version: 2, name: { id: `Proyektor LCD ${suffix}` } });
    expect(stale.status).toBe(412);
    expect(deleted.status).toBe(204);
  });

  it('refuses bad macros and bad applications clearly, applying nothing', async () => {
    // Arrange
    const budi = await tokenFor({ sub: 'budi', name: 'Budi Santoso', groups: ['lead'], teams: ['it-support'] });
    const { requester, ticket } = await fileTicket(`eka-${randomInt(100_000, 999_999)}@example.org`);
    const onHold = await call('/macros', {
      method: 'POST',
      token: budi,
      body: { scope: 'personal', name: { id: 'Tunda', en: 'Hold' }, actions: { status: 'on_hold' } },
    });
    const pending = await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: budi, body: { status: 'pending' } });
    expect(pending.status).toBe(200);

    // Act
    const forbiddenMove = await call(`/tickets/${ticket.id}/macros/${onHold.body.id}`, { method: 'POST', token: budi });
    const byRequester = await call(`/tickets/${ticket.id}/macros/minta-info`, { method: 'POST', token: requester });
    const unknown = await call(`/tickets/${ticket.id}/macros/tidak-ada`, { method: 'POST', token: budi });
    const badPlaceholder = await call('/macros', {
      method: 'POST',
      token: budi,
      body: { scope: 'shared', name: { id: 'A', en: 'A' }, reply: { id: 'Halo {{nama}}', en: 'Hi' } },
    });
    const unknownTeam = await call('/macros', {
      method: 'POST',
      token: budi,
      body: { scope: 'shared', name: { id: 'B', en: 'B' }, actions: { team: 'kantin' } },
    });
    const history = await call(`/tickets/${ticket.id}/events`, { token: budi });

    // Assert
    expect(forbiddenMove.status).toBe(409);
    expect(forbiddenMove.body.detail).toContain('cannot move to on_hold');
    expect(byRequester.status).toBe(403);
    expect(unknown.status).toBe(404);
    expect(badPlaceholder.status).toBe(400);
    expect(badPlaceholder.body.errors).toEqual([expect.objectContaining({ path: 'reply.id' })]);
    expect(unknownTeam.status).toBe(422);
    expect(unknownTeam.body.errors).toEqual([expect.objectContaining({ path: 'actions.team' })]);
    expect(history.body.items.map((event: { type: string }) => event.type)).not.toContain('MacroApplied');
  });
});
