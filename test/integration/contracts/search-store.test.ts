// The search index's contract (SearchIndexStore and SearchReader in shared/domain/search/ports.ts), run against
// the DynamoDB store on DynamoDB Local and against the in-memory fake the unit tests use.
import { beforeEach, describe, expect, it } from 'vitest';
import { createSearchStore } from '#shared/adapters/search-store.ts';
import { createTicketNumbers } from '#shared/adapters/ticket-numbers.ts';
import { createTicketStore } from '#shared/adapters/ticket-store.ts';
import type { Posting, SearchDoc, SearchIndexStore, SearchReader } from '#shared/domain/search/ports.ts';
import type { TicketNumbers, TicketStore } from '#shared/domain/tickets/ports.ts';
import { InMemorySearch } from '#test/fixtures/in-memory-search.ts';
import { InMemoryTicketNumbers, InMemoryTicketStore } from '#test/fixtures/in-memory-ticket-stores.ts';
import { aTicket } from '#test/fixtures/tickets.ts';
import { localTable } from './local-table.ts';

type Stores = { search: SearchIndexStore & SearchReader; tickets: TicketStore; numbers: TicketNumbers };

const implementations: { name: string; make: () => Promise<Stores> }[] = [
  {
    name: 'in memory',
    make: async () => {
      const numbers = new InMemoryTicketNumbers();
      const tickets = new InMemoryTicketStore({ numbers });
      return { search: new InMemorySearch(tickets, numbers), tickets, numbers };
    },
  },
  {
    name: 'DynamoDB',
    make: async () => {
      const { client, table } = await localTable();
      return {
        search: createSearchStore(client, table),
        tickets: createTicketStore(client, table),
        numbers: createTicketNumbers(client, table),
      };
    },
  },
];

const posting = (n: number, overrides: Partial<Posting> = {}): Posting => ({
  ticketId: `01JCONTRACTSEARCH000000000${n}`.slice(-26),
  number: n,
  createdAt: `2026-03-0${n}T02:00:00.000Z`,
  status: 'open',
  team: 'it-support',
  category: 'network',
  assignee: null,
  requester: 'rq-alice',
  tags: [],
  weight: 1,
  length: 4,
  ...overrides,
});

const doc = (revision: number, overrides: Partial<SearchDoc> = {}): SearchDoc => {
  const { ticketId, weight: _w, length: _l, ...facets } = posting(1);
  return { ticketId, revision, version: 1, pending: false, terms: { printer: 3 }, length: 4, facets, ...overrides };
};

const ids = (read: { postings: { number: number }[] }) => read.postings.map((found) => found.number);

describe.each(implementations)('the search index ($name)', ({ make }) => {
  let stores: Stores;
  beforeEach(async () => {
    stores = await make();
  });

  it('writes a ticket’s record only at the revision expected, and deletes it the same way', async () => {
    // Act / Assert
    expect(await stores.search.putDoc(doc(1), 1)).toBe(false);
    expect(await stores.search.putDoc(doc(1), 0)).toBe(true);
    expect(await stores.search.putDoc(doc(2, { pending: true }), 0)).toBe(false);
    expect(await stores.search.putDoc(doc(2, { pending: true, terms: { printer: 3, toner: 1 } }), 1)).toBe(true);
    expect(await stores.search.getDoc(doc(1).ticketId)).toEqual(doc(2, { pending: true, terms: { printer: 3, toner: 1 } }));
    expect(await stores.search.docs([doc(1).ticketId, 'missing'])).toEqual([doc(2, { pending: true, terms: { printer: 3, toner: 1 } })]);
    expect(await stores.search.deleteDoc(doc(1).ticketId, 1)).toBe(false);
    expect(await stores.search.deleteDoc(doc(1).ticketId, 2)).toBe(true);
    expect(await stores.search.getDoc(doc(1).ticketId)).toBeUndefined();
  });

  it('writes a ticket’s record with its postings all at once, and nothing at the wrong revision', async () => {
    // Arrange
    await stores.search.writeDocWithPostings(doc(1), 0, [{ term: 'printer', posting: posting(1) }], []);

    // Act
    const stale = await stores.search.writeDocWithPostings(
      doc(2, { terms: { toner: 1 } }),
      0,
      [{ term: 'toner', posting: posting(1) }],
      [],
    );
    const moved = await stores.search.writeDocWithPostings(
      doc(2, { terms: { toner: 1 } }),
      1,
      [{ term: 'toner', posting: posting(1, { status: 'resolved' }) }],
      [{ term: 'printer', ticketId: posting(1).ticketId, number: 1, createdAt: posting(1).createdAt }],
    );

    // Assert: the stale write left no posting behind; the other moved the ticket from one word to the other
    expect(stale).toBe(false);
    expect(moved).toBe(true);
    expect(await stores.search.getDoc(doc(1).ticketId)).toEqual(doc(2, { terms: { toner: 1 } }));
    expect(ids(await stores.search.postings('printer', { limit: 10, filter: {} }))).toEqual([]);
    expect(ids(await stores.search.postings('toner', { limit: 10, filter: { status: 'resolved' } }))).toEqual([1]);
  });

  it('reads one term’s postings newest first, within a range, and removes them', async () => {
    // Arrange
    await stores.search.writePostings(
      [1, 2, 3, 4].map((n) => ({ term: 'printer', posting: posting(n) })),
      [],
    );
    await stores.search.writePostings([{ term: 'toner', posting: posting(2) }], []);

    // Act
    const all = await stores.search.postings('printer', { limit: 10, filter: {} });
    const range = await stores.search.postings('printer', {
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-04T00:00:00.000Z',
      limit: 10,
      filter: {},
    });
    await stores.search.writePostings([], [{ term: 'printer', ticketId: posting(4).ticketId, number: 4, createdAt: posting(4).createdAt }]);

    // Assert
    expect(ids(all)).toEqual([4, 3, 2, 1]);
    expect(all).toMatchObject({ read: 4, complete: true });
    expect(all.postings[0]).toEqual({ ticketId: posting(4).ticketId, number: 4, createdAt: posting(4).createdAt, weight: 1, length: 4 });
    expect(ids(range)).toEqual([3, 2]);
    expect(ids(await stores.search.postings('printer', { limit: 10, filter: {} }))).toEqual([3, 2, 1]);
    expect(ids(await stores.search.postings('toner', { limit: 10, filter: {} }))).toEqual([2]);
    expect(ids(await stores.search.postings('absent', { limit: 10, filter: {} }))).toEqual([]);
  });

  it('stops at the limit (counted before the filter) and says how far back it reached', async () => {
    // Arrange
    await stores.search.writePostings(
      [1, 2, 3, 4, 5].map((n) => ({ term: 'printer', posting: posting(n, { team: n % 2 === 0 ? 'sarpras' : 'it-support' }) })),
      [],
    );

    // Act
    const capped = await stores.search.postings('printer', { limit: 3, filter: { team: 'sarpras' } });

    // Assert
    expect(capped).toMatchObject({ read: 3, complete: false, oldestNumber: 3 });
    expect(ids(capped)).toEqual([4]);
  });

  it('filters on reach (teams, assignee or requester), status, team, category and tag', async () => {
    // Arrange
    await stores.search.writePostings(
      [
        posting(1),
        posting(2, { team: 'sarpras', assignee: 'ivan' }),
        posting(3, { team: 'sarpras', requester: 'rq-ivan' }),
        posting(4, { team: 'sarpras', status: 'closed', category: 'facilities', tags: ['gedung-a', 'lantai-2'] }),
      ].map((one) => ({ term: 'printer', posting: one })),
      [],
    );
    const read = async (filter: Parameters<SearchReader['postings']>[1]['filter']) =>
      ids(await stores.search.postings('printer', { limit: 10, filter }));

    // Act / Assert
    expect(await read({ reach: { teams: ['it-support'], assignee: 'ivan', requester: 'rq-ivan' } })).toEqual([3, 2, 1]);
    expect(await read({ reach: { teams: [], assignee: 'nobody', requester: 'rq-nobody' } })).toEqual([]);
    expect(await read({ status: 'closed' })).toEqual([4]);
    expect(await read({ team: 'sarpras', category: 'facilities' })).toEqual([4]);
    expect(await read({ tag: 'lantai-2' })).toEqual([4]);
    expect(await read({ tag: 'lantai' })).toEqual([]);
  });

  it('keeps a vocabulary by first letter, and reads tickets by id and their count', async () => {
    // Arrange
    await stores.search.addVocabulary(['printer', 'proyektor', 'printer', 'toner']);
    const one = aTicket({ id: '01JCONTRACTSEARCHTICKET0001', number: await stores.numbers.next() });
    await stores.tickets.createTicket(one, []);

    // Act / Assert
    expect((await stores.search.vocabulary('p')).sort()).toEqual(['printer', 'proyektor']);
    expect(await stores.search.vocabulary('x')).toEqual([]);
    expect(await stores.search.tickets([one.id, '01JCONTRACTSEARCHTICKET0009'])).toEqual([one]);
    expect(await stores.search.ticketCount()).toBe(1);
  });
});
