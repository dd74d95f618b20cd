// Keeping the search index in step with the tickets: what a re-index writes, and what it leaves.
import { describe, expect, it } from 'vitest';
import { IndexContendedError, indexTicket, requesterKey } from '#shared/domain/search/index-ticket.ts';
import { emailTerm } from '#shared/domain/search/search-terms.ts';
import { addComment } from '#shared/domain/tickets/add-comment.ts';
import { updateTicket } from '#shared/domain/tickets/update-ticket.ts';
import { DAY_MS } from '#test/fixtures/clock.ts';
import { alice, ivan } from '#test/fixtures/identities.ts';
import { InMemorySearch } from '#test/fixtures/in-memory-search.ts';
import { aTicket, testDeps } from '#test/fixtures/tickets.ts';

const arrange = () => {
  const deps = testDeps();
  const search = new InMemorySearch(deps.tickets, deps.numbers);
  const ticket = aTicket({ subject: 'Printer rusak', description: 'Printernya macet di ruang guru' });
  deps.tickets.seed(ticket);
  return { deps, search, id: ticket.id, index: () => indexTicket({ tickets: deps.tickets, search }, ticket.id) };
};

describe('indexing a ticket', () => {
  it('puts the ticket under each of its words with its facets, and records them', async () => {
    // Arrange
    const { search, id, index } = arrange();

    // Act
    const outcome = await index();

    // Assert
    expect(outcome).toEqual({ outcome: 'indexed', put: 6, removed: 0 });
    expect(search.termsOf(id)).toEqual(['guru', 'macet', emailTerm(alice.email!), 'printer', 'ruang', 'rusak'].sort());
    expect(search.postingOf('printer', id)).toMatchObject({
      number: 1,
      status: 'new',
      team: 'it-support',
      category: 'network',
      assignee: null,
      requester: requesterKey(alice.id),
      tags: [],
      weight: 4,
      length: 6,
    });
    expect(await search.getDoc(id)).toMatchObject({ version: 1, pending: false });
    expect(await search.vocabulary('p')).toEqual(['printer']);
  });

  it('writes the record and the postings at once, settled, in one write', async () => {
    // Arrange
    const { search, id, index } = arrange();

    // Act
    await index();

    // Assert
    expect(search.writes.docs).toBe(1);
    expect(await search.getDoc(id)).toMatchObject({ revision: 1, version: 1, pending: false });
  });

  it('rewrites the postings, then the record once, when only the status changed (no pending step)', async () => {
    // Arrange
    const { deps, search, id, index } = arrange();
    await index();
    await updateTicket(deps, ivan, id, { status: 'open' });
    const written: boolean[] = [];
    search.beforeDocWrite = async (doc) => {
      written.push(doc.pending);
    };

    // Act
    await index();

    // Assert
    expect(written).toEqual([false]);
    expect(search.postingOf('printer', id)).toMatchObject({ status: 'open' });
    expect(await search.getDoc(id)).toMatchObject({ version: 2, revision: 2, pending: false });
  });

  it('answers current from the index’s record alone once it holds the events’ version', async () => {
    // Arrange: the ticket is indexed, then its store stops answering (any read of it would fail)
    const { deps, search, id, index } = arrange();
    await index();
    const noTickets = { ...deps.tickets, getTicket: () => Promise.reject(new Error('not read')), listEvents: deps.tickets.listEvents };

    // Act / Assert
    expect(await indexTicket({ tickets: noTickets, search }, id, 1)).toEqual({ outcome: 'current' });
  });

  it('does not index a ticket read older than its event (a read not caught up yet): it reads again', async () => {
    // Arrange: the event says version 2; the first read still returns version 1
    const { deps, search, id } = arrange();
    await updateTicket(deps, ivan, id, { status: 'open' });
    const current = (await deps.tickets.getTicket(id))!;
    let reads = 0;
    const lagging = {
      getTicket: async () => (reads++ === 0 ? { ...current, status: 'new' as const, version: 1 } : current),
      listEvents: deps.tickets.listEvents.bind(deps.tickets),
    };

    // Act
    const outcome = await indexTicket({ tickets: lagging, search }, id, 2);

    // Assert
    expect(outcome).toMatchObject({ outcome: 'indexed' });
    expect(search.postingOf('printer', id)).toMatchObject({ status: 'open' });
    expect(await search.getDoc(id)).toMatchObject({ version: 2 });
  });

  it('writes a re-index that changes the words in steps (pending record, postings, record), and ends with only the new words', async () => {
    // Arrange: a ticket of many words whose words all change (an erasure of a long description, say)
    const deps = testDeps();
    const search = new InMemorySearch(deps.tickets);
    const words = (prefix: string) =>
      Array.from(
        { length: 60 },
        (_, n) => `${prefix}${String.fromCharCode(97 + (n % 26))}${String.fromCharCode(97 + Math.floor(n / 26))}zz`,
      ).join(' ');
    const ticket = aTicket({ subject: 'Printer rusak', description: words('qx') });
    deps.tickets.seed(ticket);
    await indexTicket({ tickets: deps.tickets, search }, ticket.id);
    const before = search.termsOf(ticket.id).length;
    await deps.tickets.saveTicket({ ...ticket, subject: 'Proyektor mati', description: words('vw'), version: 2 }, 1, []);

    // Act
    const outcome = await indexTicket({ tickets: deps.tickets, search }, ticket.id);

    // Assert: the index holds exactly the new words
    expect(outcome).toMatchObject({ outcome: 'indexed' });
    expect(before).toBeGreaterThan(50);
    expect(search.ticketsUnder('printer')).toEqual([]);
    expect(search.ticketsUnder('proyektor')).toEqual([ticket.id]);
    expect(Object.keys((await search.getDoc(ticket.id))!.terms).sort()).toEqual(search.termsOf(ticket.id));
    expect(await search.getDoc(ticket.id)).toMatchObject({ version: 2, pending: false });
  });

  it('writes nothing when the index already holds the ticket’s version', async () => {
    const { search, index } = arrange();
    await index();
    const before = { ...search.writes };
    expect(await index()).toEqual({ outcome: 'current' });
    expect(search.writes).toEqual(before);
  });

  it('adds the words of a public reply, never those of an internal note', async () => {
    // Arrange
    const { deps, search, id, index } = arrange();
    await index();
    await addComment(deps, ivan, id, { body: 'Toner sudah diganti', visibility: 'public' });
    await addComment(deps, ivan, id, { body: 'Garansi habis, rahasia', visibility: 'internal' });

    // Act
    await index();

    // Assert
    expect(search.termsOf(id)).toEqual(expect.arrayContaining(['toner', 'ganti']));
    expect(search.termsOf(id)).not.toEqual(expect.arrayContaining(['garansi']));
    expect(search.ticketsUnder('rahasia')).toEqual([]);
  });

  it('moves every posting to the new facets when the ticket changes status or team', async () => {
    // Arrange
    const { deps, search, id, index } = arrange();
    await index();
    await updateTicket(deps, ivan, id, { status: 'open', team: 'sarpras' });

    // Act
    await index();

    // Assert
    for (const term of search.termsOf(id)) expect(search.postingOf(term, id)).toMatchObject({ status: 'open', team: 'sarpras' });
  });

  it('removes the words that are gone, and the postings of a ticket that no longer exists', async () => {
    // Arrange: an erasure rewrote the ticket's words.
    const { deps, search, id, index } = arrange();
    await index();
    const current = (await deps.tickets.getTicket(id))!;
    await deps.tickets.saveTicket(
      { ...current, subject: '[erased]', description: '[erased]', requester: { id: 'erased:1' }, version: 2 },
      1,
      [],
    );

    // Act
    await index();

    // Assert
    expect(search.termsOf(id)).toEqual(['eras']);
    expect(search.ticketsUnder('printer')).toEqual([]);
  });

  it('removes every posting of a ticket deleted by retention, and its record', async () => {
    // Arrange
    const deps = testDeps();
    const search = new InMemorySearch(deps.tickets);
    const ticket = aTicket({ subject: 'Printer rusak' });
    deps.tickets.seed(ticket);
    await indexTicket({ tickets: deps.tickets, search }, ticket.id);
    const terms = search.termsOf(ticket.id).length;
    const emptied = testDeps();

    // Act
    const outcome = await indexTicket({ tickets: emptied.tickets, search }, ticket.id);

    // Assert
    expect(outcome).toEqual({ outcome: 'removed', removed: terms });
    expect(search.termsOf(ticket.id)).toEqual([]);
    expect(await search.getDoc(ticket.id)).toBeUndefined();
    expect(await indexTicket({ tickets: emptied.tickets, search }, ticket.id)).toEqual({ outcome: 'absent' });
  });

  it('gives its postings the ticket’s retention once it is closed', async () => {
    const { deps, search, id, index } = arrange();
    deps.clock.advance(DAY_MS);
    await updateTicket(deps, ivan, id, { status: 'resolved' });
    await updateTicket(deps, ivan, id, { status: 'closed' });
    await index();
    expect(search.postingOf('printer', id)?.retainUntil).toBe((await deps.tickets.getTicket(id))!.retainUntil);
  });

  it('starts again when another consumer wrote the ticket’s record meanwhile, and ends with the latest version indexed', async () => {
    // Arrange: another consumer indexes the ticket just before this one records its pending write, while the
    // ticket changes once more.
    const { deps, search, id, index } = arrange();
    let interfered = false;
    search.beforeDocWrite = async () => {
      if (interfered) return;
      interfered = true;
      await updateTicket(deps, ivan, id, { status: 'open' });
      search.beforeDocWrite = undefined;
      await indexTicket({ tickets: deps.tickets, search }, id);
    };

    // Act
    const outcome = await index();

    // Assert
    expect(outcome).toEqual({ outcome: 'current' });
    expect(await search.getDoc(id)).toMatchObject({ version: 2, pending: false });
    expect(search.postingOf('printer', id)).toMatchObject({ status: 'open' });
  });

  it('writes every posting again after losing its record write to a newer consumer that wrote postings first', async () => {
    // Arrange: indexed while new; opened (version 2). This consumer reads version 2; just before it writes its
    // postings the ticket is resolved (version 3) and another consumer indexes that completely.
    const { deps, search, id, index } = arrange();
    await index();
    await updateTicket(deps, ivan, id, { status: 'open' });
    const writePostings = search.writePostings.bind(search);
    let raced = false;
    search.writePostings = async (puts, removals) => {
      if (!raced) {
        raced = true;
        await updateTicket(deps, ivan, id, { status: 'resolved' });
        await indexTicket({ tickets: deps.tickets, search }, id, 3);
      }
      return writePostings(puts, removals);
    };

    // Act: its postings (status open) land after the other's (resolved); its record write then loses
    const outcome = await indexTicket({ tickets: deps.tickets, search }, id, 2);

    // Assert: not taken as current on the next round: the postings say what the ticket says
    expect(raced).toBe(true);
    expect(outcome).toMatchObject({ outcome: 'indexed' });
    expect(search.postingOf('printer', id)).toMatchObject({ status: 'resolved' });
    expect(await search.getDoc(id)).toMatchObject({ version: 3, pending: false });
  });

  it('gives up after five lost races, so the message is retried later', async () => {
    const { deps, search, id, index } = arrange();
    search.beforeDocWrite = async (doc) => {
      // Someone else always writes first (and is still writing its postings).
      const stored = await search.getDoc(id);
      search.beforeDocWrite = undefined;
      await search.putDoc({ ...doc, pending: true, revision: (stored?.revision ?? 0) + 1 }, stored?.revision ?? 0);
      search.beforeDocWrite = interfere;
    };
    const interfere = search.beforeDocWrite;
    await expect(index()).rejects.toBeInstanceOf(IndexContendedError);
    expect(deps.tickets.all()).toHaveLength(1);
  });
});
