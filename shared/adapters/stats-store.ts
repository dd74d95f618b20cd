// DynamoDB side of the statistics (keys: shared/domain/reports/stats.ts; access patterns: table-definition.ts):
//   STATS#<date> / <scope>#<dimension>#<value>   daily counters, one attribute per counter (ADD)
//   STATSEVENT#<event id> / STATSEVENT           "this event is counted": a claim written done (claim-store.ts)
// The marker and the increments go in one transaction, so an event is counted exactly once: a replay fails
// the marker's condition and the whole transaction changes nothing.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StatsReader, StatsRow } from '#shared/domain/reports/reports.ts';
import type { StatsCounters, StatsStore, StatsUpdate } from '#shared/domain/reports/stats.ts';
import { CLAIM_SPACES, completedClaimItem } from './claim-store.ts';
import { addExpression } from './counter-expression.ts';
import { ALL_TICKETS_QUEUE, statsPartition, statusPrefix, teamQueue } from './table-keys.ts';
import { createTicketStore } from './ticket-store.ts';

/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

const isDuplicate = (error: unknown) =>
  error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';

export const createStatsStore = (client: DynamoDBDocumentClient, table: string): StatsStore & StatsReader => {
  const tickets = createTicketStore(client, table);
  return {
    getTicket: (id) => tickets.getTicket(id),

    async applyOnce(eventId, update: StatsUpdate, now) {
      const add = addExpression(update.counters);
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              // First: its cancellation reason tells a replay from a conflict.
              completedClaimItem(table, CLAIM_SPACES.statsEvent, eventId, now, { date: update.date }),
              ...update.keys.map((sk) => ({
                Update: {
                  TableName: table,
                  Key: { pk: statsPartition(update.date), sk },
                  UpdateExpression: add.expression,
                  ExpressionAttributeNames: add.names,
                  ExpressionAttributeValues: add.values,
                },
              })),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (isDuplicate(error)) return false;
        throw error;
      }
    },

    async applyAllOnce(entries, now) {
      // Each item once: the increments of the events that add to it, summed.
      const items = new Map<string, { date: string; sk: string; counters: StatsCounters }>();
      for (const { update } of entries)
        for (const sk of update.keys) {
          const item = items.get(`${update.date}/${sk}`) ?? { date: update.date, sk, counters: {} };
          for (const [name, increment] of Object.entries(update.counters)) item.counters[name] = (item.counters[name] ?? 0) + increment;
          items.set(`${update.date}/${sk}`, item);
        }
      if (entries.length + items.size > MAX_TRANSACTION_ITEMS) return false;
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              ...entries.map(({ eventId, update }) =>
                completedClaimItem(table, CLAIM_SPACES.statsEvent, eventId, now, { date: update.date }),
              ),
              ...[...items.values()].map(({ date, sk, counters }) => {
                const add = addExpression(counters);
                return {
                  Update: {
                    TableName: table,
                    Key: { pk: statsPartition(date), sk },
                    UpdateExpression: add.expression,
                    ExpressionAttributeNames: add.names,
                    ExpressionAttributeValues: add.values,
                  },
                };
              }),
            ],
          }),
        );
        return true;
      } catch (error) {
        // A marker already there, or a conflict with a concurrent write: nothing was written.
        if (error instanceof TransactionCanceledException) return false;
        throw error;
      }
    },

    async readStatsDay(date, scope) {
      const rows: StatsRow[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :scope)',
            ExpressionAttributeValues: { ':pk': statsPartition(date), ':scope': `${scope}#` },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const { pk: _pk, sk, entity: _entity, ...counters } of page.Items ?? [])
          rows.push({ key: (sk as string).slice(scope.length + 1), counters: counters as StatsCounters });
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return rows;
    },

    async openTicketCreationTimes(status, team) {
      // One Query per status partition of the queue index: the team's (gsi1) or the whole desk's (gsi4).
      const [index, pk] = team ? (['gsi1', teamQueue(team)] as const) : (['gsi4', ALL_TICKETS_QUEUE] as const);
      const times: string[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: table,
            IndexName: index,
            KeyConditionExpression: `${index}pk = :pk AND begins_with(${index}sk, :status)`,
            ExpressionAttributeValues: { ':pk': pk, ':status': statusPrefix(status) },
            ProjectionExpression: 'createdAt',
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) times.push(item.createdAt as string);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return times;
    },
  };
};
