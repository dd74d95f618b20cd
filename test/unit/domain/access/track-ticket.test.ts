// Following a ticket through its tracking link: the public picture only, comments as the requester, and
// nothing at all through a link that is forged, altered, expired or meant for something else.
import { describe, expect, it } from 'vitest';
import { signToken } from '#shared/domain/access/signed-token.ts';
import {
  commentThroughTrackingLink,
  TRACKING_HISTORY_MAX,
  TrackingLinkRefused,
  trackedAttachmentLink,
  trackTicket,
  uploadThroughTrackingLink,
} from '#shared/domain/access/track-ticket.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { addCommentWithFiles, requestUpload } from '#shared/domain/tickets/attachments.ts';
import { getTicket } from '#shared/domain/tickets/read-tickets.ts';
import { renderTrackingPage } from '#shared/http/tracking-page.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { ivan, sari } from '#test/fixtures/identities.ts';
import { InMemoryFiles } from '#test/fixtures/in-memory-files.ts';
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
  return { deps, ticket, files: new InMemoryFiles() };
};

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('a tracking link', () => {
  it('shows the status and the public history, never internal notes', async () => {
    const { deps, ticket } = await arrange();
    const view = await trackTicket(deps, KEY, linkFor(ticket.id));
    expect(view).toMatchObject({ number: ticket.number, status: 'open', language: 'id' });
    expect(view.history).toEqual([
      { id: expect.any(String), at: expect.any(String), type: 'CommentAdded', by: 'staff', body: 'Kami cek jam 10.' },
    ]);
    expect(JSON.stringify(view)).not.toContain('catatan rahasia');
  });

  it('adds a comment as the requester, which brings a waiting ticket back into work', async () => {
    const { deps, ticket, files } = await arrange();
    await deps.tickets.saveTicket({ ...(await deps.tickets.getTicket(ticket.id))!, status: 'pending', version: 4 }, 3, []);
    const { comment, ticket: after } = await commentThroughTrackingLink(
      deps,
      files,
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
    const { deps, files } = await arrange();
    await expect(trackTicket(deps, KEY, token())).rejects.toBeInstanceOf(TrackingLinkRefused);
    await expect(commentThroughTrackingLink(deps, files, KEY, token(), { body: 'x', visibility: 'public' })).rejects.toBeInstanceOf(
      TrackingLinkRefused,
    );
    await expect(uploadThroughTrackingLink(deps, files, KEY, token(), { contentType: 'image/png', size: 10 })).rejects.toBeInstanceOf(
      TrackingLinkRefused,
    );
    await expect(trackedAttachmentLink(deps, files, KEY, token(), '01HZZZZZZZZZZZZZZZZZZZZZZ9', 0)).rejects.toBeInstanceOf(
      TrackingLinkRefused,
    );
    expect(files.signed).toEqual([]);
  });

  it('does not take internal notes', async () => {
    const { deps, ticket, files } = await arrange();
    await expect(
      commentThroughTrackingLink(deps, files, KEY, linkFor(ticket.id), { body: 'x', visibility: 'internal' }),
    ).rejects.toMatchObject({
      kind: 'not-found',
    });
  });

  it("sends a file with a comment, shows it in the history and signs its download for the link's requester", async () => {
    // Arrange
    const { deps, ticket, files } = await arrange();
    const granted = await uploadThroughTrackingLink(deps, files, KEY, linkFor(ticket.id), { contentType: 'image/png', size: PNG.length });
    files.put(files.signed.at(-1)!.key, PNG, 'image/png');

    // Act
    const { comment } = await commentThroughTrackingLink(deps, files, KEY, linkFor(ticket.id), {
      body: 'Ini fotonya.',
      visibility: 'public',
      attachments: [{ upload: granted.upload, name: 'layar.png' }],
    });
    const view = await trackTicket(deps, KEY, linkFor(ticket.id));
    const link = await trackedAttachmentLink(deps, files, KEY, linkFor(ticket.id), comment.id, 0);

    // Assert
    expect(view.history.at(-1)).toEqual({
      id: comment.id,
      at: expect.any(String),
      type: 'CommentAdded',
      by: 'you',
      body: 'Ini fotonya.',
      files: [{ name: 'layar.png', size: PNG.length }],
    });
    expect(JSON.stringify(view)).not.toContain('attachments/api/');
    expect(link).toMatchObject({
      name: 'layar.png',
      contentType: 'image/png',
      url: `https://files.example/attachments/api/${granted.upload}?signed=get`,
    });
  });

  it("does not sign a download of an internal note's file, nor of another ticket's", async () => {
    // Arrange
    const { deps, ticket, files } = await arrange();
    const other = aTicket({ id: '01HZZZZZZZZZZZZZZZZZZZZZZ2', number: 2, status: 'open', requester: { ...ticket.requester } });
    deps.tickets.seed(other);
    const storedPng = (key: string) => files.put(key, PNG, 'image/png');
    const staffFile = await requestUpload({ ...deps, files }, ivan, { contentType: 'image/png', size: PNG.length });
    storedPng(files.signed.at(-1)!.key);
    const note = await addCommentWithFiles(deps, files, ivan, ticket.id, {
      body: 'log internal',
      visibility: 'internal',
      attachments: [{ upload: staffFile.upload, name: 'log.png' }],
    });
    const ownFile = await uploadThroughTrackingLink(deps, files, KEY, linkFor(other.id), { contentType: 'image/png', size: PNG.length });
    storedPng(files.signed.at(-1)!.key);
    const { comment: elsewhere } = await commentThroughTrackingLink(deps, files, KEY, linkFor(other.id), {
      body: 'tiket lain',
      visibility: 'public',
      attachments: [{ upload: ownFile.upload, name: 'lain.png' }],
    });

    // Act / Assert
    await expect(trackedAttachmentLink(deps, files, KEY, linkFor(ticket.id), note.comment.id, 0)).rejects.toMatchObject({
      kind: 'not-found',
    });
    await expect(trackedAttachmentLink(deps, files, KEY, linkFor(ticket.id), elsewhere.id, 0)).rejects.toMatchObject({ kind: 'not-found' });
    expect(files.signed.filter((signed) => signed.method === 'GET')).toEqual([]);
  });

  it('gives no upload URL for a closed ticket, and names the field of a file too large', async () => {
    // Arrange
    const { deps, ticket, files } = await arrange();
    const closed = aTicket({ id: '01HZZZZZZZZZZZZZZZZZZZZZZ3', number: 3, status: 'closed' });
    deps.tickets.seed(closed);

    // Act / Assert
    await expect(
      uploadThroughTrackingLink(deps, files, KEY, linkFor(closed.id), { contentType: 'image/png', size: 10 }),
    ).rejects.toMatchObject({
      kind: 'conflict',
    });
    await expect(
      uploadThroughTrackingLink(deps, files, KEY, linkFor(ticket.id), { contentType: 'image/png', size: 1024 * 1024 * 1024 }),
    ).rejects.toMatchObject({ kind: 'payload-too-large', details: { errors: [{ path: 'size' }] } });
    expect(files.signed).toEqual([]);
  });

  it('renders a page with every value escaped', async () => {
    const { deps, ticket } = await arrange();
    const html = renderTrackingPage(await trackTicket(deps, KEY, linkFor(ticket.id)), 'Asia/Jakarta', linkFor(ticket.id));
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
    const page = renderTrackingPage(view, 'Asia/Jakarta', linkFor(ticket.id));

    // Assert: the first reply of arrange() and the 30 oldest here are not shown; the newest is last
    expect(view.history).toHaveLength(TRACKING_HISTORY_MAX);
    expect(view.history.at(-1)?.body).toBe(`Balasan ${total}`);
    expect(view.history[0]?.body).toBe('Balasan 31');
    expect(view.olderNotShown).toBe(true);
    expect(page).toContain('Pesan yang lebih lama tidak ditampilkan');
  });
});
