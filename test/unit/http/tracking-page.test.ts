// The API's own tracking page (links in older mails open it): a comment's files are links that download them,
// relative to the page's address, with every name escaped.
import { describe, expect, it } from 'vitest';
import type { TrackedTicket } from '#shared/domain/access/track-ticket.ts';
import { renderTrackingPage } from '#shared/http/tracking-page.ts';

const ticket = (language: TrackedTicket['language']): TrackedTicket => ({
  number: 42,
  subject: 'Printer macet',
  status: 'open',
  language,
  createdAt: '2026-11-30T02:00:00.000Z',
  updatedAt: '2026-11-30T03:00:00.000Z',
  history: [
    { id: '01JDEV0000000000000000000A', at: '2026-11-30T02:30:00.000Z', type: 'CommentAdded', by: 'staff', body: 'Coba ini.' },
    {
      id: '01JDEV0000000000000000000B',
      at: '2026-11-30T03:00:00.000Z',
      type: 'CommentAdded',
      by: 'you',
      body: 'Ini fotonya.',
      files: [
        { name: 'printer.png', size: 512 },
        { name: '<img src=x onerror=alert(1)>.pdf', size: 1_572_864 },
      ],
    },
  ],
  olderNotShown: false,
});

const TOKEN = 'eyJ0aWNrZXQiOiIwMUoifQ.c2lnbmF0dXJl';

describe('the tracking page', () => {
  it('lists a comment’s files as download links relative to the page, names escaped, sizes readable', () => {
    // Act
    const html = renderTrackingPage(ticket('en'), 'Asia/Jakarta', TOKEN);

    // Assert
    const links = [...html.matchAll(/<a href="([^"]+)" download>([^<]*)<\/a> <small>\(([^)]*)\)<\/small>/g)].map(
      ([, href, name, size]) => ({
        href,
        name,
        size,
      }),
    );
    expect(links).toEqual([
      { href: `${TOKEN}/events/01JDEV0000000000000000000B/attachments/0`, name: 'printer.png', size: '512 B' },
      { href: `${TOKEN}/events/01JDEV0000000000000000000B/attachments/1`, name: '&lt;img src=x onerror=alert(1)&gt;.pdf', size: '1.5 MB' },
    ]);
    expect(html).not.toContain('<img');
    expect(new URL(links[0]?.href ?? '', `https://api.sekolah.example/track/${TOKEN}`).pathname).toBe(
      `/track/${TOKEN}/events/01JDEV0000000000000000000B/attachments/0`,
    );
    expect(html).toContain('Files:');
  });

  it('writes the sizes and the heading in Indonesian for an Indonesian ticket, and no list for a comment without files', () => {
    // Act
    const html = renderTrackingPage(ticket('id'), 'Asia/Jakarta', TOKEN);

    // Assert
    expect(html).toContain('Berkas:');
    expect(html).toContain('(1,5 MB)');
    expect(html.match(/<ul/g)).toHaveLength(1);
  });
});
