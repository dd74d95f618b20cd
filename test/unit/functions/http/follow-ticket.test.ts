// The follow route on a mocked DynamoDB client: PUT follows, DELETE stops following, one function for both.
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '#functions/http/follow-ticket.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import { AGENT_CLAIMS, httpEvent, invoke } from '#test/fixtures/api-gateway-event.ts';
import { aTicket } from '#test/fixtures/tickets.ts';

const ddb = mockClient(DynamoDBDocumentClient);

beforeAll(() => {
  process.env.TABLE_NAME = 'helpdesk-test';
});
beforeEach(() => {
  ddb.reset();
  ddb.on(TransactWriteCommand).resolves({});
});

const on = (method: 'PUT' | 'DELETE', followers?: string[]) => {
  const ticket = aTicket({ team: 'it-support', ...(followers ? { followers } : {}) });
  ddb.on(GetCommand).resolves({ Item: ticketItem(ticket) });
  return invoke(
    handler,
    httpEvent({
      method,
      path: `/tickets/${ticket.id}/followers/me`,
      route: '/tickets/{id}/followers/me',
      pathParameters: { id: ticket.id },
      claims: AGENT_CLAIMS,
    }),
  );
};

describe('PUT and DELETE /tickets/{id}/followers/me', () => {
  it('follows with PUT and stops with DELETE, each a new version', async () => {
    // Act
    const followed = await on('PUT');
    const stopped = await on('DELETE', ['budi', 'yusuf']);

    // Assert
    expect(followed.statusCode).toBe(200);
    expect(followed.json.followers).toEqual(['budi']);
    expect(stopped.json.followers).toEqual(['yusuf']);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});
