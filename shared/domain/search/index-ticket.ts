// Keeps one ticket's entry in the search index true: run by the `search` queue's consumer for every event that
// can change what a ticket is found by (its words, status, team, category, assignee, tags, requester). It
// always indexes the ticket as it is now, so events arriving late, twice or out of order do no harm.
//
// Two consumers may work on one ticket at once. The doc beside the ticket lists the terms that have postings,
// and every write of it is conditional on its revision: before writing postings a consumer records the union
// of the old and new terms (pending), after writing it records the new terms; whoever loses a race starts
// again from what is stored. So the doc never lists fewer terms than have postings, and a removal always
// finds the postings it must remove. Finally the ticket's version is read again: if it moved meanwhile, the
// newer state is indexed too, so the last write reflects the latest version.
import { createHash } from 'node:crypto';
import type { TicketStore } from '#shared/domain/tickets/ports.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { historyPages } from '#shared/domain/tickets/ticket-history.ts';
import type { Posting, PostingFacets, SearchDoc, SearchIndexStore } from './ports.ts';
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

/** One round: index the ticket as read now. `undefined` when another consumer's write got in between. */
const indexOnce = async (deps: IndexDeps, ticketId: string): Promise<IndexOutcome | undefined> => {
  const [doc, ticket] = await Promise.all([deps.search.getDoc(ticketId), deps.tickets.getTicket(ticketId)]);
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
  if (doc && !doc.pending && doc.version === ticket.version) return { outcome: 'current' };

  const { terms, length } = ticketTerms(ticket, publicComments(await historyUpTo(deps.tickets, ticketId, MAX_HISTORY_INDEXED)));
  const facets = facetsOf(ticket);
  const newTerms = Object.keys(terms);
  // Only what changed: a posting whose weight, length and facets are as stored stays.
  const unchanged = (term: string) =>
    !doc?.pending && doc?.terms[term] === terms[term] && doc?.length === length && !!doc && sameFacets(doc.facets, facets);
  const put = newTerms.filter((term) => !unchanged(term));
  const removed = oldTerms.filter((term) => !(term in terms));

  const pending: SearchDoc = {
    ticketId,
    revision: revision + 1,
    version: doc?.version ?? 0,
    pending: true,
    terms: { ...doc?.terms, ...terms },
    length,
    facets,
  };
  if (!(await deps.search.putDoc(pending, revision))) return undefined;
  const posting = (term: string): Posting => ({ ...facets, ticketId, weight: terms[term]!, length });
  await deps.search.writePostings(
    put.map((term) => ({ term, posting: posting(term) })),
    // A ticket's creation time never changes, so its old postings have the same keys.
    removed.map((term) => ({ term, ticketId, number: ticket.number, createdAt: ticket.createdAt })),
  );
  const added = newTerms.filter((term) => !(term in (doc?.terms ?? {})));
  if (added.length > 0) await deps.search.addVocabulary(added.filter((term) => !term.includes(':')));
  const settled: SearchDoc = { ...pending, revision: revision + 2, version: ticket.version, pending: false, terms };
  if (!(await deps.search.putDoc(settled, revision + 1))) return undefined;
  const latest = await deps.tickets.getTicket(ticketId);
  if (latest && latest.version !== ticket.version) return undefined;
  return { outcome: 'indexed', put: put.length, removed: removed.length };
};

/** Brings the ticket's postings in line with the ticket; throws IndexContendedError after ROUNDS lost races. */
export const indexTicket = async (deps: IndexDeps, ticketId: string): Promise<IndexOutcome> => {
  for (let round = 0; round < ROUNDS; round++) {
    const outcome = await indexOnce(deps, ticketId);
    if (outcome) return outcome;
  }
  throw new IndexContendedError(ticketId);
};
