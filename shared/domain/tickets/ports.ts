// What the domain needs from the outside world. Adapters implement these; tests pass in-memory ones.

import type { HeldClaim } from '#shared/domain/claims.ts';
import type { TurnUpdate } from '#shared/domain/routing/ports.ts';
import type { Ticket, TicketEvent, TicketSummary } from './ticket.ts';
import type { Status } from './ticket-status.ts';

export type Page<T> = { items: T[]; cursor?: string | undefined };
export type PageRequest = { limit: number; cursor?: string | undefined };
/** A history page: oldest first (the default), or newest first for a view that shows only the latest. */
export type HistoryPageRequest = PageRequest & { newestFirst?: boolean | undefined };

export type TicketFilter = {
  status?: Status | undefined;
  team?: string | undefined;
  /** An agent's id, or null for unassigned tickets only. */
  assignee?: string | null | undefined;
  requester?: string | undefined;
  /** Only tickets of these teams (an agent's reach). */
  teams?: string[] | undefined;
  /** `due`: working tickets only (new, open, pending, on hold), earliest SLA due time first, paused ones last. */
  order?: 'queue' | 'due' | undefined;
  /** Working tickets at risk or breached at `now` (slaStanding), by due time. */
  sla?: { standing: 'at-risk' | 'breached'; now: string } | undefined;
};

/** Thrown when the stored version is not the expected one (someone else changed the ticket). */
export class VersionConflictError extends Error {
  constructor(readonly ticketId: string) {
    super(`ticket ${ticketId} changed concurrently`);
    this.name = 'VersionConflictError';
  }
}

/** One use of a fixed-window rate limit (RateLimits), counted in the write it limits rather than on its own. */
export type RateLimitUse = { key: string; limit: number; windowSeconds: number; now: Date };

/** The fixed window of `windowSeconds` that holds `now`: where it starts and how long until the next one (seconds). */
export const rateLimitWindow = (windowSeconds: number, now: Date) => {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const windowStart = nowSeconds - (nowSeconds % windowSeconds);
  return { windowStart, retryAfterSeconds: windowStart + windowSeconds - nowSeconds };
};

/** Thrown when the rate limit counted in a write was used up already: nothing was written. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('rate limit reached');
    this.name = 'RateLimitedError';
  }
}

/** One ticket's new version and its events, written at the version read. */
export type TicketWrite = { ticket: Ticket; expectedVersion: number; events: TicketEvent[] };

/** Tickets and their history: each write is all-or-nothing, and a ticket changes only at the version read. */
export interface TicketStore {
  /**
   * Writes the ticket, its history and its number's pointer in one transaction, completing the request's
   * idempotency claim in it too (ClaimLostError, writing nothing, when the claim was taken over), and
   * counting `rateLimit`'s use in it too (RateLimitedError, writing nothing, when its window is used up): one
   * request instead of a separate UpdateItem for the limit.
   */
  createTicket(ticket: Ticket, events: TicketEvent[], idempotency?: HeldClaim, rateLimit?: RateLimitUse): Promise<void>;
  getTicket(id: string): Promise<Ticket | undefined>;
  /** The tickets of these ids that exist, in any order (a consumer's batch in one read). */
  getTickets(ids: string[]): Promise<Ticket[]>;
  /** The id of the ticket with this human number (tickets created before the pointer existed: none). */
  getTicketIdByNumber(number: number): Promise<string | undefined>;
  /**
   * Replaces the ticket if its stored version is `expectedVersion`, and appends the events, atomically; with
   * a `turn` (the router's), also moves the team's turn on, only if it is still at the version the router read.
   * Either version having moved is a VersionConflictError, and nothing is written.
   */
  saveTicket(ticket: Ticket, expectedVersion: number, events: TicketEvent[], turn?: TurnUpdate): Promise<void>;
  /**
   * saveTicket for several tickets in one transaction (a merge, a link: both sides or neither); a conflict on
   * any of them writes nothing and names it (VersionConflictError).
   */
  saveTickets(writes: TicketWrite[]): Promise<void>;
  /** One page of a list: what a list shows of each ticket (TicketSummary), read by one Query. */
  listTickets(filter: TicketFilter, page: PageRequest): Promise<Page<TicketSummary>>;
  /** The ticket's history: what happened to it (changes, the conversation, notes); never the audit of reads. */
  listEvents(ticketId: string, page: HistoryPageRequest): Promise<Page<TicketEvent>>;
  /** Adds a history item that changes nothing on the ticket (a bounce's note). */
  appendEvent(event: TicketEvent): Promise<void>;
  /**
   * Keeps the audit record of a staff read (`TicketViewed`) apart from the history, so reading a ticket never
   * grows its conversation (and never reaches the event bus).
   */
  recordView(event: TicketEvent): Promise<void>;
  /** The audit records of reads of one ticket, newest first. */
  listViews(ticketId: string, page: PageRequest): Promise<Page<TicketEvent>>;
  /** Overwrites history items in place: erasure of personal data is the one reason history is rewritten. */
  replaceEvents(events: TicketEvent[]): Promise<void>;
  /**
   * Gives every history item and audit record of the ticket the ticket's retention (deleted by TTL after
   * `retainUntil`), to the end of both, however long; returns how many it dated.
   */
  expireHistory(ticketId: string, retainUntil: string): Promise<number>;
}

/** What filing a ticket reads and writes of the store (create-ticket.ts). */
export type TicketFilingStore = Pick<TicketStore, 'createTicket' | 'getTicket'>;

/** Human ticket numbers: unique and increasing (a gap only where a create failed after taking one). */
export interface TicketNumbers {
  next(): Promise<number>;
}

/** Fixed-window counters: how often something may happen in a window (a requester's tickets an hour). */
export interface RateLimits {
  /**
   * Counts one use of `key` in the fixed window of `windowSeconds` that holds `now`; refuses (without
   * counting) when `limit` uses are already counted.
   */
  take(key: string, limit: number, windowSeconds: number, now: Date): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

export type Clock = { now(): Date };
export type IdGenerator = { next(): string };
