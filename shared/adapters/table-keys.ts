// Every key the helpdesk table holds, built in one place: the stores call these and write no key format of
// their own. table-definition.ts lists the access pattern each key serves.
import { PRIORITY_RANK } from '#shared/domain/tickets/priority.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { STATUSES, type Status } from '#shared/domain/tickets/ticket-status.ts';

export type ItemKey = { pk: string; sk: string };

// ---- tickets and their history ----

export const ticketKey = (id: string): ItemKey => ({ pk: `TICKET#${id}`, sk: 'TICKET' });
/** The partition of one ticket: the ticket item and its history items. */
export const ticketPartition = (id: string) => `TICKET#${id}`;
/** A ticket id from its partition key (the SLA index returns keys only). */
export const ticketIdOf = (pk: string) => pk.slice('TICKET#'.length);
/** History items sort by their ULID, so by time. */
export const EVENT_PREFIX = 'EVENT#';
export const eventKey = (ticketId: string, eventId: string): ItemKey => ({
  pk: ticketPartition(ticketId),
  sk: `${EVENT_PREFIX}${eventId}`,
});

/** The human number's pointer to its ticket, written with the ticket (for mail subjects: `[#42]`). */
export const numberKey = (number: number): ItemKey => ({ pk: `NUMBER#${number}`, sk: 'NUMBER' });
/** The counter that hands out human numbers. */
export const TICKET_COUNTER_KEY: ItemKey = { pk: 'COUNTER#TICKET', sk: 'COUNTER' };

// ---- the queue indexes (gsi1–gsi4) ----

/** The status part of the queue key: a status filter is a begins_with on it. */
export const statusPrefix = (status: Status) => `${STATUSES.indexOf(status) + 1}-${status}#`;

/** Sort key shared by every ticket index: status, then priority, then age. */
export const queueKey = (ticket: Ticket): string =>
  `${statusPrefix(ticket.status)}${PRIORITY_RANK[ticket.priority]}-${ticket.priority}#${ticket.createdAt}#${ticket.id}`;

/** Working statuses (new, open, pending, on hold) are ranks 1–4 of the queue key: one key range. */
export const WORKING_QUEUE_RANGE = { from: '1-', to: '4-~' } as const;

export const teamQueue = (team: string) => `TEAM#${team}`;
export const requesterQueue = (requesterId: string) => `REQUESTER#${requesterId}`;
export const agentQueue = (agentId: string) => `AGENT#${agentId}`;
/** gsi4's one partition: every ticket. */
export const ALL_TICKETS_QUEUE = 'TICKETS';

// ---- the SLA schedule (gsi5) ----

export const SLA_SCHEDULE = 'SLA';
export const slaScheduleKey = (instant: string, ticketId: string) => `${instant}#${ticketId}`;
/** Everything due at or before `instant`, whatever the ticket id. */
export const slaScheduleUpTo = (instant: string) => `${instant}#~`;
export const instantOfSlaScheduleKey = (key: string) => key.split('#')[0]!;

// ---- the staff's SLA queue (gsi6) ----

/** gsi6's one partition: every ticket still in work (new, open, pending, on hold). */
export const SLA_QUEUE = 'WORKING';
/** The SLA queue's key: the earliest due time of a running clock; `~` (after every date) when none runs. */
export const slaQueueKey = (dueAt: string | undefined, ticketId: string) => `${dueAt ?? '~'}#${ticketId}`;
/** `<instant>#~` sorts after every key due at or before the instant. */
export const slaQueueUpTo = (instant: string) => `${instant}#~`;

// ---- counted events by time (gsi7) ----

/** gsi7's partition of one UTC day (`yyyy-mm-dd`): the events statistics count, written that day. */
export const countedEventsDay = (day: string) => `COUNTED#${day}`;
/** Within a day, by the event's time, then its id. */
export const countedEventKey = (at: string, eventId: string) => `${at}#${eventId}`;
/** `<instant>#~` sorts after every key of that instant. */
export const countedEventsUpTo = (instant: string) => `${instant}#~`;

// ---- routing, rate limits, acknowledgements ----

/** A team's routing turn: the last agent given one of its tickets, its version and its latest assignments. */
export const roundRobinKey = (team: string): ItemKey => ({ pk: `ROUTING#${team}`, sk: 'ROUND_ROBIN' });
export const rateLimitKey = (key: string, windowStart: number): ItemKey => ({ pk: `RATE#${key}#${windowStart}`, sk: 'RATE' });
/** Acknowledgements to one address (hashed: no key shows an address) in one hour (`yyyy-mm-ddThh`). */
export const acknowledgementKey = (addressHash: string, hour: string): ItemKey => ({ pk: `ACKS#${addressHash}`, sk: `HOUR#${hour}` });

// ---- claims (claim-store.ts) ----

/** The claim spaces: idempotency keys, send claims, Message-IDs, counted statistics events. */
export type ClaimPrefix = 'IDEMPOTENCY' | 'NOTIFIED' | 'MAIL' | 'STATSEVENT';
export const claimKey = (prefix: ClaimPrefix, key: string): ItemKey => ({ pk: `${prefix}#${key}`, sk: prefix });

// ---- statistics ----

/** One local date's counter items; their sort keys (`ALL#…`, `TEAM#<team>#…`) come from the domain (stats.ts). */
export const statsPartition = (date: string) => `STATS#${date}`;

// ---- the staff directory ----

/** Every member of staff in one partition (read whole: a desk has tens of staff). */
export const STAFF_PARTITION = 'STAFF';
export const STAFF_MEMBER_PREFIX = 'MEMBER#';
export const staffMemberKey = (id: string): ItemKey => ({ pk: STAFF_PARTITION, sk: `${STAFF_MEMBER_PREFIX}${id}` });

// ---- the knowledge base ----

/** Every current article in one partition (tens to hundreds of articles). */
export const KB_PARTITION = 'KB';
export const articleKey = (id: string): ItemKey => ({ pk: KB_PARTITION, sk: `ARTICLE#${id}` });
export const articleVersionKey = (id: string, version: number): ItemKey => ({
  pk: `KBARTICLE#${id}`,
  sk: `VERSION#${String(version).padStart(10, '0')}`,
});
export const suggestionKey = (id: string): ItemKey => ({ pk: `KBSUGGEST#${id}`, sk: 'KBSUGGEST' });
