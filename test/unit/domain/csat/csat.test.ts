// Satisfaction ratings through the signed links of the "resolved" mail: the links themselves, one vote per
// ticket with the last click winning, nothing through a link that is forged, expired or meant for something
// else, the statistics a vote (and its replacement) leaves, and the report's CSAT figures, computed here
// from the votes themselves.
import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '#shared/domain/access/signed-token.ts';
import {
  CSAT_WINDOW_SECONDS,
  CsatLinkRefused,
  csatCounters,
  csatLinks,
  csatToken,
  previewRating,
  rateOwnTicket,
  rateTicket,
} from '#shared/domain/csat/csat.ts';
import { composeNotification } from '#shared/domain/mail/notify-requester.ts';
import { eraseRequester } from '#shared/domain/privacy/erase-requester.ts';
import { summaryReport } from '#shared/domain/reports/reports.ts';
import { recordStats } from '#shared/domain/reports/stats.ts';
import { createTicket } from '#shared/domain/tickets/create-ticket.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { renderCsatChoice, renderCsatPage } from '#shared/http/csat-page.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { admin, alice, bob, ivan } from '#test/fixtures/identities.ts';
import { InMemoryChatAccountStore } from '#test/fixtures/in-memory-chat-accounts.ts';
import { InMemoryStats } from '#test/fixtures/in-memory-stats.ts';
import { TEST_LINKS } from '#test/fixtures/notifications.ts';
import { testConfig } from '#test/fixtures/test-config.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const KEY = Buffer.alloc(32, 5);
const RESOLVED_AT = T0;
const resolvedTicket = (overrides: Partial<Ticket> = {}) =>
  aTicket({ status: 'resolved', resolvedAt: RESOLVED_AT, assignee: 'ivan', version: 3, ...overrides });

const arrange = (now = T0, ticket = resolvedTicket()) => {
  const deps = testDeps({ now });
  deps.tickets.seed(ticket);
  return { deps, ticket, token: csatToken(KEY, ticket.id, RESOLVED_AT) };
};

describe('rating links', () => {
  it('are five links to /csat/<token>?rating=1..5 whose token is bound to the ticket and expires 7 days after the resolution', () => {
    // Arrange
    const token = csatToken(KEY, '01HZZZZZZZZZZZZZZZZZZZZZZ1', RESOLVED_AT);

    // Act
    const links = csatLinks('https://helpdesk.example.org/', token);
    const claims = verifyToken(KEY, token, 'csat', new Date(T0));

    // Assert
    expect(links).toEqual([1, 2, 3, 4, 5].map((n) => `https://helpdesk.example.org/csat/${token}?rating=${n}`));
    expect(claims).toMatchObject({ purpose: 'csat', ticketId: '01HZZZZZZZZZZZZZZZZZZZZZZ1', res: RESOLVED_AT });
    expect(claims!.exp).toBe(Date.parse(RESOLVED_AT) / 1000 + 7 * 86_400);
    expect(verifyToken(KEY, token, 'track', new Date(T0))).toBeUndefined();
  });

  it('are in the resolved mail, in the ticket language, escaped in HTML', () => {
    // Arrange
    const ticket = resolvedTicket({ language: 'en' });
    const event = { type: 'StatusChanged', data: { from: 'open', to: 'resolved' } } as never;

    // Act
    const mail = composeNotification({
      kind: 'resolved',
      to: 'a@example.org',
      event,
      ticket,
      config: testConfig,
      key: KEY,
      now: new Date(T0),
      publicUrl: TEST_LINKS.publicUrl,
      consoleUrl: TEST_LINKS.consoleUrl,
      staff: [],
    });

    // Assert
    const links = [...mail.text.matchAll(/\S+\/csat\/(\S+)\?rating=(\d)/g)];
    expect(links.map((match) => match[2])).toEqual(['1', '2', '3', '4', '5']);
    expect(verifyToken(KEY, links[0]![1]!, 'csat', new Date(T0))).toMatchObject({ ticketId: ticket.id });
    expect(mail.text).toContain('How satisfied are you');
    expect(mail.html).toContain('5 – Very satisfied');
    expect(mail.html).toMatch(/href="[^"]+\/csat\/[^"]+\?rating=1"/);
  });
});

describe('a vote', () => {
  it('is recorded on the ticket as a new version with a CsatRated event by the requester', async () => {
    // Arrange
    const { deps, ticket, token } = arrange();

    // Act
    const result = await rateTicket(deps, KEY, token, { rating: 4 });

    // Assert
    expect(result).toEqual({ outcome: 'recorded', rating: 4, number: ticket.number, language: ticket.language, commented: false });
    const stored = (await deps.tickets.getTicket(ticket.id))!;
    expect(stored.version).toBe(4);
    expect(stored.csat).toEqual({ rating: 4, at: T0, resolvedAt: RESOLVED_AT });
    const events = deps.tickets.historyOf(ticket.id);
    expect(events.map((event) => [event.type, event.data, event.actor.role, event.version])).toEqual([
      ['CsatRated', { rating: 4, previous: null, resolvedAt: RESOLVED_AT }, 'requester', 4],
    ]);
  });

  it('is replaced by a later click with another rating (the last click wins), keeping the resolution it rates', async () => {
    // Arrange
    const { deps, ticket, token } = arrange();
    await rateTicket(deps, KEY, token, { rating: 2 });
    deps.clock.set('2026-03-05T01:00:00.000Z');

    // Act
    const result = await rateTicket(deps, KEY, token, { rating: 5, comment: 'Cepat sekali' });

    // Assert
    expect(result.outcome).toBe('replaced');
    expect((await deps.tickets.getTicket(ticket.id))!.csat).toEqual({
      rating: 5,
      at: '2026-03-05T01:00:00.000Z',
      resolvedAt: RESOLVED_AT,
      comment: 'Cepat sekali',
    });
    expect(deps.tickets.historyOf(ticket.id).map((event) => event.data)).toEqual([
      { rating: 2, previous: null, resolvedAt: RESOLVED_AT },
      { rating: 5, previous: 2, resolvedAt: RESOLVED_AT, comment: 'Cepat sekali' },
    ]);
  });

  it('clicked again with the same rating changes nothing (a replayed link)', async () => {
    // Arrange
    const { deps, ticket, token } = arrange();
    await rateTicket(deps, KEY, token, { rating: 3, comment: 'ok' });

    // Act
    const result = await rateTicket(deps, KEY, token, { rating: 3 });

    // Assert
    expect(result).toMatchObject({ outcome: 'unchanged', commented: true });
    expect(deps.tickets.historyOf(ticket.id)).toHaveLength(1);
    expect((await deps.tickets.getTicket(ticket.id))!.version).toBe(4);
  });

  it('is accepted until 7 days after the resolution, and not a second later', async () => {
    // Arrange
    const last = new Date(Date.parse(RESOLVED_AT) + CSAT_WINDOW_SECONDS * 1000 - 1000).toISOString();
    const after = new Date(Date.parse(RESOLVED_AT) + CSAT_WINDOW_SECONDS * 1000).toISOString();
    const inTime = arrange(last);
    const late = arrange(after);

    // Act
    const accepted = await rateTicket(inTime.deps, KEY, inTime.token, { rating: 4 });
    const refused = rateTicket(late.deps, KEY, late.token, { rating: 4 });

    // Assert
    expect(accepted.outcome).toBe('recorded');
    await expect(refused).rejects.toBeInstanceOf(CsatLinkRefused);
    expect(late.deps.tickets.historyOf(late.ticket.id)).toEqual([]);
  });

  it.each([
    ['forged with another key', () => csatToken(Buffer.alloc(32, 9), resolvedTicket().id, RESOLVED_AT)],
    ['a tracking link', () => signToken(KEY, { purpose: 'track', ticketId: resolvedTicket().id, exp: Date.parse(T0) / 1000 + 86_400 })],
    [
      'without the resolution',
      () => signToken(KEY, { purpose: 'csat', ticketId: resolvedTicket().id, exp: Date.parse(T0) / 1000 + 86_400 }),
    ],
    ['for a ticket that does not exist', () => csatToken(KEY, '01HZZZZZZZZZZZZZZZZZZZZZZ9', RESOLVED_AT)],
    ['altered', () => `${csatToken(KEY, resolvedTicket().id, RESOLVED_AT).slice(0, -2)}AA`],
    ['garbage', () => 'not-a-token'],
  ])('changes nothing through a link %s', async (_, token) => {
    // Arrange
    const { deps, ticket } = arrange();

    // Act
    const attempt = rateTicket(deps, KEY, token(), { rating: 1 });

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(CsatLinkRefused);
    expect(deps.tickets.historyOf(ticket.id)).toEqual([]);
    expect((await deps.tickets.getTicket(ticket.id))!.csat).toBeUndefined();
  });

  it('is refused (409) while the ticket is reopened', async () => {
    // Arrange
    const { deps, token } = arrange(T0, resolvedTicket({ status: 'open', resolvedAt: undefined }));

    // Act
    const attempt = rateTicket(deps, KEY, token, { rating: 1 });

    // Assert
    await expect(attempt).rejects.toMatchObject({ kind: 'conflict' });
  });
});

describe('opening a rating link (GET)', () => {
  it('records nothing: it names the ticket and the rating to preselect, and the vote already saved', async () => {
    // Arrange
    const { deps, ticket, token } = arrange();
    await rateTicket(deps, KEY, token, { rating: 2 });
    const before = deps.tickets.historyOf(ticket.id).length;

    // Act
    const choice = await previewRating(deps, KEY, token, 5);

    // Assert
    expect(choice).toEqual({ number: ticket.number, language: ticket.language, rating: 5, recorded: false, current: 2 });
    expect(deps.tickets.historyOf(ticket.id)).toHaveLength(before);
    expect((await deps.tickets.getTicket(ticket.id))!.csat?.rating).toBe(2);
  });

  it('is refused like a vote: a forged or expired link finds nothing, a reopened ticket is 409', async () => {
    const { deps, token } = arrange();
    await expect(previewRating(deps, KEY, `${token.slice(0, -4)}AAAA`, 3)).rejects.toBeInstanceOf(CsatLinkRefused);
    deps.clock.set(new Date(Date.parse(RESOLVED_AT) + (CSAT_WINDOW_SECONDS + 1) * 1000).toISOString());
    await expect(previewRating(deps, KEY, token, 3)).rejects.toBeInstanceOf(CsatLinkRefused);
    const reopened = arrange(T0, resolvedTicket({ status: 'open', resolvedAt: undefined }));
    await expect(previewRating(reopened.deps, KEY, reopened.token, 3)).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('shows a page with the rating preselected and a form that posts back to the link; every value escaped', () => {
    // Act
    const page = renderCsatChoice({ number: 42, language: 'en', rating: 4, recorded: false, current: 2 }, 'a.b<c');
    const thanks = renderCsatPage({ outcome: 'recorded', rating: 4, number: 42, language: 'id', commented: true }, 'a.b', true);

    // Assert
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('How satisfied are you with how we handled ticket #42?');
    expect(page).toContain('Your rating saved so far: 2 out of 5.');
    expect(page).toContain('value="4" checked');
    expect(page.match(/ checked/g)).toHaveLength(1);
    expect(page).toContain('<form method="post" action="a.b%3Cc">');
    expect(page).not.toContain('Thank you!');
    expect(thanks).toContain('Terima kasih! Penilaian Anda untuk tiket #42: 4 dari 5.');
    expect(thanks).toContain('Komentar Anda sudah kami simpan.');
  });
});

describe('CSAT statistics', () => {
  it('count a first vote as a response and a replacement as a move from the old rating to the new', () => {
    // Act
    const first = csatCounters(2, null);
    const replacement = csatCounters(5, 2);
    const same = csatCounters(3, 3);

    // Assert
    expect(first).toEqual({ csatSum: 2, csatResponses: 1, csat_2: 1 });
    expect(replacement).toEqual({ csatSum: 3, csatResponses: 0, csat_5: 1, csat_2: -1 });
    expect(same).toEqual({ csatSum: 0, csatResponses: 0, csat_3: 0 });
  });

  it('give the report the mean of each ticket latest rating and the share of resolutions rated, on the resolution date', async () => {
    // Arrange: six tickets resolved on Monday 2 March; four are rated, one of them twice, one vote comes in
    // on Wednesday (it still counts on Monday, the date of the resolution it rates), and a replayed event.
    const deps = testDeps({ now: '2026-03-02T01:00:00.000Z' });
    const stats = new InMemoryStats(deps.tickets);
    const tickets: Ticket[] = [];
    for (let index = 0; index < 6; index++) {
      const { ticket } = await createTicket(deps, alice, {
        subject: `Printer ${index}`,
        description: '',
        category: 'hardware',
        channel: 'web',
      });
      await updateTicket(deps, admin, ticket.id, { assignee: 'ivan' });
      await updateTicket(deps, ivan, ticket.id, { status: 'resolved' });
      tickets.push((await deps.tickets.getTicket(ticket.id))!);
    }
    const votes: [number, number, string, string?][] = [
      [0, 5, '2026-03-02T03:00:00.000Z', 'Cepat sekali'],
      [1, 1, '2026-03-02T04:00:00.000Z', 'Lama'],
      [1, 4, '2026-03-02T05:00:00.000Z', 'Akhirnya beres'],
      [2, 3, '2026-03-04T02:00:00.000Z'],
      [3, 2, '2026-03-02T06:00:00.000Z'],
      [3, 2, '2026-03-02T07:00:00.000Z'],
    ];
    for (const [index, rating, at, comment] of votes) {
      deps.clock.set(at);
      await rateTicket(deps, KEY, csatToken(KEY, tickets[index]!.id, tickets[index]!.resolvedAt!), {
        rating,
        ...(comment ? { comment } : {}),
      });
    }
    const fold = { store: stats, config: testConfig, clock: deps.clock };
    for (const ticket of tickets) for (const event of deps.tickets.historyOf(ticket.id)) await recordStats(fold, event);
    const replayed = deps.tickets.historyOf(tickets[1]!.id).find((event) => event.type === 'CsatRated')!;
    await recordStats(fold, replayed);

    // Act
    const report = await summaryReport({ stats, config: testConfig, clock: deps.clock }, admin, { from: '2026-03-02', to: '2026-03-02' });
    const later = await summaryReport({ stats, config: testConfig, clock: deps.clock }, admin, { from: '2026-03-03', to: '2026-03-05' });

    // Assert: latest ratings 5, 4, 3, 2 → mean 3.5; 4 of 6 resolutions rated.
    expect(report.resolution.resolved).toBe(6);
    expect(report.csat).toMatchObject({
      mean: (5 + 4 + 3 + 2) / 4,
      responses: 4,
      responseRate: 4 / 6,
      byRating: { '1': 0, '2': 1, '3': 1, '4': 1, '5': 1 },
    });
    // The comments as the tickets hold them now: the latest words of each, with its rating.
    expect(
      report.csat.comments.map(({ number, rating, comment }) => ({ number, rating, comment })).sort((a, b) => a.number - b.number),
    ).toEqual([
      { number: tickets[0]!.number, rating: 5, comment: 'Cepat sekali' },
      { number: tickets[1]!.number, rating: 4, comment: 'Akhirnya beres' },
    ]);
    await eraseRequester(deps, admin, alice.id, { chats: new InMemoryChatAccountStore() });
    const afterErasure = await summaryReport({ stats, config: testConfig, clock: deps.clock }, admin, {
      from: '2026-03-02',
      to: '2026-03-02',
    });
    expect(afterErasure.csat.comments).toEqual([]);
    expect(afterErasure.csat.mean).toBe(report.csat.mean);
    expect(later.csat).toEqual({
      mean: null,
      responses: 0,
      responseRate: null,
      byRating: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
      comments: [],
    });
  });
});

describe('rating one’s own ticket when signed in', () => {
  it('records the requester’s vote on their resolved ticket, and the last vote wins', async () => {
    // Arrange
    const { deps, ticket } = arrange();

    // Act
    const first = await rateOwnTicket(deps, alice, ticket.id, { rating: 2 });
    const second = await rateOwnTicket(deps, alice, ticket.id, { rating: 5, comment: 'Cepat sekali' });

    // Assert
    expect([first.outcome, second.outcome]).toEqual(['recorded', 'replaced']);
    expect((await deps.tickets.getTicket(ticket.id))!.csat).toMatchObject({ rating: 5, comment: 'Cepat sekali', resolvedAt: RESOLVED_AT });
  });

  it('refuses staff (even an admin), hides a stranger’s ticket, and refuses after 7 days or while reopened', async () => {
    const { deps, ticket } = arrange();
    await expect(rateOwnTicket(deps, ivan, ticket.id, { rating: 5 })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(rateOwnTicket(deps, admin, ticket.id, { rating: 5 })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(rateOwnTicket(deps, bob, ticket.id, { rating: 5 })).rejects.toMatchObject({ kind: 'not-found' });
    deps.clock.advance(CSAT_WINDOW_SECONDS * 1000 + 1);
    await expect(rateOwnTicket(deps, alice, ticket.id, { rating: 5 })).rejects.toMatchObject({ kind: 'conflict' });
    const reopened = arrange(T0, resolvedTicket({ status: 'open', resolvedAt: undefined }));
    await expect(rateOwnTicket(reopened.deps, alice, ticket.id, { rating: 5 })).rejects.toMatchObject({ kind: 'conflict' });
    expect((await deps.tickets.getTicket(ticket.id))!.csat).toBeUndefined();
  });
});
