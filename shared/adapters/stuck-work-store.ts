// What the sweeper reads (port: shared/domain/stuck-work/sweep-stuck-work.ts), all through indexes:
//   gsi4 TICKETS / begins_with 1-new#           new tickets, filtered to the unassigned filed long enough ago
//   gsi7 COUNTED#<utc day> / <at>#<event id>    the events the statistics count, by time (keys and type)
// and the history items it re-drives, by key (BatchGetItem).
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { EventRef, StuckWorkStore } from '#shared/domain/stuck-work/sweep-stuck-work.ts';
import { type TicketEventType, ticketSummary } from '#shared/domain/tickets/ticket.ts';
import { batchGet } from './claim-store.ts';
import { toEvent } from './history-item.ts';
import {
  ALL_TICKETS_QUEUE,
  countedEventKey,
  countedEventsDay,
  countedEventsUpTo,
  EVENT_PREFIX,
  eventKey,
  statusPrefix,
  ticketIdOf,
} from './table-keys.ts';

const DAY_MS = 86_400_000;

/** Every page of a Query. */
const queryAll = async (client: DynamoDBDocumentClient, input: QueryCommandInput) => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/** The UTC days from `from` to `to`, each as `yyyy-mm-dd`. */
const daysBetween = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let day = Date.parse(from.slice(0, 10)); day <= Date.parse(to); day += DAY_MS) days.push(new Date(day).toISOString().slice(0, 10));
  return days;
};

export const createStuckWorkStore = (client: DynamoDBDocumentClient, table: string): StuckWorkStore => ({
  async unassignedNewTickets(filedBefore) {
    const items = await queryAll(client, {
      TableName: table,
      IndexName: 'gsi4',
      KeyConditionExpression: 'gsi4pk = :all AND begins_with(gsi4sk, :new)',
      FilterExpression: 'createdAt <= :before AND attribute_type(assignee, :null)',
      ExpressionAttributeValues: { ':all': ALL_TICKETS_QUEUE, ':new': statusPrefix('new'), ':before': filedBefore, ':null': 'NULL' },
    });
    return items.map(ticketSummary);
  },

  async countedEvents(from, to) {
    const refs: EventRef[] = [];
    for (const day of daysBetween(from, to)) {
      const items = await queryAll(client, {
        TableName: table,
        IndexName: 'gsi7',
        KeyConditionExpression: 'gsi7pk = :day AND gsi7sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':day': countedEventsDay(day), ':from': countedEventKey(from, ''), ':to': countedEventsUpTo(to) },
      });
      for (const item of items)
        refs.push({
          ticketId: ticketIdOf(String(item.pk)),
          eventId: String(item.sk).slice(EVENT_PREFIX.length),
          type: item.type as TicketEventType,
        });
    }
    return refs;
  },

  async getEvents(refs) {
    const items = await batchGet(
      client,
      table,
      refs.map((ref) => eventKey(ref.ticketId, ref.eventId)),
    );
    return items.map(toEvent);
  },
});
