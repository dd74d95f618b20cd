// Human ticket numbers from one atomic counter item (ADD 1): unique and increasing.
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TicketNumbers } from '#shared/domain/tickets/ports.ts';
import { TICKET_COUNTER_KEY } from './table-keys.ts';

export const createTicketNumbers = (client: DynamoDBDocumentClient, table: string): TicketNumbers => ({
  async next() {
    const result = await client.send(
      new UpdateCommand({
        TableName: table,
        Key: TICKET_COUNTER_KEY,
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.value);
  },
});
