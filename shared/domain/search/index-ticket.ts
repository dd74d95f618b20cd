// Keeps one ticket's entry in the search index true: run by the `search` queue's consumer for every event that
// can change what a ticket is found by (its words, status, team, category, assignee, tags, requester). It
// always indexes the ticket as it is now, so events arriving late, twice or out of order do no harm.
//
// Two consumers may work on one ticket at once. The doc beside the ticket lists the terms that have postings,
// and every write of it is conditional on its revision; whoever loses a race starts again from what is stored.
// A ticket's first index writes its doc and postings in one transaction (all or nothing). A re-index under the
// same terms (a change of status or assignee) writes the postings, then the doc. Any other writes first the doc
// with the union of the old and new terms (pending), then the postings, then the doc with the new terms. So the
// doc never lists fewer terms than have postings, and a removal always finds the postings it must remove.
// The ticket is read after its doc, and a doc at or past the version of the events being indexed is current:
// a later change's own event brings its consumer here, which indexes it (docs/decisions.md, "Search index writes").
// A consumer whose doc write loses after it wrote postings may have written them over a newer consumer's (a slow
// writer of an older state): its next round takes nothing as current and writes every posting again.
import { createHash } from 'node:crypto';
import type { TicketStore } from '#shared/domain/tickets/ports.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { historyPages } from '#shared/domain/tickets/ticket-history.ts';
import { MAX_POSTINGS_WITH_DOC, type Posting, type PostingFacets, type SearchDoc, type SearchIndexStore } from './ports.ts';
import { ticketTerms } from './search-terms.ts';

/** History items read to index one ticket: a bound on one re-index's work (a ticket's words are in its first ones). */
const MAX_HISTORY_INDEXED = 10_000;

const historyUpTo = async (tickets: Pick<TicketStore, 'listEvents'>, ticketId: string, max: number): Promise<TicketEvent[]> => {
  const events: TicketEvent[] = [];
  for await (const page of historyPages(tickets, ticketId)) {
    events.push(...page);
    if (events.length >= max) break;
  }
  return events;
};

/** The events after which a ticket may be found differently; the bus rule `index-ticket` sends exactly these. */
export const SEARCH_EVENT_TYPES = [
  'TicketCreated',
  'StatusChanged',
  'CategoryChanged',
  'TeamChanged',
  'Assigned',
  'CommentAdded',
  'RequesterErased',
  'TagsChanged',
] as const satisfies readonly TicketEvent['type'][];

/** A requester's id as the index keeps it: hashed, so that postings hold no personal data. */
export const requesterKey = (requesterId: string) =>
  createHash('sha256').update(`requester:${requesterId}`).digest('base64url').slice(0, 16);

export const facetsOf = (ticket: Ticket): PostingFacets => ({
  number: ticket.number,
  createdAt: ticket.createdAt,
  status: ticket.status,
  team: ticket.team,
  category: ticket.category,
  assignee: ticket.assignee,
  requester: requesterKey(ticket.requester.id),
  tags: [...(ticket.tags ?? [])].sort(),
  ...(ticket.retainUntil ? { retainUntil: ticket.retainUntil } : {}),
});

export type IndexDeps = { tickets: Pick<TicketStore, 'getTicket' | 'listEvents'>; search: SearchIndexStore };

export type IndexOutcome =
  | { outcome: 'indexed'; put: number; removed: number }
  | { outcome: 'current' }
  | { outcome: 'removed'; removed: number }
  | { outcome: 'absent' };

/** Rounds before giving up on a ticket others keep changing (the message is then retried later). */
const ROUNDS = 5;

const sameFacets = (a: PostingFacets, b: PostingFacets) => JSON.stringify(a) === JSON.stringify(b);

const publicComments = (events: TicketEvent[]): string[] =>
  events.flatMap((event) => (event.type === 'CommentAdded' && event.data.visibility === 'public' ? [event.data.body] : []));

export class IndexContendedError extends Error {
  constructor(readonly ticketId: string) {
    super(`ticket ${ticketId} kept changing while it was indexed`);
    this.name = 'IndexContendedError';
  }
}

/**
 * One round: index the ticket as read now. `undefined` when another consumer's write got in between before this
 * one wrote anything, or when the ticket read is older than the events being indexed (an eventually consistent
 * read that has not caught up); `'rewrite'` when it got in between after this one wrote postings. `rewrite`: the
 * round after such a loss, which writes every posting whatever the doc says.
 */
const indexOnce = async (
  deps: IndexDeps,
  ticketId: string,
  eventVersion: number,
  rewrite: boolean,
): Promise<IndexOutcome | 'rewrite' | undefined> => {
  const doc = await deps.search.getDoc(ticketId);
  // The events' changes are in the index already: no need to read the ticket.
  if (!rewrite && doc && !doc.pending && eventVersion > 0 && doc.version >= eventVersion) return { outcome: 'current' };
  // Read after the doc, so it is at least as new as what the doc's last writer read.
  const ticket = await deps.tickets.getTicket(ticketId);
  const revision = doc?.revision ?? 0;
  const oldTerms = Object.keys(doc?.terms ?? {});
  if (!ticket) {
    // Deleted (retention): its postings go too (they carry its TTL as well; this is sooner).
    if (!doc) return { outcome: 'absent' };
    await deps.search.writePostings(
      [],
      oldTerms.map((term) => ({ term, ticketId, number: doc.facets.number, createdAt: doc.facets.createdAt })),
    );
    return (await deps.search.deleteDoc(ticketId, revision)) ? { outcome: 'removed', removed: oldTerms.length } : undefined;
  }
  if (ticket.version < eventVersion) return undefined;
  if (!rewrite && doc && !doc.pending && doc.version >= ticket.version) return { outcome: 'current' };

  const { terms, length } = ticketTerms(ticket, publicComments(await historyUpTo(deps.tickets, ticketId, MAX_HISTORY_INDEXED)));
  const facets = facetsOf(ticket);
  const newTerms = Object.keys(terms);
  // Only what changed: a posting whose weight, length and facets are as stored stays.
  const unchanged = (term: string) =>
    !doc?.pending && doc?.terms[term] === terms[term] && doc?.length === length && !!doc && sameFacets(doc.facets, facets);
  const put = rewrite ? newTerms : newTerms.filter((term) => !unchanged(term));
  const removed = oldTerms.filter((term) => !(term in terms));
  const posting = (term: string): Posting => ({ ...facets, ticketId, weight: terms[term]!, length });
  const puts = put.map((term) => ({ term, posting: posting(term) }));
  // A ticket's creation time never changes, so its old postings have the same keys.
  const removals = removed.map((term) => ({ term, ticketId, number: ticket.number, createdAt: ticket.createdAt }));
  const settled: SearchDoc = { ticketId, revision: revision + 1, version: ticket.version, pending: false, terms, length, facets };

  // Before the doc says the ticket is current (a failure here retries the whole; a word recorded twice is harmless).
  const added = newTerms.filter((term) => !(term in (doc?.terms ?? {})) && !term.includes(':'));
  if (added.length > 0) await deps.search.addVocabulary(added);

  if (!doc && puts.length <= MAX_POSTINGS_WITH_DOC) {
    // The first index: all at once (a transaction's items cost twice the write units, once in a ticket's life).
    if (!(await deps.search.writeDocWithPostings(settled, 0, puts, []))) return undefined;
  } else if (doc && !doc.pending && removed.length === 0 && newTerms.every((term) => term in doc.terms)) {
    // The same terms (a change of status, assignee, team…): the doc lists every posting already, so no pending step.
    await deps.search.writePostings(puts, []);
    if (!(await deps.search.putDoc(settled, revision))) return 'rewrite';
  } else {
    const pending: SearchDoc = { ...settled, version: doc?.version ?? 0, pending: true, terms: { ...doc?.terms, ...terms } };
    if (!(await deps.search.putDoc(pending, revision))) return undefined;
    await deps.search.writePostings(puts, removals);
    if (!(await deps.search.putDoc({ ...settled, revision: revision + 2 }, revision + 1))) return 'rewrite';
  }
  return { outcome: 'indexed', put: put.length, removed: removed.length };
};

/**
 * Brings the ticket's postings in line with the ticket; `eventVersion`: the highest ticket version among the events
 * that asked for it (0: index whatever is stored). Throws IndexContendedError after ROUNDS lost races.
 */
export const indexTicket = async (deps: IndexDeps, ticketId: string, eventVersion = 0): Promise<IndexOutcome> => {
  let rewrite = false;
  for (let round = 0; round < ROUNDS; round++) {
    const outcome = await indexOnce(deps, ticketId, eventVersion, rewrite);
    if (outcome === 'rewrite') rewrite = true;
    else if (outcome) return outcome;
  }
  throw new IndexContendedError(ticketId);
};
