// GET /tickets/search: tickets by number (#123), by the requester's address or phone, and by the words of
// their subject, description and public comments, best first, within what the caller may see: a requester
// their own tickets, an agent their teams' (and those assigned to them, and their own), leads and admins all.
//
// Staff searches read the inverted index (docs/decisions.md, "Ticket search"): one Query per word, newest
// postings first, at most POSTINGS_PER_TERM read, filtered by reach, status, team, category and tag on the
// postings themselves, ranked by BM25 (a subject word weighs three times). A requester's search reads their
// own tickets (the requester index) and what the index holds of each, and ranks those: a requester has tens
// of tickets, never the whole desk's. Either way the tickets of the page are read and checked again against
// the caller's reach and the filters, so a posting not yet brought up to date never shows what it should not.
import { createHash } from 'node:crypto';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { PERMISSIONS } from '#shared/domain/access/permissions.ts';
import { type Caller, callerOf, can } from '#shared/domain/access/ticket-access.ts';
import { forbidden, validationError } from '#shared/domain/errors.ts';
import { closestWord } from '#shared/domain/kb/search-index.ts';
import { localDateSchema } from '#shared/domain/reports/reports.ts';
import { zonedInstant } from '#shared/domain/sla/business-calendar.ts';
import type { Clock, TicketStore } from '#shared/domain/tickets/ports.ts';
import { type Ticket, type TicketSummary, tagSchema, ticketSchema } from '#shared/domain/tickets/ticket.ts';
import { STATUSES } from '#shared/domain/tickets/ticket-status.ts';
import * as z from '#shared/domain/zod.ts';
import { requesterKey } from './index-ticket.ts';
import type { FoundPosting, PostingFilter, PostingsRead, SearchDoc, SearchReader } from './ports.ts';
import { type ParsedQuery, parseQuery } from './search-terms.ts';

/** The most postings one word reads: its cost is bounded whatever the desk's size (decisions.md). */
export const POSTINGS_PER_TERM = 1_000;
/** A requester's search ranks their most recent tickets, at most this many. */
export const REQUESTER_TICKETS_MAX = 500;
export const QUERY_MAX = 200;

export const searchTicketsQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    q: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(QUERY_MAX, `must be at most ${QUERY_MAX} characters`)),
    status: z.optional(z.enum(STATUSES)),
    team: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    category: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    tag: z.optional(tagSchema),
    /** First local date a ticket was filed on (the organisation's zone), inclusive. */
    from: z.optional(localDateSchema),
    /** Last local date, inclusive. */
    to: z.optional(localDateSchema),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(50)), 20),
    cursor: z.optional(z.string().check(z.maxLength(512))),
  }),
);
export type SearchTicketsQuery = z.infer<typeof searchTicketsQuerySchema>;

export const searchHitSchema = /* @__PURE__ */ z.schema(() =>
  z.object({ ticket: ticketSchema, score: z.number(), matched: z.array(z.string()) }),
);
export type SearchHit = z.infer<typeof searchHitSchema>;
export type SearchResult = { items: SearchHit[]; cursor?: string | undefined; words: string[] };

export type SearchDeps = {
  tickets: Pick<TicketStore, 'getTicket' | 'getTicketIdByNumber' | 'listTickets'>;
  search: SearchReader;
  clock: Clock;
  config: Pick<HelpdeskConfig, 'teams' | 'categories' | 'organisation'>;
};

// BM25, as the knowledge base ranks (shared/domain/kb/search-index.ts).
const K1 = 1.2;
const B = 0.75;
/** A word corrected for a typo counts a little less than one spelt as indexed. */
const CORRECTED_WEIGHT = 0.8;
/** Words that are numbers: never corrected to a near one. */
const NUMERIC = /^\d+$/;

/** An address or phone number found is a near-certain match; a ticket number asked for is the first hit. */
const EXACT_SCORE = 20;
const NUMBER_SCORE = 1_000;

const idf = (df: number, n: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

type Candidate = { ticketId: string; createdAt: string; score: number; matched: Set<string> };

const addScore = (candidates: Map<string, Candidate>, ticketId: string, createdAt: string, score: number, matched: string) => {
  const candidate = candidates.get(ticketId) ?? { ticketId, createdAt, score: 0, matched: new Set<string>() };
  candidate.score += score;
  candidate.matched.add(matched);
  candidates.set(ticketId, candidate);
};

const bm25 = (weight: number, length: number, averageLength: number) =>
  (weight * (K1 + 1)) / (weight + K1 * (1 - B + (B * length) / averageLength));

// ── validation and the shared pieces ─────────────────────────────────────────────────────────────────────

/** The query's range as instants: from local midnight of `from` to local midnight after `to`. */
const rangeOf = (query: SearchTicketsQuery, timeZone: string): { from?: string; to?: string } => {
  const instant = (date: string, plusDays: number) => {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    const next = new Date(Date.UTC(year, month - 1, day + plusDays));
    return new Date(
      zonedInstant({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }, 0, timeZone),
    ).toISOString();
  };
  return { ...(query.from ? { from: instant(query.from, 0) } : {}), ...(query.to ? { to: instant(query.to, 1) } : {}) };
};

const checkQuery = (deps: SearchDeps, caller: Caller, query: SearchTicketsQuery) => {
  if (query.team && !deps.config.teams.some((team) => team.id === query.team))
    throw validationError([{ path: 'team', message: `must be one of ${deps.config.teams.map((team) => team.id).join(', ')}` }]);
  if (query.category && !deps.config.categories.some((category) => category.id === query.category))
    throw validationError([
      { path: 'category', message: `must be one of ${deps.config.categories.map((category) => category.id).join(', ')}` },
    ]);
  if (query.from && query.to && query.to < query.from)
    throw validationError([{ path: 'to', message: `must not be before from (${query.from})` }]);
  if (PERMISSIONS[caller.role]['ticket:read'] === 'team' && query.team && !caller.teams.includes(query.team))
    throw forbidden(`You can search the tickets of your own teams (${caller.teams.join(', ') || 'none'}).`);
};

/** Whether a ticket passes the filters of the query (checked again on every ticket shown). */
const matchesFilters = (ticket: TicketSummary, query: SearchTicketsQuery, range: { from?: string; to?: string }) =>
  (!query.status || ticket.status === query.status) &&
  (!query.team || ticket.team === query.team) &&
  (!query.category || ticket.category === query.category) &&
  (!query.tag || (ticket.tags ?? []).includes(query.tag)) &&
  (!range.from || ticket.createdAt >= range.from) &&
  (!range.to || ticket.createdAt < range.to);

/** The cursor names the search it pages and the position in it, so it cannot be carried to another search. */
const searchKey = (caller: Caller, query: SearchTicketsQuery) =>
  createHash('sha256')
    .update(JSON.stringify([caller.id, query.q, query.status, query.team, query.category, query.tag, query.from, query.to]))
    .digest('base64url')
    .slice(0, 16);

const encodeCursor = (key: string, offset: number) => Buffer.from(JSON.stringify({ k: key, o: offset })).toString('base64url');

const decodeCursor = (cursor: string | undefined, key: string): number => {
  if (cursor === undefined) return 0;
  const refuse = () => validationError([{ path: 'cursor', message: 'is not a cursor this search returned' }]);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  const { k, o } = (body ?? {}) as { k?: unknown; o?: unknown };
  if (k !== key || typeof o !== 'number' || !Number.isInteger(o) || o < 0) throw refuse();
  return o;
};

// ── staff: the inverted index ──────────────────────────────────────────────────────────────────────────

/** How many tickets hold the term: exact when every posting in range was read, else estimated from the share read. */
const documentFrequency = (read: PostingsRead, total: number, newest: number) => {
  if (read.complete || read.oldestNumber === undefined) return read.read;
  const span = Math.max(1, newest - read.oldestNumber + 1);
  return Math.min(total, Math.round((read.read / span) * total));
};

const staffCandidates = async (
  deps: SearchDeps,
  parsed: ParsedQuery,
  filter: PostingFilter,
  range: { from?: string; to?: string },
): Promise<{ candidates: Map<string, Candidate>; words: string[] }> => {
  const { search } = deps;
  const read = (term: string) => search.postings(term, { ...range, limit: POSTINGS_PER_TERM, filter });
  const [total, exactReads, wordReads] = await Promise.all([
    search.ticketCount(),
    Promise.all(parsed.exact.map(read)),
    Promise.all(parsed.words.map(read)),
  ]);
  const candidates = new Map<string, Candidate>();
  for (const found of exactReads)
    for (const posting of found.postings) addScore(candidates, posting.ticketId, posting.createdAt, EXACT_SCORE, 'exact');

  // Words no ticket holds: the nearest indexed word within the typo budget, if any.
  const words: { word: string; read: PostingsRead; weight: number }[] = [];
  const vocabularies = new Map<string, Promise<string[]>>();
  await Promise.all(
    parsed.words.map(async (word, index) => {
      const found = wordReads[index]!;
      if (found.read > 0) {
        words.push({ word, read: found, weight: 1 });
        return;
      }
      // A number (a ticket's, a NISN, a room) is found as written or not at all: 5009021 is not a typo of 5009029.
      if (NUMERIC.test(word)) return;
      const first = word.charAt(0);
      if (!vocabularies.has(first)) vocabularies.set(first, search.vocabulary(first));
      const known = (await vocabularies.get(first)!).filter((term) => term !== word);
      const nearest = closestWord(
        word,
        known.map((term): [string, string] => [term, term]),
        () => 0,
      );
      if (nearest) words.push({ word: nearest.word, read: await read(nearest.word), weight: CORRECTED_WEIGHT });
    }),
  );
  const all: FoundPosting[] = words.flatMap((entry) => entry.read.postings);
  const averageLength = all.length > 0 ? all.reduce((sum, posting) => sum + posting.length, 0) / all.length : 1;
  const n = Math.max(total, 1);
  for (const { word, read: found, weight } of words) {
    const weightOfWord = weight * idf(documentFrequency(found, n, total), n);
    for (const posting of found.postings)
      addScore(
        candidates,
        posting.ticketId,
        posting.createdAt,
        weightOfWord * bm25(posting.weight, posting.length, averageLength || 1),
        word,
      );
  }
  return { candidates, words: words.map((entry) => entry.word) };
};

// ── requesters: their own tickets ──────────────────────────────────────────────────────────────────────

const ownTickets = async (deps: SearchDeps, caller: Caller): Promise<TicketSummary[]> => {
  const tickets: TicketSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.tickets.listTickets({ requester: caller.id }, { limit: 100, cursor });
    tickets.push(...page.items);
    cursor = page.cursor;
  } while (cursor && tickets.length < REQUESTER_TICKETS_MAX);
  return tickets.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).slice(0, REQUESTER_TICKETS_MAX);
};

const requesterCandidates = (
  tickets: TicketSummary[],
  docs: SearchDoc[],
  parsed: ParsedQuery,
): { candidates: Map<string, Candidate>; words: string[] } => {
  const byId = new Map(tickets.map((ticket) => [ticket.id, ticket]));
  const vocabulary = new Map<string, number>();
  for (const doc of docs) for (const term of Object.keys(doc.terms)) vocabulary.set(term, (vocabulary.get(term) ?? 0) + 1);
  const candidates = new Map<string, Candidate>();
  for (const term of parsed.exact)
    for (const doc of docs)
      if (doc.terms[term] !== undefined) addScore(candidates, doc.ticketId, byId.get(doc.ticketId)!.createdAt, EXACT_SCORE, 'exact');
  const words: { word: string; weight: number }[] = [];
  for (const word of parsed.words) {
    if (vocabulary.has(word)) words.push({ word, weight: 1 });
    else if (!NUMERIC.test(word)) {
      const nearest = closestWord(word, vocabulary, (df) => df);
      if (nearest) words.push({ word: nearest.word, weight: CORRECTED_WEIGHT });
    }
  }
  const averageLength = docs.length > 0 ? docs.reduce((sum, doc) => sum + doc.length, 0) / docs.length || 1 : 1;
  for (const { word, weight } of words) {
    const weightOfWord = weight * idf(vocabulary.get(word) ?? 0, docs.length);
    for (const doc of docs) {
      const tf = doc.terms[word];
      if (tf !== undefined)
        addScore(candidates, doc.ticketId, byId.get(doc.ticketId)!.createdAt, weightOfWord * bm25(tf, doc.length, averageLength), word);
    }
  }
  return { candidates, words: words.map((entry) => entry.word) };
};

// ── the service ────────────────────────────────────────────────────────────────────────────────────────

export const searchTickets = async (deps: SearchDeps, identity: Identity, query: SearchTicketsQuery): Promise<SearchResult> => {
  const caller = callerOf(identity);
  checkQuery(deps, caller, query);
  const key = searchKey(caller, query);
  const offset = decodeCursor(query.cursor, key);
  const range = rangeOf(query, deps.config.organisation.timeZone);
  const parsed = parseQuery(query.q);
  const reach = PERMISSIONS[caller.role]['ticket:read'];
  const visible = (ticket: Ticket | undefined): ticket is Ticket =>
    !!ticket && can(caller, 'ticket:read', ticket) && matchesFilters(ticket, query, range);

  let found: { candidates: Map<string, Candidate>; words: string[] };
  const known = new Map<string, Ticket>();
  // A requester's own tickets by number (their list shows summaries; the hits are read whole below).
  const ownByNumber = new Map<number, string>();
  if (reach === 'own') {
    const tickets = (await ownTickets(deps, caller)).filter((ticket) => matchesFilters(ticket, query, range));
    for (const ticket of tickets) ownByNumber.set(ticket.number, ticket.id);
    found = requesterCandidates(tickets, await deps.search.docs(tickets.map((ticket) => ticket.id)), parsed);
  } else {
    const filter: PostingFilter = {
      ...(reach === 'team' ? { reach: { teams: caller.teams, assignee: caller.id, requester: requesterKey(caller.id) } } : {}),
      status: query.status,
      team: query.team,
      category: query.category,
      tag: query.tag,
    };
    found = await staffCandidates(deps, parsed, filter, range);
  }
  // Ticket numbers asked for: the ticket itself, first, when the caller may see it and it passes the filters.
  for (const number of parsed.numbers) {
    const id = reach === 'own' ? ownByNumber.get(number) : await deps.tickets.getTicketIdByNumber(number);
    const ticket = id ? (known.get(id) ?? (await deps.tickets.getTicket(id))) : undefined;
    if (!visible(ticket)) continue;
    known.set(ticket.id, ticket);
    addScore(found.candidates, ticket.id, ticket.createdAt, NUMBER_SCORE, `#${number}`);
  }

  const ranked = [...found.candidates.values()].sort(
    (a, b) => b.score - a.score || (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0),
  );
  const page = ranked.slice(offset, offset + query.limit);
  const missing = page.filter((candidate) => !known.has(candidate.ticketId)).map((candidate) => candidate.ticketId);
  for (const ticket of missing.length > 0 ? await deps.search.tickets(missing) : []) known.set(ticket.id, ticket);
  const items = page.flatMap((candidate): SearchHit[] => {
    const ticket = known.get(candidate.ticketId);
    if (!visible(ticket)) return [];
    return [{ ticket, score: Math.round(candidate.score * 100) / 100, matched: [...candidate.matched] }];
  });
  const next = offset + query.limit;
  return { items, ...(next < ranked.length ? { cursor: encodeCursor(key, next) } : {}), words: found.words };
};
