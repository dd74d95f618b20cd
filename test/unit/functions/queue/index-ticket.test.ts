// The search queue's consumer on a mocked DynamoDB client: what a re-index writes.
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as indexTicket } from '#functions/queue/index-ticket.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import { lambdaContext } from '#test/fixtures/api-gateway-event.ts';
import { busRecord, created } from '#test/fixtures/notifications.ts';
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

  it('fails the message when the table fails, so it is retried', async () => {
    ddb.on(GetCommand).rejects(new Error('throttled'));
    const result = await indexTicket({ Records: [busRecord(created(ticket), 'm-1')] } as SQSEvent, lambdaContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
  });
});
