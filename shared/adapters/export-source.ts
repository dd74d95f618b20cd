// The export's reading of the table: a Scan, page by page, of ticket, history and audit (staff reads) items only. The one Scan in
// the helpdesk: a full export reads everything anyway, and the table's own key order is stable while tickets
// change (a queue index's order is not: its keys hold the status). The position is the Scan's last evaluated
// key, base64url-encoded.
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ExportSource } from '#shared/domain/portability/export-tickets.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { toEvent } from './history-item.ts';
import { toTicket } from './ticket-store.ts';

const encode = (key: Record<string, unknown> | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined);
const decode = (cursor: string | undefined) =>
  cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;

export const createExportSource = (client: DynamoDBDocumentClient, table: string, pageSize?: number): ExportSource => ({
  async page(cursor) {
    const result = await client.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: '#entity IN (:ticket, :event, :audit)',
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: { ':ticket': 'ticket', ':event': 'event', ':audit': 'audit' },
        ExclusiveStartKey: decode(cursor),
        ConsistentRead: true,
        ...(pageSize ? { Limit: pageSize } : {}),
      }),
    );
    const items = result.Items ?? [];
    return {
      tickets: items.filter((item) => item.entity === 'ticket').map((item): Ticket => toTicket(item)),
      // A staff read is an event of the ticket's record too (TicketViewed), kept apart from its history.
      events: items.filter((item) => item.entity === 'event' || item.entity === 'audit').map(toEvent),
      cursor: encode(result.LastEvaluatedKey),
    };
  },
});
