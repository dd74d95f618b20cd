// Searching tickets: what each caller finds, in which order, and what is refused.
import { describe, expect, it } from 'vitest';
import type { Identity } from '#shared/domain/access/identity.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { indexTicket } from '#shared/domain/search/index-ticket.ts';
import {
  POSTINGS_PER_TERM,
  type SearchTicketsQuery,
  searchTickets,
  searchTicketsQuerySchema,
} from '#shared/domain/search/search-tickets.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { DAY_MS, T0 } from '#test/fixtures/clock.ts';
import { admin, alice, bob, hana, ivan, sari } from '#test/fixtures/identities.ts';
import { InMemorySearch } from '#test/fixtures/in-memory-search.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const id = (n: number) => `01JSEARCH${String(n).padStart(17, '0')}`;

/** Five tickets of three teams and two requesters, filed a day apart, indexed. */
const arrange = async (extra: Ticket[] = []) => {
  const deps = testDeps();
  const search = new InMemorySearch(deps.tickets, deps.numbers);
  const at = (day: number) => new Date(Date.parse(T0) + day * DAY_MS).toISOString();
  const tickets = [
    aTicket({ id: id(1), number: 1, subject: 'Printer rusak', description: 'Printer di ruang guru macet', createdAt: at(0) }),
    aTicket({
      id: id(2),
      number: 2,
      subject: 'Wi-Fi lab mati',
      description: 'Tidak ada sinyal, printernya juga',
      createdAt: at(1),
      status: 'open',
    }),
    aTicket({
      id: id(3),
      number: 3,
      subject: 'AC kelas 10B bocor',
      description: 'Air menetes',
      team: 'sarpras',
      category: 'facilities',
      createdAt: at(2),
      tags: ['gedung-a'],
    }),
    aTicket({
      id: id(4),
      number: 4,
      subject: 'Proyektor tidak menyala',
      description: 'Kabel HDMI sudah diganti',
      requester: { id: bob.id, name: bob.name, email: bob.email, phone: '0812 1111 2222' },
      createdAt: at(3),
    }),
    aTicket({
      id: id(5),
      number: 5,
      subject: 'Pertanyaan umum',
      description: 'Printer baru kapan datang?',
      team: 'helpdesk',
      category: 'other',
      createdAt: at(4),
    }),
    ...extra,
  ];
  for (const ticket of tickets) deps.tickets.seed(ticket);
  for (const ticket of tickets) await indexTicket({ tickets: deps.tickets, search }, ticket.id);
  const run = (identity: Identity, query: Partial<SearchTicketsQuery> & { q: string }) =>
    searchTickets(
      { tickets: deps.tickets, search, clock: deps.clock, config: deps.config },
      identity,
      searchTicketsQuerySchema.parse(query),
    );
  return { deps, search, run };
};

const numbers = (result: { items: { ticket: Ticket }[] }) => result.items.map((item) => item.ticket.number);

const rejection = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};

describe('searching tickets as staff', () => {
  it('ranks a subject match above a description match, and finds "printernya" under printer', async () => {
    // Arrange
    const { run } = await arrange();

    // Act
    const result = await run(admin, { q: 'printer' });

    // Assert: #1 has it in the subject; #2 ("printernya") and #5 only in the description, the newer first on a tie.
    expect(numbers(result)).toEqual([1, 5, 2]);
    expect(result.items[0]).toMatchObject({ matched: ['printer'] });
    expect(result.words).toEqual(['printer']);
  });

  it('corrects a typo to the nearest indexed word', async () => {
    const { run } = await arrange();
    const result = await run(admin, { q: 'proyekor' });
    expect(numbers(result)).toEqual([4]);
    expect(result.words).toEqual(['proyektor']);
  });

  it('drops informal negations and question words, and matches what is left', async () => {
    const { run } = await arrange();
    expect(numbers(await run(admin, { q: 'wifi gak nyala gmn' }))).toEqual([2]);
  });

  it('finds a ticket by its number, first, and by the requester’s address or phone', async () => {
    const { run } = await arrange();
    expect(numbers(await run(admin, { q: '#3' }))).toEqual([3]);
    expect(numbers(await run(admin, { q: 'printer #4' }))).toEqual([4, 1, 5, 2]);
    expect(numbers(await run(admin, { q: 'BOB@siswa.example' }))).toEqual([4]);
    expect(numbers(await run(admin, { q: '+62 812-1111-2222' }))).toEqual([4]);
  });

  it('never takes a number for a typo of a near one, nor #6 for the word 6: ruang 5009021 is not #5009029', async () => {
    // Arrange: a ticket whose words hold a number one digit away from the one asked for
    const { run } = await arrange([
      aTicket({ id: id(6), number: 6, subject: 'Rak ruang 5009021 roboh', createdAt: new Date(Date.parse(T0) + 5 * DAY_MS).toISOString() }),
      aTicket({ id: id(7), number: 7, subject: 'Kursi kelas 6 patah', createdAt: new Date(Date.parse(T0) + 6 * DAY_MS).toISOString() }),
    ]);

    // Act / Assert
    expect(numbers(await run(admin, { q: '#5009029' }))).toEqual([]);
    expect(numbers(await run(admin, { q: '5009029' }))).toEqual([]);
    expect(numbers(await run(admin, { q: '5009021' }))).toEqual([6]);
    // `#6` is ticket 6 only, not every ticket with the word 6 in it; a bare 6 is also the word
    expect(numbers(await run(admin, { q: '#6' }))).toEqual([6]);
    expect(numbers(await run(admin, { q: '6' }))).toEqual([6, 7]);
  });

  it('gives an agent their teams’ tickets only, and those assigned to them', async () => {
    // Arrange: a helpdesk ticket assigned to Ivan, of IT support.
    const { run } = await arrange([
      aTicket({ id: id(6), number: 6, subject: 'Printer lantai 2', team: 'helpdesk', category: 'other', assignee: 'ivan', createdAt: T0 }),
    ]);

    // Act / Assert
    expect(numbers(await run(ivan, { q: 'printer' }))).toEqual(expect.arrayContaining([1, 2, 6]));
    expect(numbers(await run(ivan, { q: 'printer' }))).not.toContain(5);
    expect(numbers(await run(hana, { q: 'printer' }))).toEqual([6, 5]);
    expect(numbers(await run(ivan, { q: '#3' }))).toEqual([]);
  });

  it('filters by status, team, category, tag and the dates filed', async () => {
    const { run } = await arrange();
    expect(numbers(await run(admin, { q: 'printer', status: 'open' }))).toEqual([2]);
    expect(numbers(await run(admin, { q: 'printer', team: 'helpdesk' }))).toEqual([5]);
    expect(numbers(await run(admin, { q: 'bocor', category: 'facilities', tag: 'gedung-a' }))).toEqual([3]);
    expect(numbers(await run(admin, { q: 'bocor', tag: 'gedung-b' }))).toEqual([]);
    expect(numbers(await run(admin, { q: 'printer', from: '2026-03-03', to: '2026-03-06' }))).toEqual([5, 2]);
    expect(numbers(await run(admin, { q: 'printer', to: '2026-03-02' }))).toEqual([1]);
  });

  it('pages with a cursor that belongs to its own search only', async () => {
    // Arrange
    const { run } = await arrange();

    // Act
    const first = await run(admin, { q: 'printer', limit: 2 });
    const second = await run(admin, { q: 'printer', limit: 2, cursor: first.cursor });

    // Assert
    expect(numbers(first)).toEqual([1, 5]);
    expect(numbers(second)).toEqual([2]);
    expect(second.cursor).toBeUndefined();
    const error = await rejection(run(admin, { q: 'proyektor', limit: 2, cursor: first.cursor }));
    expect(error.details.errors).toEqual([{ path: 'cursor', message: 'is not a cursor this search returned' }]);
    expect((await rejection(run(admin, { q: 'printer', cursor: 'bm90IGpzb24' }))).kind).toBe('validation');
  });

  it('never shows a ticket its postings no longer describe: the ticket itself is checked', async () => {
    // Arrange: the ticket moved to facilities after it was indexed, and the index has not caught up.
    const { deps, run } = await arrange();
    const moved = (await deps.tickets.getTicket(id(1)))!;
    await deps.tickets.saveTicket({ ...moved, team: 'sarpras', version: 2 }, 1, []);

    // Act / Assert
    expect(numbers(await run(ivan, { q: 'printer' }))).not.toContain(1);
    expect(numbers(await run(sari, { q: 'printer' }))).toContain(1);
  });

  it('reads at most a bounded number of postings per word, newest first', async () => {
    // Arrange: more tickets than one word reads.
    const many = Array.from({ length: POSTINGS_PER_TERM + 10 }, (_, index) =>
      aTicket({
        id: id(100 + index),
        number: 100 + index,
        subject: 'Lampu padam',
        createdAt: new Date(Date.parse(T0) + index * 1000).toISOString(),
      }),
    );
    const { run, search } = await arrange(many);
    const reads: number[] = [];
    const postings = search.postings.bind(search);
    search.postings = async (term, query) => {
      const found = await postings(term, query);
      reads.push(found.read);
      return found;
    };

    // Act
    const result = await run(admin, { q: 'lampu', limit: 1 });

    // Assert: the newest ticket first; no read beyond the cap.
    expect(numbers(result)).toEqual([100 + POSTINGS_PER_TERM + 9]);
    expect(Math.max(...reads)).toBe(POSTINGS_PER_TERM);
  });
});

describe('searching tickets as a requester', () => {
  it('finds only their own tickets, by words, number and typo', async () => {
    // Arrange
    const { run, deps } = await arrange();
    await addComment(deps, alice, id(2), { body: 'Masih belum bisa konek', visibility: 'public' });

    // Act / Assert
    expect(numbers(await run(alice, { q: 'printer' }))).toEqual([1, 5, 2]);
    expect(numbers(await run(bob, { q: 'printer' }))).toEqual([]);
    expect(numbers(await run(bob, { q: 'proyektr' }))).toEqual([4]);
    expect(numbers(await run(bob, { q: '#1' }))).toEqual([]);
    expect(numbers(await run(alice, { q: '#1', status: 'new' }))).toEqual([1]);
    expect(numbers(await run(alice, { q: 'alice@siswa.example', team: 'sarpras' }))).toEqual([3]);
  });
});

describe('what a search refuses', () => {
  it('refuses an empty query and one of 1,000 characters, naming q', () => {
    for (const q of ['', '   ', 'x'.repeat(1000)]) {
      const parsed = searchTicketsQuerySchema.safeParse({ q });
      expect(parsed.success, JSON.stringify(q.slice(0, 5))).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['q']);
    }
    expect(searchTicketsQuerySchema.safeParse({ q: 'printer', tag: 'Bad Tag' }).success).toBe(false);
  });

  it('refuses an unknown team or category (400), another team for an agent (403), and a backwards range', async () => {
    const { run } = await arrange();
    expect((await rejection(run(admin, { q: 'x', team: 'nope' }))).details.errors?.[0]?.path).toBe('team');
    expect((await rejection(run(admin, { q: 'x', category: 'nope' }))).details.errors?.[0]?.path).toBe('category');
    expect((await rejection(run(ivan, { q: 'x', team: 'sarpras' }))).kind).toBe('forbidden');
    expect((await rejection(run(admin, { q: 'x', from: '2026-03-05', to: '2026-03-01' }))).details.errors?.[0]?.path).toBe('to');
  });

  it('answers a query of stop words only with nothing, not an error', async () => {
    const { run } = await arrange();
    expect(await run(admin, { q: 'yang dan di' })).toEqual({ items: [], words: [] });
  });
});
