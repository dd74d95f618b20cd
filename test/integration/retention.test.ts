// Retention through the sandbox's pipeline: closing a ticket dates it and, through the retention queue,
// every history item for DynamoDB's TTL to delete after the configured period.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { call, cast, createRouted, tokenFor } from './api-client.ts';
import { waitFor } from './wait-for.ts';

describe('a closed ticket', () => {
  it('is dated for deletion with its whole history', async () => {
    // Arrange
    const { requester } = await cast();
    const lead = await tokenFor({ sub: 'rina', groups: ['lead'] });
    const ticket = await createRouted(requester, { subject: 'Kursi kelas 8A patah' });
    await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: lead, body: { status: 'resolved' } });

    // Act
    const closed = await call(`/tickets/${ticket.id}`, { method: 'PATCH', token: lead, body: { status: 'closed' } });

    // Assert: every item of the ticket carries the TTL attribute, within a few seconds
    expect(closed.body.retainUntil).toEqual(expect.any(String));
    const expiresAt = Math.floor(Date.parse(closed.body.retainUntil) / 1000);
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: inject('dynamoDbEndpoint'),
        region: 'local',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
    );
    const items = await waitFor(
      async () =>
        (
          await db.send(
            new QueryCommand({
              TableName: inject('tableName'),
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': `TICKET#${ticket.id}` },
            }),
          )
        ).Items ?? [],
      (found) => found.every((item) => item.expiresAt === expiresAt),
      15_000,
    );
    expect(items.length).toBeGreaterThanOrEqual(6);
    expect(items.map((item) => [item.sk, item.expiresAt])).toEqual(items.map((item) => [item.sk, expiresAt]));
    db.destroy();
  });
});
