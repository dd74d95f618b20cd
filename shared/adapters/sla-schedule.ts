// The SLA schedule is gsi5, a sparse keys-only index the ticket store keeps (ticket-store.ts `ticketItem`):
// a ticket is on it at its next SLA instant while something is due. Reading it costs what is due, not the
// table's size.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SlaSchedule } from '#shared/domain/sla/ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { instantOfSlaScheduleKey, SLA_SCHEDULE, slaScheduleUpTo, ticketIdOf } from './table-keys.ts';

export const createSlaSchedule = (client: DynamoDBDocumentClient, table: string): SlaSchedule => ({
  async listDue(nowIso, page) {
    const result = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi5',
        KeyConditionExpression: 'gsi5pk = :sla AND gsi5sk <= :now',
        ExpressionAttributeValues: { ':sla': SLA_SCHEDULE, ':now': slaScheduleUpTo(nowIso) },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { name: 'gsi5pk', value: SLA_SCHEDULE }),
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => ({ id: ticketIdOf(String(item.pk)), dueAt: instantOfSlaScheduleKey(String(item.gsi5sk)) })),
      cursor: encodeCursor(result.LastEvaluatedKey),
    };
  },
});
