// Following a ticket through its tracking link: the public picture only, comments as the requester, and
// nothing at all through a link that is forged, altered, expired or meant for something else.
import { describe, expect, it } from 'vitest';
import { signToken } from '#shared/domain/access/signed-token.ts';
import { commentThroughTrackingLink, TRACKING_HISTORY_MAX, TrackingLinkRefused, trackTicket } from '#shared/domain/access/track-ticket.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { getTicket } from '#shared/domain/tickets/read-tickets.ts';
import { renderTrackingPage } from '#shared/http/tracking-page.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { ivan, sari } from '#test/fixtures/identities.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const KEY = Buffer.alloc(32, 3);
const nowSeconds = Date.parse(T0) / 1000;
const linkFor = (ticketId: string, overrides: Record<string, unknown> = {}) =>
  signToken(KEY, { purpose: 'track', ticketId, exp: nowSeconds + 86_400, ...overrides });

const arrange = async () => {
  const deps = testDeps();
  const ticket = aTicket({ status: 'open', assignee: 'ivan', subject: '<script>alert(1)</script> Wi-Fi' });
  deps.tickets.seed(ticket);
  await addComment(deps, ivan, ticket.id, { body: 'Kami cek jam 10.', visibility: 'public' });
  await addComment(deps, ivan, ticket.id, { body: 'catatan rahasia', visibility: 'internal' });
  return { deps, ticket };
};

describe('a tracking link', () => {
  it('shows the status and the public history, never internal notes', async () => {
    const { deps, ticket } = await arrange();
    const view = await trackTicket(deps, KEY, linkFor(ticket.id));
    expect(view).toMatchObject({ number: ticket.number, status: 'open', language: 'id' });
    expect(view.history).toEqual([{ at: expect.any(String), type: 'CommentAdded', by: 'staff', body: 'Kami cek jam 10.' }]);
    expect(JSON.stringify(view)).not.toContain('catatan rahasia');
  });

  it('adds a comment as the requester, which brings a waiting ticket back into work', async () => {
    const { deps, ticket } = await arrange();
    await deps.tickets.saveTicket({ ...(await deps.tickets.getTicket(ticket.id))!, status: 'pending', version: 4 }, 3, []);
    const { comment, ticket: after } = await commentThroughTrackingLink(
      deps,
      KEY,
      linkFor(ticket.id),
      { body: 'Sudah saya coba.', visibility: 'public' },
      '10.0.0.9',
    );
    expect(comment.actor).toEqual({ id: ticket.requester.id, role: 'requester', ip: '10.0.0.9' });
    expect(after.status).toBe('open');
  });

  it.each([
    ['forged with another key', () => signToken(Buffer.alloc(32, 9), { purpose: 'track', ticketId: aTicket().id, exp: nowSeconds + 60 })],
    ['expired', () => linkFor(aTicket().id, { exp: nowSeconds - 1 })],
    ['meant for a reply address', () => linkFor(aTicket().id, { purpose: 'reply' })],
    ['for a ticket that does not exist', () => linkFor('01HZZZZZZZZZZZZZZZZZZZZZZ9')],
    ['altered', () => `${linkFor(aTicket().id).slice(0, -2)}AA`],
    ['garbage', () => 'not-a-token'],
  ])('finds nothing when %s', async (_, token) => {
    const { deps } = await arrange();
    await expect(trackTicket(deps, KEY, token())).rejects.toBeInstanceOf(TrackingLinkRefused);
    await expect(commentThroughTrackingLink(deps, KEY, token(), { body: 'x', visibility: 'public' })).rejects.toBeInstanceOf(
      TrackingLinkRefused,
    );
  });

  it('does not take internal notes', async () => {
    const { deps, ticket } = await arrange();
    await expect(commentThroughTrackingLink(deps, KEY, linkFor(ticket.id), { body: 'x', visibility: 'internal' })).rejects.toMatchObject({
      kind: 'not-found',
    });
  });

  it('renders a page with every value escaped', async () => {
    const { deps, ticket } = await arrange();
    const html = renderTrackingPage(await trackTicket(deps, KEY, linkFor(ticket.id)), 'Asia/Jakarta');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Wi-Fi');
    expect(html).toContain('Sedang diproses');
  });
});

describe('a long-read ticket through its tracking link', () => {
  it('still shows a new reply after a thousand staff reads: reads are audit records, not the conversation', async () => {
    // Arrange
    const { deps, ticket } = await arrange();
    for (let read = 0; read < 1_001; read++) await getTicket(deps, sari, ticket.id);
    await addComment(deps, ivan, ticket.id, { body: 'Router sudah diganti.', visibility: 'public' });

    // Act
    const view = await trackTicket(deps, KEY, linkFor(ticket.id));

    // Assert
    expect(view.history.at(-1)).toMatchObject({ type: 'CommentAdded', by: 'staff', body: 'Router sudah diganti.' });
    expect(view.olderNotShown).toBe(false);
    expect(deps.tickets.historyOf(ticket.id).filter((event) => event.type === 'TicketViewed')).toEqual([]);
  });

  it('bounded, shows the newest conversation and says that older messages are not shown', async () => {
    // Arrange
    const { deps, ticket } = await arrange();
    const total = TRACKING_HISTORY_MAX + 30;
    for (let reply = 1; reply <= total; reply++)
      await addComment(deps, ivan, ticket.id, { body: `Balasan ${reply}`, visibility: 'public' });

    // Act
    const view = await trackTicket(deps, KEY, linkFor(ticket.id));
    const page = renderTrackingPage(view, 'Asia/Jakarta');

    // Assert: the first reply of arrange() and the 30 oldest here are not shown; the newest is last
    expect(view.history).toHaveLength(TRACKING_HISTORY_MAX);
    expect(view.history.at(-1)?.body).toBe(`Balasan ${total}`);
    expect(view.history[0]?.body).toBe('Balasan 31');
    expect(view.olderNotShown).toBe(true);
    expect(page).toContain('Pesan yang lebih lama tidak ditampilkan');
  });
});
