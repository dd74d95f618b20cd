// A history item as the table holds it (ticket-store.ts writes it) read back as the event the history API
// shows: without the table's keys (its own and the counted-events index's), its entity and its TTL. Kept apart from the store so that publish-events,
// which only reads the stream, bundles no DynamoDB client.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';

export const toEvent = (item: Record<string, unknown>): TicketEvent => {
  const { pk: _pk, sk: _sk, entity: _entity, [TTL_ATTRIBUTE]: _ttl, gsi7pk: _day, gsi7sk: _at, ...event } = item;
  return event as TicketEvent;
};

/** The history event a table stream record inserted; undefined for any other record (a ticket, a claim, a change). */
export const insertedEventOf = (record: DynamoDBRecord): TicketEvent | undefined => {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image || image.entity?.S !== 'event') return undefined;
  return toEvent(unmarshall(image as Record<string, AttributeValue>));
};
