// The reference the bundle ratios are taken against (issue 13): a handler that makes the same one DynamoDB
// call a ticket read makes (GetItem of the ticket's key), with the same bundled SDK clients set up the same
// way (shared/adapters/dynamodb.ts), and nothing else: no validation, no logger, no metrics, no tracer.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 5 }), {
  marshallOptions: { removeUndefinedValues: true },
});

export const handler = async (event: { pathParameters?: { id?: string } }) => {
  const { Item } = await client.send(
    new GetCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: `TICKET#${event.pathParameters?.id ?? ''}`, sk: 'TICKET' },
    }),
  );
  return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? {}) };
};
