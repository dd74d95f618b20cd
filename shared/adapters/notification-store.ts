// DynamoDB implementation of the notify consumer's NotificationStore: the ticket, its latest history, and
// the acknowledgements sent to one address in one hour (`ACKS#<address hash>` / `HOUR#<hour>`, TTL; the
// address is hashed, so no key, metric or console view of the table shows one). The per-event send claims
// are the claim store's (claim-store.ts, `NOTIFIED#`); an acknowledgement's claim is taken here, in one
// transaction with its count.
import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationStore } from '#shared/domain/mail/notify.ts';
import { CLAIM_SPACES, completedClaimItem, newClaimItem } from './claim-store.ts';
import { toEvent } from './history-item.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';
import { acknowledgementKey, EVENT_PREFIX, ticketPartition } from './table-keys.ts';
import { createTicketStore } from './ticket-store.ts';

const addressHash = (address: string) => createHash('sha256').update(address.trim().toLowerCase()).digest('hex').slice(0, 32);
const hourOf = (now: Date) => now.toISOString().slice(0, 13);
const acknowledgementsOf = (address: string, now: Date) => acknowledgementKey(addressHash(address), hourOf(now));

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

const ignoreConditionFailure = (error: unknown) => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
};

export const createNotificationStore = (client: DynamoDBDocumentClient, table: string): NotificationStore => {
  const tickets = createTicketStore(client, table);
  return {
    getTicket: (id) => tickets.getTicket(id),

    getTickets: (ids) => tickets.getTickets(ids),

    async recentEvents(ticketId, limit) {
      const result = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
          ExpressionAttributeValues: { ':pk': ticketPartition(ticketId), ':event': EVENT_PREFIX },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map(toEvent);
    },
    async claimAcknowledgement(key, address, now, limit) {
      const holder = randomUUID();
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              newClaimItem(table, CLAIM_SPACES.notification, key, holder, now),
              {
                Update: {
                  TableName: table,
                  Key: acknowledgementsOf(address, now),
                  UpdateExpression: 'ADD #count :one SET entity = :entity, #ttl = :ttl',
                  ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
                  ExpressionAttributeNames: { '#count': 'count', '#ttl': TTL_ATTRIBUTE },
                  // Kept one hour past its hour: long enough to count, short enough to cost nothing.
                  ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':entity': 'acknowledgements', ':ttl': seconds(now) + 2 * 3600 },
                },
              },
            ],
          }),
        );
        return { holder };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [claim, count] = (error.CancellationReasons ?? []).map((reason) => reason.Code);
        if (claim === 'ConditionalCheckFailed') return 'duplicate';
        if (count !== 'ConditionalCheckFailed') throw error;
      }
      // The hour's limit is reached: recorded done, so a redelivery of this event does not send it later in the hour.
      try {
        const { Put: put } = completedClaimItem(table, CLAIM_SPACES.notification, key, now, {
          outcome: 'suppressed',
          reason: 'rate-limited',
        });
        await client.send(new PutCommand(put!));
        return 'rate-limited';
      } catch (error) {
        ignoreConditionFailure(error);
        return 'duplicate';
      }
    },

    async returnAcknowledgement(address, now) {
      await client
        .send(
          new UpdateCommand({
            TableName: table,
            Key: acknowledgementsOf(address, now),
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
