// Mentions and followers over HTTP: `@yusuf` in an internal note mails Yusuf; an agent who follows a ticket is
// mailed its updates; a requester can do neither.
import { randomInt } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { call, tokenFor } from './api-client.ts';
import { type SentMail, waitForMail } from './mail-viewer.ts';

describe('mentions and followers over HTTP', () => {
  it('mails a colleague named in an internal note, and a follower the ticket’s updates', async () => {
    // Arrange
    const requester = await tokenFor({ name: 'Lina', email: `lina-${randomInt(100_000, 999_999)}@example.org` });
    const budi = await tokenFor({ sub: 'budi', name: 'Budi Santoso', groups: ['lead'], teams: ['it-support'] });
    const yusuf = await tokenFor({ sub: 'yusuf', name: 'Yusuf Hidayat', groups: ['agent'], teams: ['it-support'] });
    const created = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: 'Proyektor lab bahasa tidak menyala', category: 'hardware' },
    });
    const { id, number } = created.body;

    // Act
    const note = await call(`/tickets/${id}/comments`, {
      method: 'POST',
      token: budi,
      body: { body: '@yusuf tolong cek kabel daya proyektornya.', visibility: 'internal' },
    });
    const followed = await call(`/tickets/${id}/followers/me`, { method: 'PUT', token: yusuf });
    await call(`/tickets/${id}/comments`, { method: 'POST', token: budi, body: { body: 'Teknisi kami menuju lab bahasa.' } });
    const byRequester = await call(`/tickets/${id}/followers/me`, { method: 'PUT', token: requester });

    // Assert
    expect(note.status).toBe(201);
    expect(note.body.data.mentions).toEqual(['yusuf']);
    const mention = await waitForMail(
      inject('sesEndpoint'),
      (mail) => mail.destination.to.includes('yusuf@sekolah.example') && mail.subject.startsWith(`Anda disebut: #${number} `),
    );
    expect(mention.body.text).toContain('tolong cek kabel daya');
    expect(followed.status).toBe(200);
    expect(followed.body.followers).toEqual(['yusuf']);
    // The reply and the status change it brought are two updates, mailed in whichever order the consumers run.
    const updates = (mail: SentMail) =>
      mail.destination.to.includes('yusuf@sekolah.example') && mail.subject.startsWith(`Tiket yang Anda ikuti: #${number} `);
    const update = await waitForMail(inject('sesEndpoint'), (mail) => updates(mail) && (mail.body.text ?? '').includes('Teknisi kami'));
    expect(update.body.text).toContain('Teknisi kami menuju lab bahasa.');
    expect(byRequester.status).toBe(403);
    const unfollowed = await call(`/tickets/${id}/followers/me`, { method: 'DELETE', token: yusuf });
    expect(unfollowed.status).toBe(200);
    expect(unfollowed.body.followers).toBeUndefined();
  });
});
