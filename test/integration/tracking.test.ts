// Following a ticket without an account, as a requester does from the acknowledgement mail: the link in
// the mail opens the ticket (JSON or a page), takes a comment, and a forged link finds nothing.
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
});
