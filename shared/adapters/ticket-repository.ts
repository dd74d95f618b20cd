// DynamoDB single-table implementation of the TicketRepository port. Keys and indexes: table-definition.ts.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { conflict, validationError } from '#shared/domain/errors.ts';
import { nextSlaCheck } from '#shared/domain/sla/sla.ts';
import { slaMarks } from '#shared/domain/sla/sla-standing.ts';
import { type TicketFilter, type TicketRepository, VersionConflictError } from '#shared/domain/tickets/ports.ts';
import { PRIORITY_RANK } from '#shared/domain/tickets/priority.ts';
import type { Ticket, TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { STATUSES, type Status, WORKING_STATUSES } from '#shared/domain/tickets/ticket-status.ts';
import { type IndexName, TTL_ATTRIBUTE } from './table-definition.ts';

const ticketKey = (id: string) => ({ pk: `TICKET#${id}`, sk: 'TICKET' });
const COUNTER_KEY = { pk: 'COUNTER#TICKET', sk: 'COUNTER' };
/** The human number's pointer to its ticket, written with the ticket (for mail subjects: `[#42]`). */
const numberKey = (number: number) => ({ pk: `NUMBER#${number}`, sk: 'NUMBER' });
const idempotencyKey = (callerId: string, key: string) => ({ pk: `IDEMPOTENCY#${callerId}#${key}`, sk: 'IDEMPOTENCY' });
/** How long a replay returns the first response (Stripe and the IETF draft use 24 hours). */
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** How long a claim may stay in progress before another request may take it over (the first one died). */
const IDEMPOTENCY_LOCK_SECONDS = 30;

/** The status part of the queue key: a status filter is a begins_with on it. */
export const statusPrefix = (status: Status) => `${STATUSES.indexOf(status) + 1}-${status}#`;

/** Sort key shared by every ticket index: status, then priority, then age. */
export const queueKey = (ticket: Ticket): string =>
  `${statusPrefix(ticket.status)}${PRIORITY_RANK[ticket.priority]}-${ticket.priority}#${ticket.createdAt}#${ticket.id}`;

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
] as const satisfies readonly (keyof Ticket)[];

/** The SLA queue's key (gsi6): earliest due time of a running clock; `~` (after every date) when none runs. */
const dueKey = (ticket: Ticket, dueAt: string | undefined) => `${dueAt ?? '~'}#${ticket.id}`;

export const ticketItem = (ticket: Ticket): Record<string, unknown> => {
  const sort = queueKey(ticket);
  const slaCheck = ['resolved', 'closed'].includes(ticket.status) ? undefined : nextSlaCheck(ticket.sla);
  const working = (WORKING_STATUSES as readonly string[]).includes(ticket.status);
  const { dueAt, warnFrom } = slaMarks(ticket.sla);
  return {
    ...ticketKey(ticket.id),
    entity: 'ticket',
    ...ticket,
    gsi1pk: `TEAM#${ticket.team}`,
    gsi1sk: sort,
    gsi2pk: `REQUESTER#${ticket.requester.id}`,
    gsi2sk: sort,
    // Sparse: only assigned tickets appear in an agent's list.
    ...(ticket.assignee ? { gsi3pk: `AGENT#${ticket.assignee}`, gsi3sk: sort } : {}),
    gsi4pk: 'TICKETS',
    gsi4sk: sort,
    // Sparse: on the SLA schedule only while something is due at some instant.
    ...(slaCheck ? { gsi5pk: 'SLA', gsi5sk: `${slaCheck}#${ticket.id}` } : {}),
    // Sparse: in the SLA queue only while in work; slaWarnFrom lets "at risk" be filtered without a read.
    ...(working ? { gsi6pk: 'WORKING', gsi6sk: dueKey(ticket, dueAt), ...(warnFrom ? { slaWarnFrom: warnFrom } : {}) } : {}),
    ...(ticket.retainUntil ? { [TTL_ATTRIBUTE]: epochSeconds(ticket.retainUntil) } : {}),
  };
};

const toTicket = (item: Record<string, unknown>): Ticket => {
  const ticket: Record<string, unknown> = {};
  for (const field of TICKET_FIELDS) if (item[field] !== undefined) ticket[field] = item[field];
  return ticket as Ticket;
};

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

const eventItem = (event: TicketEvent): Record<string, unknown> => ({
  pk: `TICKET#${event.ticketId}`,
  sk: `EVENT#${event.id}`,
  entity: 'event',
  ...event,
  ...(event.retainUntil ? { [TTL_ATTRIBUTE]: epochSeconds(event.retainUntil) } : {}),
});

export const toEvent = (item: Record<string, unknown>): TicketEvent => {
  const { pk: _pk, sk: _sk, entity: _entity, [TTL_ATTRIBUTE]: _ttl, ...event } = item;
  return event as TicketEvent;
};

// Cursors are the last evaluated key, base64url-encoded. A cursor is only accepted for the partition it
// came from, so a requester cannot page into someone else's list by editing one.
const encodeCursor = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

const decodeCursor = (
  cursor: string | undefined,
  partition: { name: string; value: string },
  sortPrefix?: { name: string; value: string },
) => {
  if (cursor === undefined) return undefined;
  const invalid = () => validationError([{ path: 'cursor', message: 'is not a cursor this list returned' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    typeof key !== 'object' ||
    key === null ||
    Array.isArray(key) ||
    !Object.values(key).every((value) => typeof value === 'string') ||
    (key as Record<string, string>)[partition.name] !== partition.value ||
    // A cursor from another status filter would fail DynamoDB's key condition: refuse it here, clearly.
    (sortPrefix && !(key as Record<string, string>)[sortPrefix.name]?.startsWith(sortPrefix.value))
  )
    throw invalid();
  return key as Record<string, string>;
};

const cancellationCodes = (error: unknown): (string | undefined)[] | undefined =>
  error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((reason) => reason.Code) : undefined;

/** Picks the narrowest index for the filter; the remaining filters become a filter expression. */
const planListQuery = (filter: TicketFilter): { index: IndexName; pk: string; rest: ('team' | 'assignee' | 'requester')[] } => {
  if (filter.order === 'due' || filter.sla) return { index: 'gsi6', pk: 'WORKING', rest: ['team', 'assignee', 'requester'] };
  if (filter.requester) return { index: 'gsi2', pk: `REQUESTER#${filter.requester}`, rest: ['team', 'assignee'] };
  if (filter.assignee) return { index: 'gsi3', pk: `AGENT#${filter.assignee}`, rest: ['team'] };
  if (filter.team) return { index: 'gsi1', pk: `TEAM#${filter.team}`, rest: filter.assignee === null ? ['assignee'] : [] };
  return { index: 'gsi4', pk: 'TICKETS', rest: filter.assignee === null ? ['assignee'] : [] };
};

/** A filtered Query may fill a page from several: at most this many, so one request's work stays bounded. */
const MAX_QUERIES_PER_PAGE = 5;

export const createTicketRepository = (client: DynamoDBDocumentClient, table: string): TicketRepository => ({
  async nextTicketNumber() {
    const result = await client.send(
      new UpdateCommand({
        TableName: table,
        Key: COUNTER_KEY,
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.value);
  },

  async claimIdempotencyKey(claim, now) {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...idempotencyKey(claim.callerId, claim.key),
            entity: 'idempotency',
            state: 'in_progress',
            requestHash: claim.requestHash,
            claimId: claim.claimId,
            lockedUntil: nowSeconds + IDEMPOTENCY_LOCK_SECONDS,
            [TTL_ATTRIBUTE]: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
          },
          // Free, or held by a request that died (lock expired), or expired but not yet deleted by TTL.
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :inProgress AND lockedUntil < :now) OR #ttl < :now',
          ExpressionAttributeNames: { '#state': 'state', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':inProgress': 'in_progress', ':now': nowSeconds },
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.getIdempotencyRecord(claim.callerId, claim.key)) ?? { state: 'in_progress', requestHash: claim.requestHash };
    }
  },

  async getIdempotencyRecord(callerId, key) {
    const result = await client.send(new GetCommand({ TableName: table, Key: idempotencyKey(callerId, key), ConsistentRead: true }));
    const item = result.Item;
    if (!item) return undefined;
    const requestHash = String(item.requestHash);
    return item.state === 'completed'
      ? { state: 'completed', requestHash, ticketId: String(item.ticketId) }
      : { state: 'in_progress', requestHash };
  },

  async releaseIdempotencyKey(claim) {
    await client
      .send(
        new DeleteCommand({
          TableName: table,
          Key: idempotencyKey(claim.callerId, claim.key),
          // Only the request that holds the claim gives it back, not one whose lock ran out and was taken over.
          ConditionExpression: '#state = :inProgress AND claimId = :claim',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':inProgress': 'in_progress', ':claim': claim.claimId },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  },

  async createTicket(ticket, events, idempotency) {
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      { Put: { TableName: table, Item: ticketItem(ticket), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...events.map((event) => ({
        Put: { TableName: table, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' },
      })),
    ];
    if (idempotency) {
      items.push({
        Update: {
          TableName: table,
          Key: idempotencyKey(idempotency.callerId, idempotency.key),
          UpdateExpression: 'SET #state = :completed, ticketId = :ticketId REMOVE lockedUntil',
          // Only the claim this request holds may be completed.
          ConditionExpression: '#state = :inProgress AND claimId = :claim',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':completed': 'completed',
            ':inProgress': 'in_progress',
            ':ticketId': ticket.id,
            ':claim': idempotency.claimId,
          },
        },
      });
    }
    items.push({
      Put: {
        TableName: table,
        Item: { ...numberKey(ticket.number), entity: 'ticket-number', ticketId: ticket.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      // This request's claim was taken over (its lock ran out while it worked): the other request creates.
      if (idempotency && cancellationCodes(error)?.[1 + events.length] === 'ConditionalCheckFailed')
        throw conflict('Another request with this Idempotency-Key took over; retry to get its ticket.');
      throw error;
    }
  },

  async getTicketIdByNumber(number) {
    const result = await client.send(new GetCommand({ TableName: table, Key: numberKey(number) }));
    return typeof result.Item?.ticketId === 'string' ? result.Item.ticketId : undefined;
  },

  async getTicket(id) {
    const result = await client.send(new GetCommand({ TableName: table, Key: ticketKey(id) }));
    return result.Item ? toTicket(result.Item) : undefined;
  },

  async saveTicket(ticket, expectedVersion, events) {
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: ticketItem(ticket),
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              },
            },
            ...events.map((event) => ({
              Put: { TableName: table, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' },
            })),
          ],
        }),
      );
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new VersionConflictError(ticket.id);
      throw error;
    }
  },

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
    if (filter.sla) {
      // Breached: the earliest due time has passed (a key range); at risk: not yet, but a warning time has.
      // `<now>#~` sorts after every key whose due time is now or earlier.
      names['#sk'] = 'gsi6sk';
      values[':due'] = `${filter.sla.now}#~`;
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
    const input: QueryCommandInput = {
      TableName: table,
      IndexName: plan.index,
      KeyConditionExpression: keyCondition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(
        page.cursor,
        { name: `${plan.index}pk`, value: plan.pk },
        filter.status && !byDue ? { name: `${plan.index}sk`, value: statusPrefix(filter.status) } : undefined,
      ),
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
    return { items: items.map(toTicket), cursor: encodeCursor(lastKey) };
  },

  async listEvents(ticketId, page) {
    const pk = `TICKET#${ticketId}`;
    const result = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': pk, ':event': 'EVENT#' },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { name: 'pk', value: pk }),
      }),
    );
    return { items: (result.Items ?? []).map(toEvent), cursor: encodeCursor(result.LastEvaluatedKey) };
  },

  async countActiveTickets(agentId) {
    // Working statuses are ranks 1–4 of the queue key (new, open, pending, on_hold): one range of one partition.
    const result = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :agent AND gsi3sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':agent': `AGENT#${agentId}`, ':from': '1-', ':to': '4-~' },
        Select: 'COUNT',
      }),
    );
    return result.Count ?? 0;
  },

  async getLastAssigned(team) {
    const result = await client.send(new GetCommand({ TableName: table, Key: { pk: `ROUTING#${team}`, sk: 'ROUND_ROBIN' } }));
    return typeof result.Item?.agent === 'string' ? result.Item.agent : undefined;
  },

  async setLastAssigned(team, agentId) {
    await client.send(
      new PutCommand({ TableName: table, Item: { pk: `ROUTING#${team}`, sk: 'ROUND_ROBIN', entity: 'routing', agent: agentId } }),
    );
  },

  async takeRateLimitToken(key, limit, windowSeconds, now) {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % windowSeconds);
    const retryAfterSeconds = windowStart + windowSeconds - nowSeconds;
    try {
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: `RATE#${key}#${windowStart}`, sk: 'RATE' },
          UpdateExpression: 'ADD #count :one SET #ttl = :expires, entity = :entity',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': windowStart + 2 * windowSeconds, ':entity': 'rate' },
        }),
      );
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { allowed: false, retryAfterSeconds };
    }
  },

  async expireHistory(ticketId, retainUntil) {
    let updated = 0;
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
          ExpressionAttributeValues: { ':pk': `TICKET#${ticketId}`, ':event': 'EVENT#' },
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
    return updated;
  },

  async replaceEvents(events) {
    // Each item only if it exists: erasure never creates history.
    for (const event of events)
      await client.send(new PutCommand({ TableName: table, Item: eventItem(event), ConditionExpression: 'attribute_exists(pk)' }));
  },

  async appendEvent(event) {
    await client.send(new PutCommand({ TableName: table, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' }));
  },

  async listDueSla(nowIso, page) {
    const result = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi5',
        KeyConditionExpression: 'gsi5pk = :sla AND gsi5sk <= :now',
        ExpressionAttributeValues: { ':sla': 'SLA', ':now': `${nowIso}#~` },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { name: 'gsi5pk', value: 'SLA' }),
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => ({
        id: String(item.pk).slice('TICKET#'.length),
        dueAt: String(item.gsi5sk).split('#')[0]!,
      })),
      cursor: encodeCursor(result.LastEvaluatedKey),
    };
  },
});
