// Merge and link over HTTP: a duplicate merged into a primary is closed with a reference, its requester is
// told by mail and then hears of the primary's public replies; a major incident lists its children; refusals
// (into itself, into a closed ticket, across reach, from a requester) write nothing.
import { randomInt } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { call, tokenFor, waitForTicket } from './api-client.ts';
import { waitForMail } from './mail-viewer.ts';
import { waitFor } from './wait-for.ts';

const file = async (who: string, subject: string) => {
  const email = `${who}-${randomInt(100_000, 999_999)}@example.org`;
  const token = await tokenFor({ name: who, email });
  const created = await call('/tickets', { method: 'POST', token, body: { subject, description: 'Sejak pagi tidak tersambung.' } });
  expect(created.status).toBe(201);
  return { email, token, ticket: created.body };
};

describe('merge and link over HTTP', () => {
  it('merges a duplicate: closed with a reference, its requester told by mail and following the primary', async () => {
    // Arrange
    const budi = await tokenFor({ sub: 'budi', name: 'Budi Santoso', groups: ['lead'], teams: ['it-support'] });
    const first = await file('Ani', 'Wi-Fi lab komputer mati');
    const second = await file('Dodi', 'Internet di lab komputer putus');

    // Act
    const merged = await call(`/tickets/${second.ticket.id}/merge`, { method: 'POST', token: budi, body: { into: first.ticket.id } });
    const reply = await call(`/tickets/${first.ticket.id}/comments`, {
      method: 'POST',
      token: budi,
      body: { body: 'Access point lab sudah kami ganti; silakan dicoba lagi.' },
    });

    // Assert
    expect(merged.status).toBe(200);
    expect(merged.body.duplicate).toMatchObject({ status: 'closed', mergedInto: { id: first.ticket.id, number: first.ticket.number } });
    expect(merged.body.primary.mergedFrom).toEqual([{ id: second.ticket.id, number: second.ticket.number }]);
    const duplicateHistory = await call(`/tickets/${second.ticket.id}/events`, { token: second.token });
    expect(duplicateHistory.body.items.map((event: { type: string }) => event.type)).toEqual(
      expect.arrayContaining(['Merged', 'CommentAdded', 'StatusChanged']),
    );
    const notice = await waitForMail(
      inject('sesEndpoint'),
      (mail) => mail.destination.to.includes(second.email) && /digabungkan/.test(mail.body.text ?? ''),
    );
    expect(notice.body.text).toContain(`#${first.ticket.number}`);
    expect(reply.status).toBe(201);
    const followed = await waitForMail(
      inject('sesEndpoint'),
      (mail) => mail.destination.to.includes(second.email) && /Access point lab sudah kami ganti/.test(mail.body.text ?? ''),
    );
    expect(followed.body.text).toContain('Dodi');
    // The primary's requester does not see whose duplicate was merged into their ticket.
    const primaryHistory = await call(`/tickets/${first.ticket.id}/events`, { token: first.token });
    expect(primaryHistory.body.items.map((event: { type: string }) => event.type)).not.toContain('DuplicateMerged');
  });

  it('links a major incident and its reports on both sides, and refuses what it cannot do, writing nothing', async () => {
    // Arrange
    const budi = await tokenFor({ sub: 'budi', name: 'Budi Santoso', groups: ['lead'], teams: ['it-support'] });
    const yusuf = await tokenFor({ sub: 'yusuf', groups: ['agent'], teams: ['it-support'] });
    const incident = await file('Eka', 'Wi-Fi seluruh sekolah mati');
    const report = await file('Fani', 'Wi-Fi kelas X mati');
    const finance = await file('Gita', 'Tagihan SPP salah');
    const closed = await file('Hadi', 'Wi-Fi perpustakaan mati');
    await call(`/tickets/${closed.ticket.id}/merge`, { method: 'POST', token: budi, body: { into: incident.ticket.id } });

    // Act
    const linked = await call(`/tickets/${report.ticket.id}/links`, {
      method: 'POST',
      token: yusuf,
      body: { ticket: incident.ticket.id, kind: 'parent' },
    });
    const twice = await call(`/tickets/${incident.ticket.id}/links`, { method: 'POST', token: yusuf, body: { ticket: report.ticket.id } });
    const intoItself = await call(`/tickets/${report.ticket.id}/merge`, { method: 'POST', token: budi, body: { into: report.ticket.id } });
    const intoClosed = await call(`/tickets/${report.ticket.id}/merge`, { method: 'POST', token: budi, body: { into: closed.ticket.id } });
    const acrossTeams = await call(`/tickets/${report.ticket.id}/merge`, {
      method: 'POST',
      token: yusuf,
      body: { into: finance.ticket.id },
    });
    const byRequester = await call(`/tickets/${report.ticket.id}/links`, {
      method: 'POST',
      token: report.token,
      body: { ticket: incident.ticket.id },
    });
    const badKind = await call(`/tickets/${report.ticket.id}/links`, {
      method: 'POST',
      token: yusuf,
      body: { ticket: finance.ticket.id, kind: 'sibling' },
    });

    // Assert
    expect(linked.status).toBe(200);
    expect(linked.body.ticket.links).toEqual([{ id: incident.ticket.id, number: incident.ticket.number, kind: 'parent' }]);
    expect(linked.body.other.links).toEqual([{ id: report.ticket.id, number: report.ticket.number, kind: 'child' }]);
    expect(twice.status).toBe(409);
    expect(intoItself.status).toBe(409);
    expect(intoClosed.status).toBe(409);
    expect(intoClosed.body.detail).toContain('closed');
    expect(acrossTeams.status).toBe(404);
    expect(byRequester.status).toBe(404);
    expect(badKind.status).toBe(400);
    expect(badKind.body.errors).toEqual([expect.objectContaining({ path: 'kind' })]);
    const after = await call(`/tickets/${report.ticket.id}`, { token: budi });
    expect(after.body).toMatchObject({ status: expect.not.stringMatching(/closed/), links: [{ kind: 'parent' }] });
  });

  it('sends a major incident’s public update to every child’s requester and resolves the children with it', async () => {
    // Arrange
    const budi = await tokenFor({ sub: 'budi', name: 'Budi Santoso', groups: ['lead'], teams: ['it-support'] });
    const incident = await file('Ika', 'Server e-Rapor tidak bisa diakses');
    const children = [await file('Joko', 'e-Rapor error 502'), await file('Kiki', 'Tidak bisa buka e-Rapor')];
    for (const child of children)
      expect(
        (
          await call(`/tickets/${child.ticket.id}/links`, {
            method: 'POST',
            token: budi,
            body: { ticket: incident.ticket.id, kind: 'parent' },
          })
        ).status,
      ).toBe(200);

    // Act
    await call(`/tickets/${incident.ticket.id}/comments`, {
      method: 'POST',
      token: budi,
      body: { body: 'Server e-Rapor sedang dipulihkan, perkiraan selesai pukul 13.00.' },
    });
    await call(`/tickets/${incident.ticket.id}`, { method: 'PATCH', token: budi, body: { status: 'resolved' } });

    // Assert
    for (const child of children) {
      const mail = await waitForMail(
        inject('sesEndpoint'),
        (sent) => sent.destination.to.includes(child.email) && /Server e-Rapor sedang dipulihkan/.test(sent.body.text ?? ''),
      );
      expect(mail.subject).toContain(`#${child.ticket.number}`);
      const resolved = await waitForTicket(child.ticket.id, budi, (ticket) => ticket.status === 'resolved');
      expect(resolved.status).toBe('resolved');
      const history = await waitFor(
        () => call(`/tickets/${child.ticket.id}/events`, { token: child.token }),
        (response) => response.body.items.some((event: { type: string }) => event.type === 'StatusChanged'),
      );
      expect(history.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            type: 'CommentAdded',
            data: expect.objectContaining({ incident: { id: incident.ticket.id, number: incident.ticket.number } }),
          }),
        ]),
      );
    }
  });
});
