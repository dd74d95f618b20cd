// The one definition of the helpdesk table: CDK (infra/stacks/stateful-stack.ts) and the sandbox both
// build the table from this, so the keys the code queries are the keys that exist.
//
// Access patterns (every one a GetItem or a Query; only the full export scans). Every key below is built in one place,
// table-keys.ts; the claim spaces (IDEMPOTENCY, MAIL, NOTIFIED, STATSEVENT, CHATIN, CHATSENT, WEBHOOK, INCIDENT) are the one claim store's
// (claim-store.ts):
// | need                                   | where | key                                                   |
// |----------------------------------------|-------|-------------------------------------------------------|
// | ticket by id                           | table | TICKET#<id> / TICKET                                  |
// | ticket history in order                | table | TICKET#<id> / begins_with EVENT#  (ULIDs sort by time)|
// | staff reads of a ticket (audit)        | table | AUDIT#<id> / VIEW#<ulid>  (newest first; apart from   |
// |                                        |       | the history: reads never grow the conversation)       |
// | next human ticket number               | table | COUNTER#TICKET / COUNTER (atomic ADD)                 |
// | idempotent create                      | table | IDEMPOTENCY#<caller>#<key> / IDEMPOTENCY (TTL)        |
// | ticket id by human number (mail [#n])  | table | NUMBER#<number> / NUMBER (written with the ticket)    |
// | one ticket or comment per Message-ID   | table | MAIL#<sha-256 of the Message-ID> / MAIL (TTL 30 days) |
// | one mail per event and recipient       | table | NOTIFIED#<event id>[#<kind>#<staff id>] / NOTIFIED    |
// |   (send claim)                         |       |   (TTL 35 days; the requester's mail: the event id)   |
// | acknowledgements to one address an hour| table | ACKS#<address hash> / HOUR#<yyyy-mm-ddThh> (TTL)      |
// | tickets one requester filed this hour  | table | RATE#create#<requester>#<hour start> / RATE (TTL)     |
// | a team's routing turn (last agent,     | table | ROUTING#<team> / ROUND_ROBIN  (written with each      |
// |   version, latest assignments)         |       |   assignment, under its version)                      |
// | the staff directory (all staff, by id) | table | STAFF / MEMBER#<id>  (one partition, read whole)      |
// | a person's audit trail, in time order  | table | STAFFLOG#<id> / RECORD#<ulid>                         |
// | a day's statistics [of one team]       | table | STATS#<local date> / [begins_with TEAM#<team>#]…      |
// | an event already counted in statistics | table | STATSEVENT#<event id> / STATSEVENT (TTL 35 days)      |
// | a major incident's update to one child | table | INCIDENT#<event id>#<child id> / INCIDENT (TTL 35 d)  |
// | every knowledge-base article (one Query)| table | KB / ARTICLE#<id>  (drafts too; tens to hundreds)     |
// | an article with its HTML (public read) | table | KB / PAGE#<id>  (one GetItem; the Query skips it)     |
// | an article's versions, newest first    | table | KBARTICLE#<id> / VERSION#<10-digit version> (kept     |
// |                                        |       | after deletion, so an id is never reused)             |
// | suggestions shown on the request form  | table | KBSUGGEST#<ulid> / KBSUGGEST (TTL one day)            |
// | a day's knowledge-base and chat figures| table | STATS#<local date> / ALL#kb                           |
// | one chat conversation                  | table | CHAT#<session id> / SESSION (TTL: idle expiry)        |
// | one event delivered to one webhook     | table | WEBHOOK#<subscription>#<event id> / WEBHOOK (TTL 35 d)|
// | a webhook switched off by a 410        | table | WEBHOOKSTATE#<subscription> / STATE                   |
// | one export's record (its checkpoint)   | table | EXPORT#<id> / EXPORT                                  |
// | the latest export                      | table | EXPORT#LATEST / POINTER                               |
// | a ticket imported from another desk    | table | IMPORTED#<system>#<its id there> / IMPORTED           |
// | every ticket and history item (export) | table | Scan (the export worker alone), filtered by entity    |
// | chat messages one client sent this hour| table | RATE#chat#<client>#<hour start> / RATE (TTL)          |
// | what the search index holds of a ticket| table | TICKET#<id> / SEARCH  (its terms and facets)          |
// | one term's tickets, newest first       | table | SEARCH#<term> / <createdAt>#<id>  (a posting: facets  |
// |   (ticket search)                      |       |   to filter on, weight and length to rank by)         |
// | search words by first letter (typos)   | table | SEARCHVOCAB#<letter> / <term>                         |
// | every shared and personal macro        | table | MACROS / MACRO#<id>  (one partition, read whole)      |
// | a team's queue [by status]             | gsi1  | TEAM#<team> / <queue key>                             |
// | a requester's tickets [by status]      | gsi2  | REQUESTER#<id> / <queue key>                          |
// | an agent's tickets [by status]         | gsi3  | AGENT#<id> / <queue key>  (only while assigned)       |
// | every ticket [by status]               | gsi4  | TICKETS / <queue key>                                 |
// | tickets whose SLA needs a look, by time | gsi5  | SLA / <next check instant>#<id>  (sparse: only while  |
// |                                        |       | a clock runs or an escalation step is pending)        |
// | working tickets by SLA due time        | gsi6  | WORKING / <earliest due time, or ~>#<id>  (sparse:    |
// |                                        |       | new, open, pending, on hold; breached = before now)   |
// | events the statistics count, by time   | gsi7  | COUNTED#<utc day> / <at>#<event id>  (sparse: history |
// |   (the sweeper: what was not counted   |       | items of counted events; keys and `type` only)        |
// |   or acknowledged)                     |       |                                                       |
// | new tickets not yet assigned (sweeper) | gsi4  | TICKETS / begins_with 1-new#  (filter: no assignee)   |
//
// The queue key is `<status rank>-<status>#<priority rank>-<priority>#<createdAt>#<id>`: a status filter is
// a begins_with on it, and the order within one status is priority, then oldest first (a work queue).
// gsi4's single partition takes every ticket write; a desk writes far below the 1,000 writes/s one
// partition sustains, and the alternative (one query per status, merged) makes paging fragile. gsi5 is
// the SLA schedule: the checker reads only what is due, so its cost follows due tickets, not table size.
// gsi6 is the staff's SLA queue: only tickets still in work, ordered by the earliest due time of a running
// clock (paused ones last); "breached" is a key range (due before now), "at risk" a range plus a filter.
// gsi7 is what the sweeper (shared/domain/stuck-work) reads to find events whose consumers left no record:
// one partition a day, read for the last two hours only, so its cost follows recent events, not the table.
//
// The ticket lists' indexes (gsi1–4, gsi6) project what a list shows (TICKET_SUMMARY_FIELDS) rather than ALL: an
// index write costs the projected item's size, and a ticket write that changes nothing listed writes no index
// at all (docs/decisions.md, "What a busy month pays for"). DynamoDB allows 100 projected non-key attributes
// over all indexes: 5 × 18 + 2 here.
import { TICKET_SUMMARY_FIELDS } from '#shared/domain/tickets/ticket-summary-fields.ts';

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

const LISTED = { projection: 'INCLUDE', nonKeyAttributes: TICKET_SUMMARY_FIELDS } as const;

export const TABLE_INDEXES = [
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', ...LISTED },
  { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', ...LISTED },
  { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', ...LISTED },
  { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', ...LISTED },
  // Keys only: the checker needs the ticket's key (pk names the ticket) and re-reads the ticket to act.
  { indexName: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk', projection: 'KEYS_ONLY' },
  // The listed attributes and slaWarnFrom, which the "at risk" filter reads.
  {
    indexName: 'gsi6',
    partitionKey: 'gsi6pk',
    sortKey: 'gsi6sk',
    projection: 'INCLUDE',
    nonKeyAttributes: [...TICKET_SUMMARY_FIELDS, 'slaWarnFrom'],
  },
  // Keys and the event's type: the sweeper checks markers by id and reads the few events it re-drives.
  { indexName: 'gsi7', partitionKey: 'gsi7pk', sortKey: 'gsi7sk', projection: 'INCLUDE', nonKeyAttributes: ['type'] },
] as const;

export type IndexName = (typeof TABLE_INDEXES)[number]['indexName'];

/** Items carrying this attribute (epoch seconds) are deleted by DynamoDB after that time. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const STREAM_VIEW = 'NEW_AND_OLD_IMAGES' as const;

/** Environment variable through which every function learns the table's name. */
export const TABLE_NAME_ENV = 'TABLE_NAME';
