// Every key the helpdesk table holds, built in one place: the stores call these and write no key format of
// their own. table-definition.ts lists the access pattern each key serves.
import { PRIORITY_RANK } from '#shared/domain/tickets/priority.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { STATUSES, type Status } from '#shared/domain/tickets/ticket-status.ts';

export type ItemKey = { pk: string; sk: string };

// ---- what a key read back from a client (a cursor) must look like ----

/** An id as keys hold it: a ULID, or in tests another id of letters and digits. */
const ID = '[0-9A-Za-z]{1,64}';
const INSTANT = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z';
/** The ticket a ticket's partition key names, or undefined for anything else. */
export const ticketIdOfPartition = (pk: string) => new RegExp(`^TICKET#(${ID})$`).exec(pk)?.[1];

// ---- tickets and their history ----

export const ticketKey = (id: string): ItemKey => ({ pk: `TICKET#${id}`, sk: 'TICKET' });
/** The partition of one ticket: the ticket item and its history items. */
export const ticketPartition = (id: string) => `TICKET#${id}`;
/** A ticket id from its partition key (the SLA index returns keys only). */
export const ticketIdOf = (pk: string) => pk.slice('TICKET#'.length);
/** History items sort by their ULID, so by time. */
export const EVENT_PREFIX = 'EVENT#';
/** A history item's sort key, as a cursor may name it. */
export const EVENT_SORT_KEY = new RegExp(`^${EVENT_PREFIX}${ID}$`);
export const eventKey = (ticketId: string, eventId: string): ItemKey => ({
  pk: ticketPartition(ticketId),
  sk: `${EVENT_PREFIX}${eventId}`,
});

/** The audit records of reads of one ticket (`TicketViewed`), apart from its history: newest first by ULID. */
export const auditPartition = (ticketId: string) => `AUDIT#${ticketId}`;
export const VIEW_PREFIX = 'VIEW#';
/** An audit record's sort key, as a cursor may name it. */
export const VIEW_SORT_KEY = new RegExp(`^${VIEW_PREFIX}${ID}$`);
export const viewKey = (ticketId: string, eventId: string): ItemKey => ({ pk: auditPartition(ticketId), sk: `${VIEW_PREFIX}${eventId}` });

/** The human number's pointer to its ticket, written with the ticket (for mail subjects: `[#42]`). */
export const numberKey = (number: number): ItemKey => ({ pk: `NUMBER#${number}`, sk: 'NUMBER' });
/** The counter that hands out human numbers. */
export const TICKET_COUNTER_KEY: ItemKey = { pk: 'COUNTER#TICKET', sk: 'COUNTER' };

// ---- ticket search (shared/domain/search/) ----

/** What the search index holds of one ticket (its terms and facets), beside the ticket. */
export const searchDocKey = (ticketId: string): ItemKey => ({ pk: ticketPartition(ticketId), sk: 'SEARCH' });
/** One term's postings, newest ticket first: `SEARCH#<term>` / `<createdAt>#<number>#<ticket id>`. */
export const searchTermPartition = (term: string) => `SEARCH#${term}`;
export const postingKey = (term: string, posting: { createdAt: string; number: number; ticketId: string }): ItemKey => ({
  pk: searchTermPartition(term),
  sk: `${posting.createdAt}#${posting.number}#${posting.ticketId}`,
});
/** The ticket number in a posting's sort key (how far back a capped read reached). */
export const numberOfPosting = (sk: string) => Number(sk.split('#')[1]);
export const ticketIdOfPosting = (sk: string) => sk.slice(sk.lastIndexOf('#') + 1);
/** Sort keys of tickets filed at or after `from`, and before `to` (instants sort as text). */
export const postingBound = (instant: string) => `${instant}#`;
/** The search vocabulary (spelling correction), by first character: `SEARCHVOCAB#<c>` / `<term>`. */
export const vocabularyKey = (term: string): ItemKey => ({ pk: `SEARCHVOCAB#${term.charAt(0)}`, sk: term });
export const vocabularyPartition = (firstCharacter: string) => `SEARCHVOCAB#${firstCharacter}`;

// ---- the queue indexes (gsi1–gsi4) ----

/** The status part of the queue key: a status filter is a begins_with on it. */
export const statusPrefix = (status: Status) => `${STATUSES.indexOf(status) + 1}-${status}#`;

/** Sort key shared by every ticket index: status, then priority, then age. */
export const queueKey = (ticket: Ticket): string =>
  `${statusPrefix(ticket.status)}${PRIORITY_RANK[ticket.priority]}-${ticket.priority}#${ticket.createdAt}#${ticket.id}`;

const QUEUE_KEY = new RegExp(
  `^(?:${STATUSES.map((status) => statusPrefix(status)).join('|')})(?:${Object.entries(PRIORITY_RANK)
    .map(([priority, rank]) => `${rank}-${priority}`)
    .join('|')})#${INSTANT}#(${ID})$`,
);
/** Whether `key` is a queue key (`queueKey`) of the ticket `ticketId`. */
export const isQueueKeyOf = (key: string, ticketId: string) => QUEUE_KEY.exec(key)?.[1] === ticketId;

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
/** Whether `key` is an SLA schedule key (`slaScheduleKey`) of the ticket `ticketId`. */
export const isSlaScheduleKeyOf = (key: string, ticketId: string) => new RegExp(`^${INSTANT}#(${ID})$`).exec(key)?.[1] === ticketId;

// ---- the staff's SLA queue (gsi6) ----

/** gsi6's one partition: every ticket still in work (new, open, pending, on hold). */
export const SLA_QUEUE = 'WORKING';
/** The SLA queue's key: the earliest due time of a running clock; `~` (after every date) when none runs. */
export const slaQueueKey = (dueAt: string | undefined, ticketId: string) => `${dueAt ?? '~'}#${ticketId}`;
/** `<instant>#~` sorts after every key due at or before the instant. */
export const slaQueueUpTo = (instant: string) => `${instant}#~`;
/** Whether `key` is an SLA queue key (`slaQueueKey`) of the ticket `ticketId`. */
export const isSlaQueueKeyOf = (key: string, ticketId: string) => new RegExp(`^(?:${INSTANT}|~)#(${ID})$`).exec(key)?.[1] === ticketId;

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

/** The claim spaces: idempotency keys, send claims, Message-IDs, counted statistics events, chat deliveries in and
 *  messages out, webhook deliveries, major incidents' updates to their children. */
export type ClaimPrefix = 'IDEMPOTENCY' | 'NOTIFIED' | 'MAIL' | 'STATSEVENT' | 'CHATIN' | 'CHATSENT' | 'WEBHOOK' | 'INCIDENT';
export const claimKey = (prefix: ClaimPrefix, key: string): ItemKey => ({ pk: `${prefix}#${key}`, sk: prefix });

// ---- statistics ----

/** One local date's counter items; their sort keys (`ALL#…`, `TEAM#<team>#…`) come from the domain (stats.ts). */
export const statsPartition = (date: string) => `STATS#${date}`;

// ---- the staff directory ----

/** Every member of staff in one partition (read whole: a desk has tens of staff). */
export const STAFF_PARTITION = 'STAFF';
export const STAFF_MEMBER_PREFIX = 'MEMBER#';
export const staffMemberKey = (id: string): ItemKey => ({ pk: STAFF_PARTITION, sk: `${STAFF_MEMBER_PREFIX}${id}` });
/** One person's audit trail (changes made from the desk), by ULID: in time order. */
export const staffRecordPartition = (memberId: string) => `STAFFLOG#${memberId}`;
export const STAFF_RECORD_PREFIX = 'RECORD#';
export const staffRecordKey = (memberId: string, recordId: string): ItemKey => ({
  pk: staffRecordPartition(memberId),
  sk: `${STAFF_RECORD_PREFIX}${recordId}`,
});

// ---- macros ----

/** Every shared and personal macro in one partition (a desk has tens of them). */
export const MACRO_PARTITION = 'MACROS';
export const macroKey = (id: string): ItemKey => ({ pk: MACRO_PARTITION, sk: `MACRO#${id}` });

// ---- the knowledge base ----

/** Every current article in one partition (tens to hundreds of articles). */
export const KB_PARTITION = 'KB';
export const articleKey = (id: string): ItemKey => ({ pk: KB_PARTITION, sk: `ARTICLE#${id}` });
/** An article with its HTML, as the public page shows it (not read by the Query that lists the articles). */
export const articlePageKey = (id: string): ItemKey => ({ pk: KB_PARTITION, sk: `PAGE#${id}` });
export const articleVersionKey = (id: string, version: number): ItemKey => ({
  pk: `KBARTICLE#${id}`,
  sk: `VERSION#${String(version).padStart(10, '0')}`,
});
export const suggestionKey = (id: string): ItemKey => ({ pk: `KBSUGGEST#${id}`, sk: 'KBSUGGEST' });

// ---- chat channels (Telegram, WhatsApp) ----

/**
 * One person on a chat channel (`telegram`, `whatsapp`), by the platform's user id: the account item (where to
 * reply, who they are) and the desk's messages to them about tickets. Chats with the bot are private, so the
 * platform's chat id is the user id on both platforms.
 */
export const chatUserPartition = (channel: string, userId: string) => `CHATUSER#${channel}#${userId}`;
export const chatAccountKey = (channel: string, userId: string): ItemKey => ({ pk: chatUserPartition(channel, userId), sk: 'ACCOUNT' });
/** A message the desk sent about a ticket, by the platform's message id: a reply to it is a comment on that ticket. */
export const chatMessageKey = (channel: string, chatId: string, messageId: string): ItemKey => ({
  pk: chatUserPartition(channel, chatId),
  sk: `MSG#${messageId}`,
});
/**
 * Everything that ties chat accounts to one requester, in one partition (found by the requester's id, for the
 * ticket news to send and for erasure): the accounts linked to them, and the tickets a chat filed for them.
 */
export const chatLinksPartition = (requesterId: string) => `CHATLINKS#${requesterId}`;
export const CHAT_LINK_PREFIX = 'LINK#';
export const chatLinkKey = (requesterId: string, channel: string, userId: string): ItemKey => ({
  pk: chatLinksPartition(requesterId),
  sk: `${CHAT_LINK_PREFIX}${channel}#${userId}`,
});
export const CHAT_ORIGIN_PREFIX = 'TICKET#';
export const chatOriginKey = (requesterId: string, ticketId: string, channel: string, userId: string): ItemKey => ({
  pk: chatLinksPartition(requesterId),
  sk: `${CHAT_ORIGIN_PREFIX}${ticketId}#${channel}#${userId}`,
});

// ---- webhooks ----

/** A webhook subscription's state: switched off by a 410 from its receiver (for the URL it answered at). */
export const webhookStateKey = (id: string): ItemKey => ({ pk: `WEBHOOKSTATE#${id}`, sk: 'STATE' });

// ---- exports ----

/** One export's record (its checkpoint) and the pointer to the latest export. */
export const exportKey = (id: string): ItemKey => ({ pk: `EXPORT#${id}`, sk: 'EXPORT' });
export const LATEST_EXPORT_KEY: ItemKey = { pk: 'EXPORT#LATEST', sk: 'POINTER' };

// ---- imports ----

/** A ticket brought in from another desk: which ticket its id there became (written with the ticket). */
export const importedKey = (system: string, sourceId: string): ItemKey => ({ pk: `IMPORTED#${system}#${sourceId}`, sk: 'IMPORTED' });
