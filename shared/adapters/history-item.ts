// A history item as the table holds it (ticket-store.ts writes it) read back as the event the history API
// shows: without the table's keys (its own and the counted-events index's), its entity, its TTL and the import's mark. Kept apart from the store so that publish-events,
// which only reads the stream, bundles no DynamoDB client.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';

/** Set on history items written by an import: their events happened elsewhere, before, so they never go on the
 *  bus (no mail, no routing, no webhook, no statistics for a ticket that was handled years ago). */
export const UNPUBLISHED_ATTRIBUTE = 'unpublished';

export const toEvent = (item: Record<string, unknown>): TicketEvent => {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    [TTL_ATTRIBUTE]: _ttl,
    [UNPUBLISHED_ATTRIBUTE]: _unpublished,
    gsi7pk: _day,
    gsi7sk: _at,
    ...event
  } = item;
  return event as TicketEvent;
};

/** The history event a table stream record inserted; undefined for any other record (a ticket, a claim, a change). */
export const insertedEventOf = (record: DynamoDBRecord): TicketEvent | undefined => {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image || image.entity?.S !== 'event' || image[UNPUBLISHED_ATTRIBUTE]?.BOOL) return undefined;
  return toEvent(unmarshall(image as Record<string, AttributeValue>));
};
