// Fixed-window rate limits: one counter item per key and window, incremented under a condition (one
// UpdateItem per use, or one item of the transaction the use limits; never a scan), deleted by TTL one
// window after its own ends.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type RateLimits, type RateLimitUse, rateLimitWindow } from '#shared/domain/tickets/ports.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';
import { rateLimitKey } from './table-keys.ts';

/** The counter's conditional increment: an UpdateItem of its own (take) or an item of a transaction (createTicket). */
export const rateLimitUpdate = (table: string, { key, limit, windowSeconds, now }: RateLimitUse) => {
  const { windowStart } = rateLimitWindow(windowSeconds, now);
  return {
    TableName: table,
    Key: rateLimitKey(key, windowStart),
    UpdateExpression: 'ADD #count :one SET #ttl = :expires, entity = :entity',
    ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
    ExpressionAttributeNames: { '#count': 'count', '#ttl': TTL_ATTRIBUTE },
    ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': windowStart + 2 * windowSeconds, ':entity': 'rate' },
  };
};

export const createRateLimits = (client: DynamoDBDocumentClient, table: string): RateLimits => ({
  async take(key, limit, windowSeconds, now) {
    try {
      await client.send(new UpdateCommand(rateLimitUpdate(table, { key, limit, windowSeconds, now })));
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { allowed: false, retryAfterSeconds: rateLimitWindow(windowSeconds, now).retryAfterSeconds };
    }
  },
});
