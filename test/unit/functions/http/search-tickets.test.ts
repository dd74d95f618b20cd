// The search route on a mocked DynamoDB client: what it reads and answers.
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as searchTickets } from '#functions/http/search-tickets.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import { AGENT_CLAIMS, httpEvent, invoke } from '#test/fixtures/api-gateway-event.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const ticket = aTicket({ subject: 'Printer rusak', status: 'open' });

beforeAll(() => {
  process.env.TABLE_NAME = 'helpdesk-test';
});
beforeEach(() => {
  ddb.reset();
});

const search = (query: Record<string, string>) =>
  invoke(searchTickets, httpEvent({ method: 'GET', path: '/tickets/search', query, claims: AGENT_CLAIMS }));

describe('GET /tickets/search', () => {
  it('reads one term’s postings within the agent’s reach and answers the page’s tickets', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({ Item: { value: 10 } });
    ddb.on(QueryCommand).resolves({
      Items: [{ sk: `${ticket.createdAt}#1#${ticket.id}`, n: 1, w: 3, l: 2 }],
      ScannedCount: 1,
    });
    ddb.on(BatchGetCommand).resolves({ Responses: { 'helpdesk-test': [ticketItem(ticket)] } });

    // Act
    const result = await search({ q: 'printernya' });

    // Assert
    expect(result.statusCode).toBe(200);
    expect(result.json).toMatchObject({ items: [{ ticket: { id: ticket.id, number: 1 }, matched: ['printer'] }], words: ['printer'] });
    const query = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(query).toMatchObject({
      KeyConditionExpression: 'pk = :pk',
      ScanIndexForward: false,
      Limit: 1000,
      FilterExpression: '(tm IN (:reach0) OR #as = :me OR rq = :rq)',
    });
    expect(query.ExpressionAttributeValues).toMatchObject({ ':pk': 'SEARCH#printer', ':reach0': 'it-support', ':me': 'budi' });
  });

  it('answers a query of 1,000 characters with 400 naming q, reading nothing', async () => {
    const result = await search({ q: 'a'.repeat(1000) });
    expect(result.statusCode).toBe(400);
    expect(result.json.errors).toEqual([{ path: 'q', message: 'must be at most 200 characters' }]);
    expect(ddb.calls()).toHaveLength(0);
  });
});
