// The search store's writes on a mocked DynamoDB client: a re-index lost to another consumer, and the vocabulary
// written once per word.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSearchStore } from '#shared/adapters/search-store.ts';
import { facetsOf } from '#shared/domain/search/index-ticket.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const client = ddb as unknown as DynamoDBDocumentClient;
const ticket = aTicket({ subject: 'Printer rusak' });
const doc = { ticketId: ticket.id, revision: 1, version: 1, pending: false, terms: { printer: 3 }, length: 2, facets: facetsOf(ticket) };
const canceled = (code: string) =>
  new TransactionCanceledException({ message: 'canceled', $metadata: {}, CancellationReasons: [{ Code: code }, { Code: 'None' }] });

beforeEach(() => {
  ddb.reset();
});

describe('the search store', () => {
  it('reports a re-index lost when the record moved on or another transaction on the ticket got in the way', async () => {
    const store = createSearchStore(client, 'helpdesk-test');
    ddb.on(TransactWriteCommand).rejectsOnce(canceled('ConditionalCheckFailed')).rejectsOnce(canceled('TransactionConflict'));
    expect(await store.writeDocWithPostings(doc, 0, [], [])).toBe(false);
    expect(await store.writeDocWithPostings(doc, 0, [], [])).toBe(false);
  });

  it('fails a re-index the table refused for another reason, and one too large for a transaction', async () => {
    const store = createSearchStore(client, 'helpdesk-test');
    ddb.on(TransactWriteCommand).rejects(canceled('ValidationError'));
    await expect(store.writeDocWithPostings(doc, 0, [], [])).rejects.toBeInstanceOf(TransactionCanceledException);
    const many = Array.from({ length: 100 }, (_, n) => ({ term: `t${n}`, ticketId: ticket.id, number: 1, createdAt: ticket.createdAt }));
    await expect(store.writeDocWithPostings(doc, 0, [], many)).rejects.toThrow(/too many postings/);
  });

  it('writes a word to the vocabulary once, however many tickets it is in', async () => {
    // Arrange
    const store = createSearchStore(client, 'helpdesk-test');
    ddb.on(BatchWriteCommand).resolves({});

    // Act
    await store.addVocabulary(['printer', 'rusak']);
    await store.addVocabulary(['printer', 'rusak']);
    await store.addVocabulary(['printer', 'toner']);

    // Assert
    const written = ddb
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems!['helpdesk-test']!.map((request) => request.PutRequest?.Item?.sk));
    expect(written).toEqual([['printer', 'rusak'], ['toner']]);
  });
});
