import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { viewKey } from '#shared/adapters/table-keys.ts';
import { createTicketNumbers } from '#shared/adapters/ticket-numbers.ts';
import { createTicketStore, ticketItem } from '#shared/adapters/ticket-store.ts';
import { ClaimLostError } from '#shared/domain/claims.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { RateLimitedError, type TicketFilter, VersionConflictError } from '#shared/domain/tickets/ports.ts';
import { type TicketEvent, ticketSummary } from '#shared/domain/tickets/ticket.ts';
import '#test/fixtures/aws-mock-matchers.ts';
import { T0 } from '#test/fixtures/clock.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const TABLE = 'helpdesk-test';
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const repo = createTicketStore(client, TABLE);

const ticket = aTicket();
const created: TicketEvent = {
  type: 'TicketCreated',
  data: { subject: ticket.subject, channel: 'web', category: 'network', team: 'it-support', priority: 'medium', classifiedBy: 'keywords' },
  id: '01J0000000000000000000000A',
  ticketId: ticket.id,
  number: 1,
  version: 1,
  at: T0,
  actor: { id: 'user-alice', role: 'requester' },
  ticket: { status: 'new', priority: 'medium', category: 'network', team: 'it-support', assignee: null, channel: 'web' },
};

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const cursorOf = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );

beforeEach(() => {
  ddb.reset();
});

describe('the ticket item', () => {
  it('carries the work-queue key on the team, requester and all-tickets indexes', () => {
    // Act
    const item = ticketItem(aTicket({ status: 'open', priority: 'high' }));

    // Assert: <status rank>-<status>#<priority rank>-<priority>#<createdAt>#<id>
    const queueKey = `2-open#2-high#${T0}#${ticket.id}`;
    expect(item).toMatchObject({
      pk: `TICKET#${ticket.id}`,
      sk: 'TICKET',
      gsi1pk: 'TEAM#it-support',
      gsi1sk: queueKey,
      gsi2pk: 'REQUESTER#user-alice',
      gsi2sk: queueKey,
      gsi4pk: 'TICKETS',
      gsi4sk: queueKey,
    });
  });

  it('is in an agent’s index only while assigned', () => {
    expect(ticketItem(aTicket())).not.toHaveProperty('gsi3pk');
    expect(ticketItem(aTicket())).not.toHaveProperty('gsi3sk');
    expect(ticketItem(aTicket({ status: 'resolved', priority: 'critical', assignee: 'ivan' }))).toMatchObject({
      gsi3pk: 'AGENT#ivan',
      gsi3sk: `5-resolved#1-critical#${T0}#${ticket.id}`,
    });
  });

  it('keeps every ticket field', () => {
    expect(ticketItem(ticket)).toMatchObject(ticket);
  });
});

describe('createTicket', () => {
  it('writes the ticket and its history in ONE transaction, each only if new', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await repo.createTicket(ticket, [created]);

    // Assert
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        { Put: { TableName: TABLE, Item: ticketItem(ticket), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName: TABLE,
            // A counted event: on the counted-events index (gsi7) by its day and time, for the sweeper.
            Item: {
              pk: `TICKET#${ticket.id}`,
              sk: `EVENT#${created.id}`,
              entity: 'event',
              ...created,
              gsi7pk: `COUNTED#${created.at.slice(0, 10)}`,
              gsi7sk: `${created.at}#${created.id}`,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        // The human number's pointer (inbound mail finds `[#42]` by it), only if the number is new.
        {
          Put: {
            TableName: TABLE,
            Item: { pk: `NUMBER#${ticket.number}`, sk: 'NUMBER', entity: 'ticket-number', ticketId: ticket.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('completes the idempotency claim inside the same transaction', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});
    const claim = { key: 'user-alice#key-1', holder: 'claim-1' };

    // Act
    await repo.createTicket(ticket, [created], claim);

    // Assert
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(4);
    expect(items[0]?.Put?.Item).toMatchObject({ pk: `TICKET#${ticket.id}` });
    expect(items[1]?.Put?.Item).toMatchObject({ sk: `EVENT#${created.id}` });
    expect(items[2]?.Update).toMatchObject({
      Key: { pk: 'IDEMPOTENCY#user-alice#key-1', sk: 'IDEMPOTENCY' },
      UpdateExpression: 'SET #state = :completed, #f0 = :f0 REMOVE lockedUntil',
      ConditionExpression: 'claimId = :holder AND attribute_exists(lockedUntil)',
      ExpressionAttributeNames: { '#state': 'state', '#f0': 'ticketId' },
      ExpressionAttributeValues: { ':f0': ticket.id, ':holder': 'claim-1', ':completed': 'completed' },
    });
    expect(items[3]?.Put?.Item).toMatchObject({ pk: `NUMBER#${ticket.number}` });
  });

  it('says the claim was lost when another request took it over meanwhile', async () => {
    // Arrange: the idempotency item (third) fails its condition
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed', 'None'));
    const claim = { key: 'user-alice#key-1', holder: 'claim-1' };

    // Act
    const error = await rejectionOf(repo.createTicket(ticket, [created], claim));

    // Assert
    expect(error).toBeInstanceOf(ClaimLostError);
  });

  const hourly = { key: 'create#user-alice', limit: 20, windowSeconds: 3600, now: new Date('2026-11-30T10:20:00.000Z') };

  it('counts the requester’s use of the hourly limit as the transaction’s last item, under the limit', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await repo.createTicket(ticket, [created], undefined, hourly);

    // Assert: window 10:00 (1796032800), kept by TTL until the end of the next hour
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(4);
    expect(items[3]).toEqual({
      Update: {
        TableName: TABLE,
        Key: { pk: 'RATE#create#user-alice#1796032800', sk: 'RATE' },
        UpdateExpression: 'ADD #count :one SET #ttl = :expires, entity = :entity',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': 'expiresAt' },
        ExpressionAttributeValues: { ':one': 1, ':limit': 20, ':expires': 1796032800 + 7200, ':entity': 'rate' },
      },
    });
  });

  it('says the limit is used up, with the wait until the next hour, when the counter fails its condition', async () => {
    // Arrange: ticket, event, number, counter
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'None', 'ConditionalCheckFailed'));

    // Act
    const error = await rejectionOf(repo.createTicket(ticket, [created], undefined, hourly));

    // Assert
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(40 * 60);
  });

  it('sends the transaction again when DynamoDB cancelled it for a conflict with a concurrent one, up to three times', async () => {
    // Arrange: two creates of one requester at once both update the counter
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'None', 'None', 'TransactionConflict'))
      .resolvesOnce({})
      .rejects(cancelled('None', 'None', 'None', 'TransactionConflict'));

    // Act
    await repo.createTicket(ticket, [created], undefined, hourly);
    const third = await rejectionOf(repo.createTicket(ticket, [created], undefined, hourly));

    // Assert
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2 + 3);
    expect(third).toBeInstanceOf(TransactionCanceledException);
  });
});

describe('saveTicket', () => {
  it('replaces the ticket only at the expected version and appends the events, in one transaction', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});
    const next = aTicket({ status: 'open', version: 4 });
    const event: TicketEvent = {
      ...created,
      type: 'StatusChanged',
      data: { from: 'new', to: 'open' },
      version: 4,
      id: '01J0000000000000000000000B',
    };

    // Act
    await repo.saveTicket(next, 3, [event]);

    // Assert
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]?.Put).toMatchObject({
      Item: { ...ticketItem(next), version: 4 },
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': 3 },
    });
    expect(items[1]?.Put).toMatchObject({ Item: { sk: `EVENT#${event.id}` }, ConditionExpression: 'attribute_not_exists(pk)' });
  });

  it('keeps a staff read written with a change in the ticket’s audit records, never in its history', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});
    const viewed = {
      ...created,
      type: 'TicketViewed',
      data: {},
      id: '01J0000000000000000000000V',
      actor: { id: 'ivan', role: 'agent' },
    } as TicketEvent;

    // Act
    await repo.saveTicket(aTicket({ version: 2 }), 1, [viewed]);

    // Assert
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[1]?.Put?.Item).toMatchObject({ ...viewKey(ticket.id, viewed.id), entity: 'audit' });
  });

  it('turns a failed version condition into VersionConflictError', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

    // Act
    const error = await rejectionOf(repo.saveTicket(aTicket({ version: 2 }), 1, [created]));

    // Assert
    expect(error).toBeInstanceOf(VersionConflictError);
    expect((error as VersionConflictError).ticketId).toBe(ticket.id);
  });

  it('turns a transaction another was writing at the same moment into VersionConflictError, to be read again', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));
    const error = await rejectionOf(repo.saveTicket(aTicket({ version: 2 }), 1, [created]));
    expect(error).toBeInstanceOf(VersionConflictError);
  });

  it('writes the team’s turn with the router’s assignment, under the version read, and a moved turn is a conflict', async () => {
    // Arrange
    const recent = [{ ticketId: ticket.id, agent: 'ivan', at: created.at }];
    ddb
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejects(cancelled('None', 'None', 'ConditionalCheckFailed'));

    // Act
    await repo.saveTicket(aTicket({ version: 2, assignee: 'ivan' }), 1, [created], {
      team: 'it-support',
      expectedVersion: 0,
      last: 'ivan',
      recent,
    });
    const moved = await rejectionOf(
      repo.saveTicket(aTicket({ version: 2, assignee: 'ivan' }), 1, [created], {
        team: 'it-support',
        expectedVersion: 4,
        last: 'ivan',
        recent,
      }),
    );

    // Assert
    const [first, second] = ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems!.at(-1)!.Put!);
    expect(first).toEqual({
      TableName: TABLE,
      Item: { pk: 'ROUTING#it-support', sk: 'ROUND_ROBIN', entity: 'routing', agent: 'ivan', version: 1, recent },
      ConditionExpression: 'attribute_not_exists(#version)',
      ExpressionAttributeNames: { '#version': 'version' },
    });
    expect(second).toMatchObject({
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: { ':expected': 4 },
      Item: { version: 5 },
    });
    expect(moved).toBeInstanceOf(VersionConflictError);
  });

  it('passes any other cancellation on unchanged', async () => {
    const other = cancelled('None', 'ConditionalCheckFailed');
    ddb.on(TransactWriteCommand).rejects(other);
    const error = await rejectionOf(repo.saveTicket(aTicket({ version: 2 }), 1, [created]));
    expect(error).toBe(other);
  });
});

describe('listTickets', () => {
  const queryInput = () => ddb.commandCalls(QueryCommand)[0]!.args[0].input;

  it.each<[string, TicketFilter, string, string, string]>([
    ['a requester’s list', { requester: 'user-alice', team: 'it-support' }, 'gsi2', 'gsi2pk', 'REQUESTER#user-alice'],
    ['an agent’s list', { assignee: 'ivan', team: 'it-support' }, 'gsi3', 'gsi3pk', 'AGENT#ivan'],
    ['a team’s queue', { team: 'it-support' }, 'gsi1', 'gsi1pk', 'TEAM#it-support'],
    ['every ticket', {}, 'gsi4', 'gsi4pk', 'TICKETS'],
  ])('queries the narrowest index for %s, and never scans', async (_, filter, index, pkName, pk) => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [ticketItem(ticket)] });

    // Act
    const page = await repo.listTickets(filter, { limit: 10 });

    // Assert
    expect(page.items).toEqual([ticketSummary(ticket)]);
    expect(page.items[0]).not.toHaveProperty('description');
    expect(page.cursor).toBeUndefined();
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(queryInput()).toMatchObject({
      TableName: TABLE,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': pkName },
      ExpressionAttributeValues: { ':pk': pk },
      Limit: 10,
    });
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('narrows to one status with begins_with on the status prefix of the sort key', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [] });

    // Act
    await repo.listTickets({ team: 'sarpras', status: 'on_hold' }, { limit: 25 });

    // Assert
    expect(queryInput()).toMatchObject({
      IndexName: 'gsi1',
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :status)',
      ExpressionAttributeNames: { '#pk': 'gsi1pk', '#sk': 'gsi1sk' },
      ExpressionAttributeValues: { ':pk': 'TEAM#sarpras', ':status': '4-on_hold#' },
    });
    expect(queryInput().FilterExpression).toBeUndefined();
  });

  it('filters what the index cannot narrow (team within a requester’s list)', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await repo.listTickets({ requester: 'user-alice', team: 'sarpras' }, { limit: 25 });
    expect(queryInput()).toMatchObject({
      IndexName: 'gsi2',
      FilterExpression: '#team = :team',
      ExpressionAttributeNames: { '#team': 'team' },
      ExpressionAttributeValues: { ':team': 'sarpras' },
    });
  });

  it('hands out the last key as an opaque cursor and continues from it', async () => {
    // Arrange
    const lastKey = {
      pk: `TICKET#${ticket.id}`,
      sk: 'TICKET',
      gsi2pk: 'REQUESTER#user-alice',
      gsi2sk: `1-new#3-medium#${T0}#${ticket.id}`,
    };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [ticketItem(ticket)], LastEvaluatedKey: lastKey })
      .resolves({ Items: [] });

    // Act
    const first = await repo.listTickets({ requester: 'user-alice' }, { limit: 1 });
    await repo.listTickets({ requester: 'user-alice' }, { limit: 1, cursor: first.cursor });

    // Assert
    expect(first.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(ddb.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual(lastKey);
  });

  it.each([
    ['another requester’s cursor', cursorOf({ pk: 'TICKET#X', sk: 'TICKET', gsi2pk: 'REQUESTER#user-bob', gsi2sk: '1-new#' })],
    ['a cursor from another index', cursorOf({ pk: 'TICKET#X', sk: 'TICKET', gsi4pk: 'TICKETS', gsi4sk: '1-new#' })],
    ['garbage', 'not-a-cursor!!'],
    ['base64 of something that is not JSON', Buffer.from('hello').toString('base64url')],
    ['a JSON array', cursorOf(['REQUESTER#user-alice'] as unknown as Record<string, unknown>)],
    ['a key with a non-string value', cursorOf({ gsi2pk: 'REQUESTER#user-alice', gsi2sk: 7 })],
  ])('refuses %s with a validation error naming cursor, before querying', async (_, cursor) => {
    // Act
    const error = await rejectionOf(repo.listTickets({ requester: 'user-alice' }, { limit: 10, cursor }));

    // Assert
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('validation');
    expect((error as DomainError).details.errors?.map((problem) => problem.path)).toEqual(['cursor']);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('refuses a cursor from the same partition under another status filter, before querying', async () => {
    // Arrange: Alice's cursor from her "open" list, replayed on her "resolved" list. DynamoDB answers an
    // ExclusiveStartKey outside the key condition with a ValidationException, which would surface as a 500.
    ddb.on(QueryCommand).resolves({ Items: [] });
    const openCursor = cursorOf({
      pk: `TICKET#${ticket.id}`,
      sk: 'TICKET',
      gsi2pk: 'REQUESTER#user-alice',
      gsi2sk: `2-open#3-medium#${T0}#${ticket.id}`,
    });

    // Act
    const error = await rejectionOf(repo.listTickets({ requester: 'user-alice', status: 'resolved' }, { limit: 10, cursor: openCursor }));

    // Assert
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).details.errors?.map((problem) => problem.path)).toEqual(['cursor']);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('the SLA queue (gsi6)', () => {
  const queryInputs = () => ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
  const due = '2026-03-02T03:00:00.000Z';
  const running = aTicket({
    status: 'open',
    sla: {
      policy: 'medium',
      calendar: 'business',
      clocks: { resolution: { targetMs: 1, elapsedMs: 0, runningSince: T0, dueAt: due, warnAt: '2026-03-02T02:45:00.000Z' } },
    },
  });

  it('puts a working ticket on it by its earliest due time, a paused one last, and takes a resolved one off', () => {
    expect(ticketItem(running)).toMatchObject({
      gsi6pk: 'WORKING',
      gsi6sk: `${due}#${ticket.id}`,
      slaWarnFrom: '2026-03-02T02:45:00.000Z',
    });
    expect(ticketItem(aTicket({ status: 'pending' }))).toMatchObject({ gsi6pk: 'WORKING', gsi6sk: `~#${ticket.id}` });
    expect(ticketItem(aTicket({ status: 'resolved' }))).not.toHaveProperty('gsi6pk');
  });

  it('lists by due time on gsi6, filtering team, status and unassigned tickets', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [ticketItem(running)] });

    // Act
    const page = await repo.listTickets({ order: 'due', team: 'it-support', assignee: null, status: 'open' }, { limit: 10 });

    // Assert
    expect(page.items).toEqual([ticketSummary(running)]);
    expect(queryInputs()[0]).toMatchObject({
      IndexName: 'gsi6',
      KeyConditionExpression: '#pk = :pk',
      FilterExpression: '#status = :status AND #team = :team AND attribute_type(#assignee, :null)',
      ExpressionAttributeNames: { '#pk': 'gsi6pk', '#status': 'status', '#team': 'team', '#assignee': 'assignee' },
      ExpressionAttributeValues: { ':pk': 'WORKING', ':status': 'open', ':team': 'it-support', ':null': 'NULL' },
    });
  });

  it('reads breached tickets as the key range before now, and at-risk ones as the range after it with a warning passed', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [] });
    const now = '2026-03-02T02:50:00.000Z';

    // Act
    await repo.listTickets({ sla: { standing: 'breached', now } }, { limit: 10 });
    await repo.listTickets({ sla: { standing: 'at-risk', now }, teams: ['it-support'] }, { limit: 10 });

    // Assert
    const [breached, atRisk] = queryInputs();
    expect(breached).toMatchObject({
      IndexName: 'gsi6',
      KeyConditionExpression: '#pk = :pk AND #sk < :due',
      ExpressionAttributeValues: { ':due': `${now}#~` },
    });
    expect(breached!.FilterExpression).toBeUndefined();
    expect(atRisk).toMatchObject({
      KeyConditionExpression: '#pk = :pk AND #sk > :due',
      FilterExpression: 'slaWarnFrom <= :now AND #teamOf IN (:reach0)',
      ExpressionAttributeValues: { ':due': `${now}#~`, ':now': now, ':reach0': 'it-support' },
    });
  });

  it('reads on until the page is full when the filter drops items, within five Queries', async () => {
    // Arrange: each Query returns one match and more to read.
    const lastKey = { pk: 'TICKET#X', sk: 'TICKET', gsi6pk: 'WORKING', gsi6sk: `${due}#X` };
    ddb.on(QueryCommand).resolves({ Items: [ticketItem(running)], LastEvaluatedKey: lastKey });

    // Act
    const three = await repo.listTickets({ order: 'due', assignee: 'ivan' }, { limit: 3 });
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: lastKey });
    const none = await repo.listTickets({ order: 'due', assignee: 'ivan' }, { limit: 3 });

    // Assert
    expect(three.items).toHaveLength(3);
    expect(none.items).toHaveLength(0);
    expect(none.cursor).toBeDefined();
    expect(queryInputs()).toHaveLength(5);
    expect(queryInputs()[1]!.ExclusiveStartKey).toEqual(lastKey);
  });
});

describe('listEvents', () => {
  it('queries the ticket’s partition for EVENT# items in order and returns bare events', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [{ pk: `TICKET#${ticket.id}`, sk: `EVENT#${created.id}`, entity: 'event', ...created }] });

    // Act
    const page = await repo.listEvents(ticket.id, { limit: 50 });

    // Assert
    expect(page.items).toEqual([created]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
      ExpressionAttributeValues: { ':pk': `TICKET#${ticket.id}`, ':event': 'EVENT#' },
      Limit: 50,
    });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.IndexName).toBeUndefined();
  });

  it('refuses another ticket’s cursor', async () => {
    const error = await rejectionOf(repo.listEvents(ticket.id, { limit: 50, cursor: cursorOf({ pk: 'TICKET#OTHER', sk: 'EVENT#1' }) }));
    expect((error as DomainError).details.errors?.map((problem) => problem.path)).toEqual(['cursor']);
  });
});

describe('getTicket and the ticket numbers', () => {
  it('reads the ticket by key and strips the storage attributes', async () => {
    ddb.on(GetCommand, { TableName: TABLE, Key: { pk: `TICKET#${ticket.id}`, sk: 'TICKET' } }).resolves({ Item: ticketItem(ticket) });
    const read = await repo.getTicket(ticket.id);
    expect(read).toEqual(ticket);
    expect(read).not.toHaveProperty('gsi1pk');
  });

  it('says undefined for a ticket that does not exist', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await repo.getTicket(ticket.id)).toBeUndefined();
  });

  it('takes the next human number with one atomic ADD', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 42 } });
    expect(await createTicketNumbers(client, TABLE).next()).toBe(42);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'COUNTER#TICKET', sk: 'COUNTER' },
      UpdateExpression: 'ADD #value :one',
    });
  });
});
