// DynamoDB single-table implementation of the TicketStore port: tickets, their history, the audit records of
// staff reads (a partition of their own) and their numbers' pointers. Keys: table-keys.ts; indexes and access patterns: table-definition.ts. The ticket item carries the
// keys of the queue indexes (gsi1–gsi4), the SLA schedule (gsi5) and the SLA queue (gsi6), so every write keeps them true.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ClaimLostError } from '#shared/domain/claims.ts';
import { isCounted } from '#shared/domain/reports/stats.ts';
import type { TurnUpdate } from '#shared/domain/routing/ports.ts';
import { nextSlaCheck } from '#shared/domain/sla/sla.ts';
import { slaMarks } from '#shared/domain/sla/sla-standing.ts';
import {
  RateLimitedError,
  rateLimitWindow,
  type TicketFilingStore,
  type TicketFilter,
  type TicketStore,
  type TicketWrite,
  VersionConflictError,
} from '#shared/domain/tickets/ports.ts';
import { type Ticket, type TicketEvent, ticketSummary } from '#shared/domain/tickets/ticket.ts';
import { WORKING_STATUSES } from '#shared/domain/tickets/ticket-status.ts';
import { batchGet, CLAIM_SPACES, claimCompletionItem } from './claim-store.ts';
import { decodeCursor, encodeCursor, exactly, matching } from './cursor.ts';
import { toEvent } from './history-item.ts';
import { rateLimitUpdate } from './rate-limits.ts';
import { turnItem } from './routing-state.ts';
import { type IndexName, TTL_ATTRIBUTE } from './table-definition.ts';
import {
  ALL_TICKETS_QUEUE,
  agentQueue,
  auditPartition,
  countedEventKey,
  countedEventsDay,
  EVENT_PREFIX,
  EVENT_SORT_KEY,
  eventKey,
  isQueueKeyOf,
  isSlaQueueKeyOf,
  numberKey,
  queueKey,
  requesterQueue,
  SLA_QUEUE,
  SLA_SCHEDULE,
  slaQueueKey,
  slaQueueUpTo,
  slaScheduleKey,
  statusPrefix,
  teamQueue,
  ticketIdOfPartition,
  ticketKey,
  ticketPartition,
  VIEW_PREFIX,
  VIEW_SORT_KEY,
  viewKey,
} from './table-keys.ts';

const TICKET_FIELDS = [
  'id',
  'number',
  'subject',
  'description',
  'status',
  'priority',
  'priorityOverridden',
  'urgency',
  'impact',
  'category',
  'team',
  'tier',
  'assignee',
  'requester',
  'channel',
  'language',
  'createdAt',
  'updatedAt',
  'resolvedAt',
  'closedAt',
  'version',
  'sla',
  'retainUntil',
  'csat',
  'filedBy',
  'imported',
  'tags',
  'fields',
  'mergedInto',
  'mergedFrom',
  'links',
  'followers',
] as const satisfies readonly (keyof Ticket)[];

export const ticketItem = (ticket: Ticket): Record<string, unknown> => {
  const sort = queueKey(ticket);
  const slaCheck = ['resolved', 'closed'].includes(ticket.status) ? undefined : nextSlaCheck(ticket.sla);
  const working = (WORKING_STATUSES as readonly string[]).includes(ticket.status);
  const { dueAt, warnFrom } = slaMarks(ticket.sla);
  return {
    ...ticketKey(ticket.id),
    entity: 'ticket',
    ...ticket,
    gsi1pk: teamQueue(ticket.team),
    gsi1sk: sort,
    gsi2pk: requesterQueue(ticket.requester.id),
    gsi2sk: sort,
    // Sparse: only assigned tickets appear in an agent's list.
    ...(ticket.assignee ? { gsi3pk: agentQueue(ticket.assignee), gsi3sk: sort } : {}),
    gsi4pk: ALL_TICKETS_QUEUE,
    gsi4sk: sort,
    // Sparse: on the SLA schedule only while something is due at some instant.
    ...(slaCheck ? { gsi5pk: SLA_SCHEDULE, gsi5sk: slaScheduleKey(slaCheck, ticket.id) } : {}),
    // Sparse: in the SLA queue only while in work; slaWarnFrom lets "at risk" be filtered without a read.
    ...(working ? { gsi6pk: SLA_QUEUE, gsi6sk: slaQueueKey(dueAt, ticket.id), ...(warnFrom ? { slaWarnFrom: warnFrom } : {}) } : {}),
    ...(ticket.retainUntil ? { [TTL_ATTRIBUTE]: epochSeconds(ticket.retainUntil) } : {}),
  };
};

export const toTicket = (item: Record<string, unknown>): Ticket => {
  const ticket: Record<string, unknown> = {};
  for (const field of TICKET_FIELDS) if (item[field] !== undefined) ticket[field] = item[field];
  return ticket as Ticket;
};

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export const eventItem = (event: TicketEvent): Record<string, unknown> => ({
  ...eventKey(event.ticketId, event.id),
  entity: 'event',
  ...event,
  // Sparse: on the counted-events index only if the statistics count it (the sweeper looks for its marker).
  ...(isCounted(event) ? { gsi7pk: countedEventsDay(event.at.slice(0, 10)), gsi7sk: countedEventKey(event.at, event.id) } : {}),
  ...(event.retainUntil ? { [TTL_ATTRIBUTE]: epochSeconds(event.retainUntil) } : {}),
});

/** An audit record of a read: its own partition, and an entity the stream publisher passes over (off the bus). */
const viewItem = (event: TicketEvent): Record<string, unknown> => ({
  ...viewKey(event.ticketId, event.id),
  entity: 'audit',
  ...event,
  ...(event.retainUntil ? { [TTL_ATTRIBUTE]: epochSeconds(event.retainUntil) } : {}),
});

/** Where an event is kept: a staff read in the ticket's audit records, anything else in its history. Every write of
 *  an event goes through here (the store's own, the import's), so a read never lands in the history. */
export const storedEventItem = (event: TicketEvent): Record<string, unknown> =>
  event.type === 'TicketViewed' ? viewItem(event) : eventItem(event);

export const cancellationCodes = (error: unknown): (string | undefined)[] | undefined =>
  error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((reason) => reason.Code) : undefined;

/** Picks the narrowest index for the filter; the remaining filters become a filter expression. */
const planListQuery = (filter: TicketFilter): { index: IndexName; pk: string; rest: ('team' | 'assignee' | 'requester')[] } => {
  if (filter.order === 'due' || filter.sla) return { index: 'gsi6', pk: SLA_QUEUE, rest: ['team', 'assignee', 'requester'] };
  if (filter.requester) return { index: 'gsi2', pk: requesterQueue(filter.requester), rest: ['team', 'assignee'] };
  if (filter.assignee) return { index: 'gsi3', pk: agentQueue(filter.assignee), rest: ['team'] };
  if (filter.team) return { index: 'gsi1', pk: teamQueue(filter.team), rest: filter.assignee === null ? ['assignee'] : [] };
  return { index: 'gsi4', pk: ALL_TICKETS_QUEUE, rest: filter.assignee === null ? ['assignee'] : [] };
};

/** How often createTicket sends its transaction when DynamoDB cancels it for a conflict with another one. */
const CREATE_ATTEMPTS = 3;

/** A filtered Query may fill a page from several: at most this many, so one request's work stays bounded. */
const MAX_QUERIES_PER_PAGE = 5;

/** Several tickets at the versions read, and their events, in one transaction. */
const saveTickets = async (client: DynamoDBDocumentClient, table: string, writes: TicketWrite[], turn?: TurnUpdate): Promise<void> => {
  // Each ticket's Put, then its events: the cancellation reasons come back in the same order.
  const items = writes.flatMap(({ ticket, expectedVersion, events }) => [
    {
      ticketId: ticket.id as string | undefined,
      item: {
        Put: {
          TableName: table,
          Item: ticketItem(ticket),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
    },
    ...events.map((event) => ({
      ticketId: undefined,
      item: { Put: { TableName: table, Item: storedEventItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
    })),
  ]);
  try {
    // With the router's turn last: the team's turn moves on only if it is still at the version the router read.
    await client.send(
      new TransactWriteCommand({ TransactItems: [...items.map(({ item }) => item), ...(turn ? [turnItem(table, turn)] : [])] }),
    );
  } catch (error) {
    const codes = cancellationCodes(error);
    const lost = codes?.findIndex((code, index) => code === 'ConditionalCheckFailed' && items[index]?.ticketId !== undefined);
    if (lost !== undefined && lost >= 0) throw new VersionConflictError(items[lost]!.ticketId!);
    // The team's turn (the last item) moved on since it was read, or another transaction was writing one of
    // the items at that moment (DynamoDB cancels with TransactionConflict): read again.
    if ((turn && codes?.[items.length] === 'ConditionalCheckFailed') || codes?.includes('TransactionConflict'))
      throw new VersionConflictError(writes[0]!.ticket.id);
    throw error;
  }
};

/** The two requests filing a ticket takes (create-ticket.ts), apart: a function that only files carries no more of the store. */
export const createTicketFilingStore = (client: DynamoDBDocumentClient, table: string): TicketFilingStore => ({
  async createTicket(ticket, events, idempotency, rateLimit) {
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      { Put: { TableName: table, Item: ticketItem(ticket), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...events.map((event) => ({
        Put: { TableName: table, Item: storedEventItem(event), ConditionExpression: 'attribute_not_exists(pk)' },
      })),
    ];
    // The request's Idempotency-Key is done with this ticket, in the same transaction or not at all.
    const claimAt = idempotency
      ? items.push(claimCompletionItem(table, CLAIM_SPACES.idempotency, idempotency, { ticketId: ticket.id })) - 1
      : -1;
    items.push({
      Put: {
        TableName: table,
        Item: { ...numberKey(ticket.number), entity: 'ticket-number', ticketId: ticket.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    // The requester's use of the hourly limit, counted by the write it limits: one request fewer per create.
    const limitAt = rateLimit ? items.push({ Update: rateLimitUpdate(table, rateLimit) }) - 1 : -1;
    for (let attempt = 1; ; attempt++)
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        const codes = cancellationCodes(error);
        // This request's claim was taken over (its lock ran out while it worked): the other request creates.
        if (idempotency && codes?.[claimAt] === 'ConditionalCheckFailed') throw new ClaimLostError(idempotency.key);
        if (rateLimit && codes?.[limitAt] === 'ConditionalCheckFailed')
          throw new RateLimitedError(rateLimitWindow(rateLimit.windowSeconds, rateLimit.now).retryAfterSeconds);
        // Two creates of one requester at once both update the limit's counter, and DynamoDB cancels one of
        // two transactions on one item (TransactionConflict) where two UpdateItems would have taken turns.
        if (!codes?.includes('TransactionConflict') || attempt === CREATE_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, attempt * 20 + Math.random() * 20));
      }
  },

  async getTicket(id) {
    const result = await client.send(new GetCommand({ TableName: table, Key: ticketKey(id) }));
    return result.Item ? toTicket(result.Item) : undefined;
  },
});

export const createTicketStore = (client: DynamoDBDocumentClient, table: string): TicketStore => ({
  ...createTicketFilingStore(client, table),

  async getTicketIdByNumber(number) {
    const result = await client.send(new GetCommand({ TableName: table, Key: numberKey(number) }));
    return typeof result.Item?.ticketId === 'string' ? result.Item.ticketId : undefined;
  },

  getTickets: async (ids) =>
    (
      await batchGet(
        client,
        table,
        [...new Set(ids)].map((id) => ticketKey(id)),
      )
    ).map(toTicket),

  saveTicket: (ticket, expectedVersion, events, turn) => saveTickets(client, table, [{ ticket, expectedVersion, events }], turn),
  saveTickets: (writes) => saveTickets(client, table, writes),

  async listTickets(filter, page) {
    const plan = planListQuery(filter);
    const names: Record<string, string> = { '#pk': `${plan.index}pk` };
    const values: Record<string, unknown> = { ':pk': plan.pk };
    let keyCondition = '#pk = :pk';
    const conditions: string[] = [];
    const byDue = plan.index === 'gsi6';
    if (filter.status && !byDue) {
      names['#sk'] = `${plan.index}sk`;
      values[':status'] = statusPrefix(filter.status);
      keyCondition += ' AND begins_with(#sk, :status)';
    } else if (filter.status) {
      names['#status'] = 'status';
      values[':status'] = filter.status;
      conditions.push('#status = :status');
    }
    // Due now: the SLA queue's keys before it are breached.
    const due = filter.sla ? slaQueueUpTo(filter.sla.now) : '';
    if (filter.sla) {
      // Breached: the earliest due time has passed (a key range); at risk: not yet, but a warning time has.
      names['#sk'] = 'gsi6sk';
      values[':due'] = due;
      keyCondition += filter.sla.standing === 'breached' ? ' AND #sk < :due' : ' AND #sk > :due';
      if (filter.sla.standing === 'at-risk') {
        values[':now'] = filter.sla.now;
        conditions.push('slaWarnFrom <= :now');
      }
    }
    for (const field of plan.rest) {
      if (filter[field] === undefined) continue;
      names[`#${field}`] = field;
      if (filter[field] === null) {
        values[':null'] = 'NULL';
        conditions.push(`attribute_type(#${field}, :null)`);
        continue;
      }
      values[`:${field}`] = filter[field];
      conditions.push(`#${field} = :${field}`);
    }
    if (filter.teams) {
      // An agent's reach: the tickets of their teams. IN takes up to 100 values; an empty reach matches nothing.
      names['#teamOf'] = 'team';
      const placeholders = (filter.teams.length > 0 ? filter.teams : ['\u0000']).map((team, index) => {
        values[`:reach${index}`] = team;
        return `:reach${index}`;
      });
      conditions.push(`#teamOf IN (${placeholders.join(', ')})`);
    }
    // The cursor: a ticket's keys on this index and partition, its sort key the ticket's and in the query's range.
    const sortName = `${plan.index}sk`;
    const start = decodeCursor(
      page.cursor,
      {
        pk: (value) => ticketIdOfPartition(value) !== undefined,
        sk: exactly('TICKET'),
        [`${plan.index}pk`]: exactly(plan.pk),
        [sortName]: () => true,
      },
      (key) => {
        const ticketId = ticketIdOfPartition(key.pk!)!;
        const sort = key[sortName]!;
        if (byDue) return isSlaQueueKeyOf(sort, ticketId) && !(filter.sla?.standing === 'breached' && sort >= due);
        return isQueueKeyOf(sort, ticketId) && (!filter.status || sort.startsWith(statusPrefix(filter.status)));
      },
    );
    // "At risk" is the range after now's due key, which moves on while a client pages: a cursor now behind
    // the range's start has nothing of the range before it, so the page starts at the range.
    const behindRange = filter.sla?.standing === 'at-risk' && start !== undefined && start[sortName]! <= due;
    const input: QueryCommandInput = {
      TableName: table,
      IndexName: plan.index,
      KeyConditionExpression: keyCondition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: page.limit,
      ExclusiveStartKey: behindRange ? undefined : start,
    };
    if (conditions.length > 0) input.FilterExpression = conditions.join(' AND ');
    // DynamoDB applies Limit before the filter: the SLA queue (filtered by team, assignee or warning) reads
    // on until the page is full or the index ends, within a bound.
    const items: Record<string, unknown>[] = [];
    let lastKey: Record<string, unknown> | undefined;
    for (let round = 0; round < (byDue ? MAX_QUERIES_PER_PAGE : 1); round++) {
      const result = await client.send(
        new QueryCommand({ ...input, Limit: page.limit - items.length, ExclusiveStartKey: lastKey ?? input.ExclusiveStartKey }),
      );
      items.push(...(result.Items ?? []));
      lastKey = result.LastEvaluatedKey;
      if (!lastKey || items.length >= page.limit) break;
    }
    return { items: items.map(ticketSummary), cursor: encodeCursor(lastKey) };
  },

  async listEvents(ticketId, page) {
    const pk = ticketPartition(ticketId);
    const result = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': pk, ':event': EVENT_PREFIX },
        ScanIndexForward: !page.newestFirst,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { pk: exactly(pk), sk: matching(EVENT_SORT_KEY) }),
      }),
    );
    return { items: (result.Items ?? []).map(toEvent), cursor: encodeCursor(result.LastEvaluatedKey) };
  },

  async listViews(ticketId, page) {
    const pk = auditPartition(ticketId);
    const result = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :view)',
        ExpressionAttributeValues: { ':pk': pk, ':view': VIEW_PREFIX },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { pk: exactly(pk), sk: matching(VIEW_SORT_KEY) }),
      }),
    );
    return { items: (result.Items ?? []).map(toEvent), cursor: encodeCursor(result.LastEvaluatedKey) };
  },

  async expireHistory(ticketId, retainUntil) {
    let updated = 0;
    // The history and the audit of reads, each to its end.
    for (const [pk, prefix] of [
      [ticketPartition(ticketId), EVENT_PREFIX],
      [auditPartition(ticketId), VIEW_PREFIX],
    ]) {
      let cursor: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
            ProjectionExpression: 'pk, sk',
            ExclusiveStartKey: cursor,
          }),
        );
        // One page's items at once: a long history must not take one round trip per item in turn.
        const keys = page.Items ?? [];
        await Promise.all(
          keys.map((key) =>
            client.send(
              new UpdateCommand({
                TableName: table,
                Key: { pk: key.pk, sk: key.sk },
                UpdateExpression: 'SET #ttl = :ttl, retainUntil = :until',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
                ExpressionAttributeValues: { ':ttl': epochSeconds(retainUntil), ':until': retainUntil },
              }),
            ),
          ),
        );
        updated += keys.length;
        cursor = page.LastEvaluatedKey;
      } while (cursor);
    }
    return updated;
  },

  async replaceEvents(events) {
    // Each item only if it exists: erasure never creates history.
    for (const event of events)
      await client.send(new PutCommand({ TableName: table, Item: storedEventItem(event), ConditionExpression: 'attribute_exists(pk)' }));
  },

  async appendEvent(event) {
    await client.send(new PutCommand({ TableName: table, Item: storedEventItem(event), ConditionExpression: 'attribute_not_exists(pk)' }));
  },

  async recordView(event) {
    await client.send(new PutCommand({ TableName: table, Item: storedEventItem(event), ConditionExpression: 'attribute_not_exists(pk)' }));
  },
});
