// The administration API through the shared sandbox: /admin/people against the sandbox's user pool (its file
// stands in for Cognito), the audit trail, the organisation view, a requester's record and the dashboard's
// trends, with their refusals. The invited people here are administrators (never routed), so no other test's
// tickets go to them; routing after an invitation is the browser test's (test/browser/people.test.ts).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiUrl, call, tokenFor } from './api-client.ts';

const admin = () => tokenFor({ sub: 'admin', name: 'Admin Sekolah', groups: ['admin'] });

describe('/admin/people', () => {
  it('invites a person who can then sign in, changes and disables them, and records every change', async () => {
    // Arrange
    const root = await admin();
    const email = `kepala.${randomUUID().slice(0, 8)}@sekolah.example`;

    // Act
    const invited = await call('/admin/people', { method: 'POST', token: root, body: { email, name: 'Kepala Tata Usaha', role: 'admin' } });
    const id = invited.body.id as string;
    const token = await fetch(`${apiUrl()}/_local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: id, groups: ['admin'] }),
    });
    const changed = await call(`/admin/people/${id}`, { method: 'PATCH', token: root, body: { teams: ['tata-usaha'] } });
    const disabled = await call(`/admin/people/${id}`, { method: 'PATCH', token: root, body: { enabled: false } });
    const refusedSignIn = await fetch(`${apiUrl()}/_local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: id, groups: ['admin'] }),
    });
    const history = await call(`/admin/people/${id}/history`, { token: root });
    const listed = await call('/admin/people', { token: root });

    // Assert
    expect(invited.status).toBe(201);
    expect(invited.headers.get('location')).toBe(`/admin/people/${id}`);
    expect(invited.body).toMatchObject({ name: 'Kepala Tata Usaha', email, role: 'admin', teams: [], active: true });
    expect(token.status).toBe(200);
    expect(changed.body).toMatchObject({ teams: ['tata-usaha'] });
    expect(disabled.body).toMatchObject({ active: false });
    expect(refusedSignIn.status).toBe(403);
    expect(history.body.items.map((record: { type: string; actor: { id: string } }) => `${record.type} by ${record.actor.id}`)).toEqual([
      'StaffInvited by admin',
      'TeamsChanged by admin',
      'StaffDisabled by admin',
    ]);
    expect(listed.body.items.find((person: { id: string }) => person.id === id)).toMatchObject({ email, active: false });
  });

  it('refuses an address in use (409 naming email), a lead (403 naming the field), a bad body (400) and changes nothing', async () => {
    // Arrange
    const root = await admin();
    const lead = await tokenFor({ sub: 'siti', groups: ['lead'], teams: ['tata-usaha'] });
    const before = (await call('/admin/people', { token: root })).body.items.length;

    // Act
    const inUse = await call('/admin/people', {
      method: 'POST',
      token: root,
      body: { email: 'RINA@sekolah.example', name: 'Rina Dua', role: 'agent', teams: ['helpdesk'] },
    });
    const byLead = await call('/admin/people/andi', { method: 'PATCH', token: lead, body: { role: 'lead' } });
    const leadList = await call('/admin/people', { token: lead });
    const badRole = await call('/admin/people', {
      method: 'POST',
      token: root,
      body: { email: 'x@sekolah.example', name: 'X', role: 'boss' },
    });
    const noTeam = await call('/admin/people', {
      method: 'POST',
      token: root,
      body: { email: 'y@sekolah.example', name: 'Y', role: 'agent' },
    });
    const nobody = await call('/admin/people/nobody', { method: 'PATCH', token: root, body: { enabled: false } });
    const outsideTeam = await call('/staff/andi/availability', { method: 'PUT', token: lead, body: { available: false } });

    // Assert
    expect(inUse.status).toBe(409);
    expect(inUse.headers.get('content-type')).toBe('application/problem+json');
    expect(inUse.body.errors).toEqual([{ path: 'email', message: expect.stringMatching(/^is already in use by Rina/) }]);
    expect(byLead.status).toBe(403);
    expect(byLead.body.errors).toEqual([{ path: 'role', message: 'can be changed by an administrator only' }]);
    expect(leadList.status).toBe(403);
    expect([badRole.status, badRole.body.errors[0].path]).toEqual([400, 'role']);
    expect([noTeam.status, noTeam.body.errors[0].path]).toEqual([400, 'teams']);
    expect(nobody.status).toBe(404);
    expect(outsideTeam.status).toBe(403);
    expect(outsideTeam.body.errors[0].path).toBe('available');
    expect((await call('/admin/people', { token: root })).body.items.length).toBe(before);
    expect((await call('/staff', { token: root })).body.items.find((member: { id: string }) => member.id === 'andi')).toMatchObject({
      role: 'agent',
      available: true,
    });
  });
});

describe('the organisation, a requester’s record, trends', () => {
  it('shows the configuration with where each part is set, and the coming year’s closed days', async () => {
    // Act
    const view = await call('/admin/organisation', { token: await tokenFor({ sub: 'siti', groups: ['lead'], teams: ['tata-usaha'] }) });
    const asAgent = await call('/admin/organisation', { token: await tokenFor({ sub: 'andi', groups: ['agent'], teams: ['helpdesk'] }) });

    // Assert
    expect(view.status).toBe(200);
    expect(view.body.file).toBe('shared/config/helpdesk.config.json');
    expect(view.body.teams.map((team: { id: string }) => team.id)).toEqual(['helpdesk', 'it-support', 'tata-usaha', 'keuangan', 'sarpras']);
    expect(view.body.categories.find((category: { id: string }) => category.id === 'finance')).toMatchObject({
      team: 'keuangan',
      set: expect.stringMatching(/^categories\[\d+\]$/),
    });
    expect(view.body.closedDays.days.length).toBeGreaterThan(10);
    expect(Array.isArray(view.body.coverage)).toBe(true);
    expect(asAgent.status).toBe(403);
  });

  it('gives staff a requester’s contact details and tickets, and offers the erasure to admins only', async () => {
    // Arrange
    const requesterId = `req-${randomUUID()}`;
    const requester = await tokenFor({ sub: requesterId, name: 'Bu Wati', email: 'wati@example.org' });
    await call('/tickets', { method: 'POST', token: requester, body: { subject: 'Slip gaji belum terkirim' } });

    // Act
    const forAdmin = await call(`/admin/requesters/${requesterId}`, { token: await admin() });
    const forLead = await call(`/admin/requesters/${requesterId}`, {
      token: await tokenFor({ sub: 'dewi', groups: ['lead'], teams: ['keuangan'] }),
    });
    const forRequester = await call(`/admin/requesters/${requesterId}`, { token: requester });

    // Assert
    expect(forAdmin.body).toMatchObject({
      requester: { id: requesterId, name: 'Bu Wati', email: 'wati@example.org' },
      erased: false,
      canErase: true,
    });
    expect(forAdmin.body.tickets).toHaveLength(1);
    expect(forLead.body.canErase).toBe(false);
    expect(forRequester.status).toBe(403);
  });

  it('refuses a lead the trends and figures of a team they do not lead, and a range over the maximum (naming the field)', async () => {
    // Arrange
    const lead = await tokenFor({ sub: 'siti', groups: ['lead'], teams: ['tata-usaha'] });

    // Act
    const ownTrends = await call('/reports/trends?team=tata-usaha', { token: lead });
    const otherTrends = await call('/reports/trends?team=keuangan', { token: lead });
    const otherSummary = await call('/reports/summary?from=2026-03-01&to=2026-03-02&team=keuangan', { token: lead });
    const desk = await call('/reports/summary?from=2026-03-01&to=2026-03-02', { token: lead });
    const tooLong = await call('/reports/summary?from=2025-01-01&to=2026-01-02&team=tata-usaha', { token: lead });

    // Assert
    expect(ownTrends.status).toBe(200);
    expect(ownTrends.body).toMatchObject({ team: 'tata-usaha', trends: [] });
    for (const refused of [otherTrends, otherSummary, desk]) {
      expect(refused.status).toBe(403);
      expect(refused.body.errors).toEqual([{ path: 'team', message: 'must be one of the teams you lead: tata-usaha' }]);
    }
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0]).toMatchObject({ path: 'to', message: expect.stringContaining('at most 366') });
  });
});
