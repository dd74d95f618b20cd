// What ticket search needs from the outside world: the index the consumer keeps (index-ticket.ts) and the
// reads a search makes (search-tickets.ts). The DynamoDB implementation is shared/adapters/search-store.ts.
import type { Ticket } from '#shared/domain/tickets/ticket.ts';

/** What a posting carries besides its term, so a search filters and ranks without reading tickets. */
export type PostingFacets = {
  number: number;
  createdAt: string;
  status: Ticket['status'];
  team: string;
  category: string;
  assignee: string | null;
  /** The requester's id, hashed (requesterKey): enough for "my own tickets", no personal data in the index. */
  requester: string;
  tags: string[];
  /** The ticket's retention: the posting is deleted with it (DynamoDB TTL). */
  retainUntil?: string | undefined;
};

/** One ticket under one term. */
export type Posting = PostingFacets & { ticketId: string; weight: number; length: number };

/** What the index holds of one ticket: the terms it is under, and the facets its postings carry. */
export type SearchDoc = {
  ticketId: string;
  /** Bumped by every write of the doc; writes are conditional on it (two consumers on one ticket). */
  revision: number;
  /** The ticket version the postings reflect (0 before the first index). */
  version: number;
  /** True while postings are being written: `terms` then lists every term that may have one. */
  pending: boolean;
  terms: Record<string, number>;
  length: number;
  facets: PostingFacets;
};

export type PostingPut = { term: string; posting: Posting };

export type PostingRemoval = { term: string; ticketId: string; number: number; createdAt: string };

/** The most posting puts and removals `writeDocWithPostings` takes (a DynamoDB transaction's 100 items, less the doc). */
export const MAX_POSTINGS_WITH_DOC = 99;

export interface SearchIndexStore {
  getDoc(ticketId: string): Promise<SearchDoc | undefined>;
  /** Writes the doc only if the stored one is at `expectedRevision` (0: none stored); false if it is not. */
  putDoc(doc: SearchDoc, expectedRevision: number): Promise<boolean>;
  /** Deletes the doc only if the stored one is at `expectedRevision`; false if it is not. */
  deleteDoc(ticketId: string, expectedRevision: number): Promise<boolean>;
  /**
   * Writes the doc and puts and removes postings all at once, only if the stored doc is at `expectedRevision`;
   * false (and nothing written) if it is not, or if another write on the ticket's items got in the way.
   * At most MAX_POSTINGS_WITH_DOC puts and removals together.
   */
  writeDocWithPostings(doc: SearchDoc, expectedRevision: number, put: PostingPut[], remove: PostingRemoval[]): Promise<boolean>;
  /** Puts and removes postings (each put replaces that ticket's posting under that term). */
  writePostings(put: PostingPut[], remove: PostingRemoval[]): Promise<void>;
  /** Records terms in the vocabulary that spelling correction reads (idempotent). */
  addVocabulary(terms: string[]): Promise<void>;
}

/** Who a staff search may see (ORed): their teams' tickets, those assigned to them, their own; absent: everything. */
export type Reach = { teams: string[]; assignee: string; requester: string };

export type PostingFilter = {
  reach?: Reach | undefined;
  status?: Ticket['status'] | undefined;
  team?: string | undefined;
  category?: string | undefined;
  tag?: string | undefined;
};

export type PostingsQuery = {
  /** Filed at or after this instant. */
  from?: string | undefined;
  /** Filed before this instant. */
  to?: string | undefined;
  /** The most postings read (before the filter): the cap on one term's cost. */
  limit: number;
  filter: PostingFilter;
};

export type FoundPosting = Pick<Posting, 'ticketId' | 'number' | 'createdAt' | 'weight' | 'length'>;

export type PostingsRead = {
  /** The postings that passed the filter, newest ticket first. */
  postings: FoundPosting[];
  /** Postings read, filtered or not (how common the term is in the range read). */
  read: number;
  /** Whether every posting of the term within the range was read (not cut by `limit`). */
  complete: boolean;
  /** The lowest ticket number among the postings read (the oldest reached). */
  oldestNumber?: number | undefined;
};

export interface SearchReader {
  postings(term: string, query: PostingsQuery): Promise<PostingsRead>;
  /** Known terms that start with this character (spelling correction). */
  vocabulary(firstCharacter: string): Promise<string[]>;
  docs(ticketIds: string[]): Promise<SearchDoc[]>;
  tickets(ids: string[]): Promise<Ticket[]>;
  /** The highest ticket number handed out so far (how many tickets there are, near enough). */
  ticketCount(): Promise<number>;
}
