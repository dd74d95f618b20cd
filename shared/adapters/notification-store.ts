// DynamoDB implementation of the notify consumer's NotificationStore. Items (table-definition.ts keeps the
// list of access patterns):
//   NOTIFIED#<mail key> / NOTIFIED      one mail (an event to one recipient): claimed, then sent or suppressed (TTL)
//   ACKS#<address hash> / HOUR#<hour>   acknowledgements sent to one address in one hour (TTL)
// Addresses are hashed in keys, so no key, metric or console view of the table shows one.
import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationStore } from '#shared/domain/mail/notify.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';
import { createTicketRepository, toEvent } from './ticket-repository.ts';

/**
 * How long an event's mail is remembered: longer than the bus archive keeps events (30 days), so replaying
 * the archive after an incident, or redriving a dead-letter queue (14 days), mails nobody twice.
 */
export const NOTIFIED_TTL_SECONDS = 35 * 86_400;
/**
 * How long a claim protects a send in progress. An attempt that died holding it (a timeout, a crash) is
 * taken over after this; it equals the notify queue's visibility timeout, so the died attempt's message is
 * visible again only once its claim can be taken over.
 */
export const CLAIM_LOCK_SECONDS = 120;

const notifiedKey = (mailKey: string) => ({ pk: `NOTIFIED#${mailKey}`, sk: 'NOTIFIED' });

const addressHash = (address: string) => createHash('sha256').update(address.trim().toLowerCase()).digest('hex').slice(0, 32);
const hourOf = (now: Date) => now.toISOString().slice(0, 13);
const acknowledgementKey = (address: string, now: Date) => ({ pk: `ACKS#${addressHash(address)}`, sk: `HOUR#${hourOf(now)}` });

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

const ignoreConditionFailure = (error: unknown) => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
};

export const createNotificationStore = (client: DynamoDBDocumentClient, table: string): NotificationStore => {
  const tickets = createTicketRepository(client, table);
  return {
    getTicket: (id) => tickets.getTicket(id),

    async recentEvents(ticketId, limit) {
      const result = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
          ExpressionAttributeValues: { ':pk': `TICKET#${ticketId}`, ':event': 'EVENT#' },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map(toEvent);
    },

    async claimNotification(mailKey, now) {
      const claim = randomUUID();
      try {
        await client.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...notifiedKey(mailKey),
              entity: 'notification',
              state: 'sending',
              claim,
              lockedUntil: seconds(now) + CLAIM_LOCK_SECONDS,
              [TTL_ATTRIBUTE]: seconds(now) + NOTIFIED_TTL_SECONDS,
            },
            // Free; or held by an attempt that died; or expired but not yet deleted by TTL.
            ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND lockedUntil < :now) OR #ttl < :now',
            ExpressionAttributeNames: { '#state': 'state', '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':sending': 'sending', ':now': seconds(now) },
          }),
        );
        return claim;
      } catch (error) {
        ignoreConditionFailure(error);
        return undefined;
      }
    },

    async completeNotification(mailKey, claim, outcome) {
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: notifiedKey(mailKey),
          UpdateExpression:
            outcome.state === 'sent'
              ? 'SET #state = :state, messageId = :detail REMOVE lockedUntil'
              : 'SET #state = :state, reason = :detail REMOVE lockedUntil',
          // Only the attempt that holds the claim records its end.
          ConditionExpression: 'claim = :claim',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':state': outcome.state,
            ':detail': outcome.state === 'sent' ? outcome.messageId : outcome.reason,
            ':claim': claim,
          },
        }),
      );
    },

    async releaseNotification(mailKey, claim) {
      await client
        .send(
          new DeleteCommand({
            TableName: table,
            Key: notifiedKey(mailKey),
            ConditionExpression: 'claim = :claim AND #state = :sending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':claim': claim, ':sending': 'sending' },
          }),
        )
        .catch(ignoreConditionFailure);
    },

    async takeAcknowledgement(address, now, limit) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: table,
            Key: acknowledgementKey(address, now),
            UpdateExpression: 'ADD #count :one SET entity = :entity, #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'count', '#ttl': TTL_ATTRIBUTE },
            // Kept one hour past its hour: long enough to count, short enough to cost nothing.
            ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':entity': 'acknowledgements', ':ttl': seconds(now) + 2 * 3600 },
          }),
        );
        return true;
      } catch (error) {
        ignoreConditionFailure(error);
        return false;
      }
    },

    async returnAcknowledgement(address, now) {
      await client
        .send(
          new UpdateCommand({
            TableName: table,
            Key: acknowledgementKey(address, now),
            UpdateExpression: 'ADD #count :minusOne',
            ConditionExpression: '#count > :zero',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
          }),
        )
        .catch(ignoreConditionFailure);
    },
  };
};
