// The search queue's consumer on a mocked DynamoDB client: what a re-index writes.
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as indexTicket } from '#functions/queue/index-ticket.ts';
import { docItem } from '#shared/adapters/search-store.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import { facetsOf } from '#shared/domain/search/index-ticket.ts';
import { lambdaContext } from '#test/fixtures/api-gateway-event.ts';
import { busRecord, created, statusChanged } from '#test/fixtures/notifications.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const ticket = aTicket({ subject: 'Printer rusak', status: 'open' });

beforeAll(() => {
  process.env.TABLE_NAME = 'helpdesk-test';
});
beforeEach(() => {
  ddb.reset();
});

describe('the search queue consumer', () => {
  it('indexes the event’s ticket: its record and postings in one transaction under a revision, its vocabulary in a batch', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { pk: `TICKET#${ticket.id}`, sk: 'TICKET' } }).resolves({ Item: ticketItem(ticket) });
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});

    // Act
    const result = await indexTicket({ Records: [busRecord(created(ticket))] } as SQSEvent, lambdaContext());

    // Assert: the doc (settled at once) and every posting in one request; no separate doc writes
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    const [transaction] = ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems!);
    expect(transaction![0]!.Put).toMatchObject({
      Item: { revision: 1, pending: false, version: 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(transaction!.slice(1).map((item) => item.Put?.Item?.pk)).toEqual(expect.arrayContaining(['SEARCH#printer', 'SEARCH#rusak']));
    const vocabulary = ddb.commandCalls(BatchWriteCommand)[0]!.args[0].input.RequestItems!['helpdesk-test']!;
    expect(vocabulary.map((request) => request.PutRequest?.Item?.sk)).toEqual(expect.arrayContaining(['printer', 'rusak']));
  });

  it('indexes a ticket once for all of its events in one batch, and answers for each of them', async () => {
    // Arrange: the ticket's creation and a status change arrive in one batch
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { pk: `TICKET#${ticket.id}`, sk: 'TICKET' } }).resolves({ Item: ticketItem(ticket) });
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    const records = [busRecord(created(ticket), 'm-1'), busRecord(statusChanged('new', 'open', undefined, ticket), 'm-2')];

    // Act
    const result = await indexTicket({ Records: records } as SQSEvent, lambdaContext());

    // Assert: one re-index, both messages done
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('reads only the index’s record when it already holds the event’s version', async () => {
    // Arrange: the ticket was indexed at its current version (an earlier batch had its later event)
    const settled = {
      ticketId: ticket.id,
      revision: 3,
      version: ticket.version,
      pending: false,
      terms: { printer: 3 },
      length: 2,
      facets: facetsOf(ticket),
    };
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { pk: `TICKET#${ticket.id}`, sk: 'SEARCH' } }).resolves({ Item: docItem(settled) });

    // Act
    const result = await indexTicket({ Records: [busRecord(created(ticket))] } as SQSEvent, lambdaContext());

    // Assert: one read, nothing written
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(GetCommand).map((call) => call.args[0].input.Key)).toEqual([{ pk: `TICKET#${ticket.id}`, sk: 'SEARCH' }]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('fails every message of a ticket whose indexing failed, so they are retried', async () => {
    ddb.on(GetCommand).rejects(new Error('throttled'));
    const records = [busRecord(created(ticket), 'm-1'), busRecord(statusChanged('new', 'open', undefined, ticket), 'm-2')];
    const result = await indexTicket({ Records: records } as SQSEvent, lambdaContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }] });
  });

  it('fails the message when the table fails, so it is retried', async () => {
    ddb.on(GetCommand).rejects(new Error('throttled'));
    const result = await indexTicket({ Records: [busRecord(created(ticket), 'm-1')] } as SQSEvent, lambdaContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
  });
});
