// Ticket search through the sandbox: the index is kept by the search queue's consumer from the bus, and the
// route finds what each caller may see. Each test's words carry a code of its own, so other tests' tickets
// never match.
import { randomInt, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, tokenFor } from './api-client.ts';
import { waitFor } from './wait-for.ts';

const code = () => `kd${randomInt(10_000_000, 99_999_999)}`;

const search = (token: string, query: string) => call(`/tickets/search?${query}`, { token });

const numbersOf = (response: { body: { items: { ticket: { number: number } }[] } }) =>
  response.body.items.map((item) => item.ticket.number);

/** The search queue is the whole suite's (one sandbox): its consumers may have a backlog of other tests' tickets. */
const INDEXED_WITHIN_MS = 45_000;

describe('searching tickets over HTTP', () => {
  it('finds a new ticket by its words, its number and its requester, for staff and for its requester only', {
    timeout: 120_000,
  }, async () => {
    // Arrange
    const word = code();
    const ani = await tokenFor({ sub: `ani-${randomUUID()}`, name: 'Ani', email: `ani.${word}@example.org` });
    const stranger = await tokenFor();
    const budi = await tokenFor({ sub: 'budi', groups: ['lead'], teams: ['it-support'] });
    const andi = await tokenFor({ sub: 'andi', groups: ['agent'], teams: ['helpdesk'] });
    const created = await call('/tickets', {
      method: 'POST',
      token: ani,
      body: { subject: `Printer ruang guru macet ${word}`, description: 'Printernya gak bisa ngeprint sejak pagi' },
    });
    expect(created.status).toBe(201);
    const { number, team } = created.body;
    expect(team).toBe('it-support');

    // Act: the consumer indexes it within moments
    const byWord = await waitFor(
      () => search(budi, `q=${encodeURIComponent(`printernya ${word}`)}`),
      // Both words indexed (a batch of postings may be seen half written for a moment).
      (response) => response.body.items?.[0]?.matched?.length === 2,
      INDEXED_WITHIN_MS,
    );

    // Assert
    expect(byWord.status).toBe(200);
    expect(byWord.body.items[0]).toMatchObject({
      ticket: { number, subject: expect.stringContaining(word) },
      matched: expect.arrayContaining([word]),
    });
    expect(numbersOf(await search(budi, `q=${encodeURIComponent(`ani.${word}@example.org`)}`))).toEqual([number]);
    expect(numbersOf(await search(budi, `q=%23${number}`))).toEqual([number]);
    expect(numbersOf(await search(ani, `q=${word}`))).toEqual([number]);
    expect(numbersOf(await search(stranger, `q=${word}`))).toEqual([]);
    // Andi works the helpdesk team only: an IT ticket is out of his reach.
    expect(numbersOf(await search(andi, `q=${word}`))).toEqual([]);
  });

  it('follows the ticket: a public reply’s words are found, an internal note’s never, and a status filter sees the new status', {
    timeout: 150_000,
  }, async () => {
    // Arrange
    const word = code();
    const note = code();
    const requester = await tokenFor();
    const budi = await tokenFor({ sub: 'budi', groups: ['lead'], teams: ['it-support'] });
    const created = await call('/tickets', {
      method: 'POST',
      token: requester,
      body: { subject: 'Wi-Fi lab mati', description: 'Sinyal hilang' },
    });
    const { id, number } = created.body;

    // Act
    await call(`/tickets/${id}/comments`, { method: 'POST', token: budi, body: { body: `Access point diganti ${word}` } });
    await call(`/tickets/${id}/comments`, { method: 'POST', token: budi, body: { body: `Rahasia ${note}`, visibility: 'internal' } });
    await waitFor(
      () => search(budi, `q=${word}`),
      (response) => numbersOf(response).includes(number),
      INDEXED_WITHIN_MS,
    );
    await call(`/tickets/${id}`, { method: 'PATCH', token: budi, body: { status: 'resolved' } });

    // Assert
    const resolved = await waitFor(
      () => search(budi, `q=${word}&status=resolved`),
      (response) => numbersOf(response).includes(number),
      INDEXED_WITHIN_MS,
    );
    expect(numbersOf(resolved)).toEqual([number]);
    expect(numbersOf(await search(budi, `q=${word}&status=open`))).toEqual([]);
    expect(numbersOf(await search(budi, `q=${note}`))).toEqual([]);
  });

  it('refuses an empty or 1,000-character query, and bad filters, with a 400 naming the field, never a 5xx', async () => {
    // Arrange
    const budi = await tokenFor({ sub: 'budi', groups: ['lead'], teams: ['it-support'] });
    const cases: [string, string][] = [
      ['q=', 'q'],
      ['q=%20%20', 'q'],
      [`q=${'a'.repeat(1000)}`, 'q'],
      ['', 'q'],
      ['q=printer&status=sleeping', 'status'],
      ['q=printer&team=nope', 'team'],
      ['q=printer&from=2026-02-30', 'from'],
      ['q=printer&limit=500', 'limit'],
      ['q=printer&cursor=bm9wZQ', 'cursor'],
      ['q=printer&tag=Not%20A%20Tag', 'tag'],
      ['q=printer&colour=red', 'colour'],
    ];

    // Act / Assert
    for (const [query, field] of cases) {
      const response = await search(budi, query);
      expect(response.status, query.slice(0, 40)).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(
        response.body.errors.map((error: { path: string }) => error.path),
        query.slice(0, 40),
      ).toContain(field);
    }
    const unauthenticated = await call('/tickets/search?q=printer');
    expect(unauthenticated.status).toBe(401);
  });
});
