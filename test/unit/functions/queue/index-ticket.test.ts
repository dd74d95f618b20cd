// The search queue's consumer on a mocked DynamoDB client: what a re-index writes.
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as indexTicket } from '#functions/queue/index-ticket.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
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
  it('indexes the event’s ticket: its record under a revision, its postings and vocabulary in batches', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { pk: `TICKET#${ticket.id}`, sk: 'TICKET' } }).resolves({ Item: ticketItem(ticket) });
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});

    // Act
    const result = await indexTicket({ Records: [busRecord(created(ticket))] } as SQSEvent, lambdaContext());

    // Assert
    expect(result).toEqual({ batchItemFailures: [] });
    const docs = ddb.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(docs.map((input) => [input.Item?.revision, input.Item?.pending, input.ConditionExpression])).toEqual([
      [1, true, 'attribute_not_exists(pk)'],
      [2, false, 'revision = :expected'],
    ]);
    const postings = ddb.commandCalls(BatchWriteCommand)[0]!.args[0].input.RequestItems!['helpdesk-test']!;
    expect(postings.map((request) => request.PutRequest?.Item?.pk)).toEqual(expect.arrayContaining(['SEARCH#printer', 'SEARCH#rusak']));
  });

  it('indexes a ticket once for all of its events in one batch, and answers for each of them', async () => {
    // Arrange: the ticket's creation and a status change arrive in one batch
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { pk: `TICKET#${ticket.id}`, sk: 'TICKET' } }).resolves({ Item: ticketItem(ticket) });
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    const records = [busRecord(created(ticket), 'm-1'), busRecord(statusChanged('new', 'open', undefined, ticket), 'm-2')];

    // Act
    const result = await indexTicket({ Records: records } as SQSEvent, lambdaContext());

    // Assert: one re-index (its record written pending, then settled), both messages done
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(2);
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
