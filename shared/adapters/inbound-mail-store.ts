// One ticket or one comment per received mail: `MAIL#<sha-256 of the Message-ID>` / `MAIL`, claimed with a
// conditional put before acting, marked done after, deleted when acting failed (so the retry acts). A
// claim whose handler died is taken over after its lock (5 minutes: past the function's timeout). Kept
// 30 days: longer than SES and Lambda go on retrying one delivery.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InboundMailStore } from '#shared/domain/mail/inbound-mail.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';

const LOCK_SECONDS = 300;
const TTL_SECONDS = 30 * 24 * 3600;
const mailKey = (key: string) => ({ pk: `MAIL#${key}`, sk: 'MAIL' });

export const createInboundMailStore = (client: DynamoDBDocumentClient, table: string): InboundMailStore => ({
  async claimMessage(key, now) {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...mailKey(key),
            entity: 'mail',
            state: 'working',
            lockedUntil: nowSeconds + LOCK_SECONDS,
            [TTL_ATTRIBUTE]: nowSeconds + TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :working AND lockedUntil < :now) OR #ttl < :now',
          ExpressionAttributeNames: { '#state': 'state', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':working': 'working', ':now': nowSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },
  async completeMessage(key, outcome) {
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: mailKey(key),
        UpdateExpression: 'SET #state = :done, outcome = :outcome REMOVE lockedUntil',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done', ':outcome': outcome },
      }),
    );
  },
  async releaseMessage(key) {
    await client
      .send(
        new DeleteCommand({
          TableName: table,
          Key: mailKey(key),
          ConditionExpression: '#state = :working',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':working': 'working' },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  },
});
