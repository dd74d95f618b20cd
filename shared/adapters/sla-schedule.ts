// The SLA schedule is gsi5, a sparse keys-only index the ticket store keeps (ticket-store.ts `ticketItem`):
// a ticket is on it at its next SLA instant while something is due. Reading it costs what is due, not the
// table's size.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SlaSchedule } from '#shared/domain/sla/ports.ts';
import { decodeCursor, encodeCursor, exactly } from './cursor.ts';
import {
  instantOfSlaScheduleKey,
  isSlaScheduleKeyOf,
  SLA_SCHEDULE,
  slaScheduleUpTo,
  ticketIdOf,
  ticketIdOfPartition,
} from './table-keys.ts';

export const createSlaSchedule = (client: DynamoDBDocumentClient, table: string): SlaSchedule => ({
  async listDue(nowIso, page) {
    const upTo = slaScheduleUpTo(nowIso);
    const start = decodeCursor(
      page.cursor,
      { pk: (value) => ticketIdOfPartition(value) !== undefined, sk: exactly('TICKET'), gsi5pk: exactly(SLA_SCHEDULE), gsi5sk: () => true },
      (key) => isSlaScheduleKeyOf(key.gsi5sk!, ticketIdOfPartition(key.pk!)!) && key.gsi5sk! <= upTo,
    );
    const result = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi5',
        KeyConditionExpression: 'gsi5pk = :sla AND gsi5sk <= :now',
        ExpressionAttributeValues: { ':sla': SLA_SCHEDULE, ':now': upTo },
        Limit: page.limit,
        ExclusiveStartKey: start,
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => ({ id: ticketIdOf(String(item.pk)), dueAt: instantOfSlaScheduleKey(String(item.gsi5sk)) })),
      cursor: encodeCursor(result.LastEvaluatedKey),
    };
  },
});
