// Following a ticket without an account, as a requester does from the acknowledgement mail: the link in
// the mail opens the ticket (JSON or a page), takes a comment with a file (downloaded through the JSON link or the
// page's own link), and a forged link finds nothing.
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { apiUrl, call, tokenFor } from './api-client.ts';
import { waitForMail } from './mail-viewer.ts';

const mailTo = (address: string) => waitForMail(inject('sesEndpoint'), (mail) => mail.destination.to.some((to) => to.includes(address)));

describe('the tracking link in the acknowledgement', () => {
  it('shows the ticket, takes a comment as the requester, and refuses a forged link', async () => {
    // Arrange: a requester with an address files a ticket and gets the acknowledgement
    const address = `tracker-${randomUUID().slice(0, 8)}@example.org`;
    const requester = await tokenFor({ sub: `tracker-${randomUUID()}`, email: address, name: 'Tari' });
    const { body: ticket } = await call('/tickets', { method: 'POST', token: requester, body: { subject: 'Lampu <b>lab</b> mati' } });
    const mail = await mailTo(address);
    const link = /(https?:\/\/\S+\/track\/[A-Za-z0-9_.-]+)/.exec(mail.body.text ?? '')?.[1];
    expect(link).toBeDefined();
    const path = new URL(link!).pathname;

    // Act + Assert: JSON
    const json = await call(path);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      number: ticket.number,
      subject: 'Lampu <b>lab</b> mati',
      status: expect.any(String),
      language: 'id',
    });
    expect(json.headers.get('cache-control')).toBe('no-store');

    // a page, escaped, for a browser
    const page = await fetch(`${apiUrl()}${path}`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('Lampu &lt;b&gt;lab&lt;/b&gt; mati');
    expect(html).not.toContain('<b>lab</b>');

    // a comment through the link, recorded as the requester's
    const comment = await call(`${path}/comments`, { method: 'POST', body: { body: 'Terima kasih, saya tunggu.' } });
    expect(comment.status).toBe(201);
    const history = await call(`/tickets/${ticket.id}/events`, { token: requester });
    expect(history.body.items).toContainEqual(
      expect.objectContaining({ type: 'CommentAdded', data: { body: 'Terima kasih, saya tunggu.', visibility: 'public' } }),
    );

    // a forged or altered link finds nothing
    const altered = `${path.slice(0, -3)}${path.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    for (const bad of [altered, '/track/not-a-token', `/track/${'x'.repeat(2000)}`]) {
      const response = await call(bad);
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('Lampu');
    }
    expect((await call(`${altered}/comments`, { method: 'POST', body: { body: 'spam' } })).status).toBe(404);
  });

  it('takes a file with a comment through the link, lists it, and lets both sides download it', async () => {
    // Arrange: a requester's tracking link, and a real PNG's first bytes
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('the picture')]);
    const address = `tracker-${randomUUID().slice(0, 8)}@example.org`;
    const requester = await tokenFor({ sub: `tracker-${randomUUID()}`, email: address, name: 'Tari' });
    const { body: ticket } = await call('/tickets', { method: 'POST', token: requester, body: { subject: 'Printer macet' } });
    const path = new URL(/(https?:\/\/\S+\/track\/[A-Za-z0-9_.-]+)/.exec((await mailTo(address)).body.text ?? '')![1]!).pathname;

    // Act: an upload URL through the link, the bytes PUT there, a comment naming the upload
    const granted = await call(`${path}/attachments`, { method: 'POST', body: { contentType: 'image/png', size: png.length } });
    const put = await fetch(granted.body.url, { method: 'PUT', headers: granted.body.headers, body: new Uint8Array(png) });
    const comment = await call(`${path}/comments`, {
      method: 'POST',
      body: { body: 'Ini fotonya.', attachments: [{ upload: granted.body.upload, name: 'printer.png' }] },
    });
    const tracked = await call(path);
    const throughLink = await call(`${path}/events/${comment.body.id}/attachments/0`);
    // the API's own page (links in older mails), as a browser follows its file link
    const pageUrl = `${apiUrl()}${path}`;
    const page = await (await fetch(pageUrl, { headers: { accept: 'text/html' } })).text();
    const fileLink = /<a href="([^"]+)" download>printer\.png<\/a>/.exec(page)?.[1];
    const followed = await fetch(new URL(fileLink ?? 'missing', pageUrl), { headers: { accept: 'text/html' }, redirect: 'manual' });
    const signedIn = await call(`/tickets/${ticket.id}/events/${comment.body.id}/attachments/0`, { token: requester });

    // Assert
    expect([granted.status, put.status, comment.status]).toEqual([201, 200, 201]);
    expect(tracked.body.history.at(-1)).toMatchObject({
      id: comment.body.id,
      body: 'Ini fotonya.',
      files: [{ name: 'printer.png', size: png.length }],
    });
    expect(throughLink.status).toBe(200);
    expect(Buffer.from(await (await fetch(throughLink.body.url)).arrayBuffer())).toEqual(png);
    expect(signedIn.body).toMatchObject({ name: 'printer.png', size: png.length });
    expect(fileLink).toBeDefined();
    expect(followed.status).toBe(302);
    expect(followed.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await (await fetch(followed.headers.get('location')!)).arrayBuffer())).toEqual(png);

    // a forged link gets no upload URL; a file name with no upload is refused naming the field, nothing saved
    const altered = `${path.slice(0, -3)}${path.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect((await call(`${altered}/attachments`, { method: 'POST', body: { contentType: 'image/png', size: 10 } })).status).toBe(404);
    const refused = await call(`${path}/comments`, {
      method: 'POST',
      body: { body: 'lagi', attachments: [{ upload: '01HZZZZZZZZZZZZZZZZZZZZZZ9', name: 'hilang.png' }] },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual(['attachments.0.upload']);
    expect((await call(path)).body.history.map((item: { body?: string }) => item.body)).not.toContain('lagi');
  });
});
