// What the domain needs from the outside world. Adapters implement these; tests pass in-memory ones.

import type { Ticket, TicketEvent } from './ticket.ts';
import type { Status } from './ticket-status.ts';

export type Page<T> = { items: T[]; cursor?: string | undefined };
export type PageRequest = { limit: number; cursor?: string | undefined };

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

/** A create request's idempotency key: claimed while the first request works, then bound to its ticket. */
export type IdempotencyRecord =
  | { state: 'in_progress'; requestHash: string }
  | { state: 'completed'; requestHash: string; ticketId: string };

/** `claimId` names the one request holding the claim: only it may complete or give back the key. */
export type IdempotencyClaim = { callerId: string; key: string; requestHash: string; claimId: string };

/** Thrown when the stored version is not the expected one (someone else changed the ticket). */
export class VersionConflictError extends Error {
  constructor(readonly ticketId: string) {
    super(`ticket ${ticketId} changed concurrently`);
    this.name = 'VersionConflictError';
  }
}

export interface TicketRepository {
  nextTicketNumber(): Promise<number>;
  /**
   * Claims an idempotency key for this request. Returns undefined when the claim succeeded, else the
   * record that holds it (a request still in progress, or the ticket it created).
   */
  claimIdempotencyKey(claim: IdempotencyClaim, now: Date): Promise<IdempotencyRecord | undefined>;
  getIdempotencyRecord(callerId: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Gives a claimed key back after a failed create, so that a retry can proceed at once. */
  releaseIdempotencyKey(claim: IdempotencyClaim): Promise<void>;
  /** Writes the ticket, its history and (optionally) completes the claimed key, in one transaction. */
  createTicket(ticket: Ticket, events: TicketEvent[], idempotency?: IdempotencyClaim): Promise<void>;
  getTicket(id: string): Promise<Ticket | undefined>;
  /** The id of the ticket with this human number (tickets created before the pointer existed: none). */
  getTicketIdByNumber(number: number): Promise<string | undefined>;
  /** Replaces the ticket if its stored version is `expectedVersion`, and appends the events, atomically. */
  saveTicket(ticket: Ticket, expectedVersion: number, events: TicketEvent[]): Promise<void>;
  listTickets(filter: TicketFilter, page: PageRequest): Promise<Page<Ticket>>;
  listEvents(ticketId: string, page: PageRequest): Promise<Page<TicketEvent>>;
  /**
   * Counts one use of `key` in the fixed window of `windowSeconds` that holds `now`; refuses (without
   * counting) when `limit` uses are already counted.
   */
  takeRateLimitToken(
    key: string,
    limit: number,
    windowSeconds: number,
    now: Date,
  ): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
  /** Gives every history item of the ticket the ticket's retention (deleted by TTL after `retainUntil`). */
  expireHistory(ticketId: string, retainUntil: string): Promise<number>;
  /** Overwrites history items in place: erasure of personal data is the one reason history is rewritten. */
  replaceEvents(events: TicketEvent[]): Promise<void>;
  /** Adds a history item that changes nothing on the ticket (an audit record such as a staff read). */
  appendEvent(event: TicketEvent): Promise<void>;
  /** How many tickets in a working status (new, open, pending, on hold) are assigned to the agent. */
  countActiveTickets(agentId: string): Promise<number>;
  /** The agent the router last gave a ticket of this team to (the round-robin position). */
  getLastAssigned(team: string): Promise<string | undefined>;
  setLastAssigned(team: string, agentId: string): Promise<void>;
  /** Tickets whose next SLA instant is at or before `nowIso`, earliest first (ids only: re-read to act). */
  listDueSla(nowIso: string, page: PageRequest): Promise<Page<{ id: string; dueAt: string }>>;
}

export type Clock = { now(): Date };
export type IdGenerator = { next(): string };
