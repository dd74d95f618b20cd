// Table stream → bus: every history item written to the table is put on the helpdesk bus, in order. A
// record whose entry the bus refuses (after the bus adapter's own retries) is reported, so the stream
// retries from it (consumers are idempotent on the event id, so a re-sent later record does no harm); after
// the retries it goes to the on-failure destination.

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type BusEntry, busEntry, putEvents } from '#shared/adapters/bus-publisher.ts';
import { TTL_ATTRIBUTE } from '#shared/adapters/table-definition.ts';
import { errorForLog, logger, metrics, observed } from '#shared/observability.ts';

const historyEntry = (record: DynamoDBRecord): BusEntry | undefined => {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image || image.entity?.S !== 'event') return undefined;
  // The event as the history API shows it: without the table's keys and TTL.
  const { pk: _pk, sk: _sk, entity: _entity, [TTL_ATTRIBUTE]: _ttl, ...event } = unmarshall(image as Record<string, AttributeValue>);
  return busEntry(event as { type: string; at: string });
};

export const handler = observed<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(async (event) => {
  const pending = event.Records.flatMap((record) => {
    const entry = historyEntry(record);
    return entry ? [{ entry, sequenceNumber: record.dynamodb!.SequenceNumber! }] : [];
  });
  const { failed, errors } = await putEvents(pending.map((item) => item.entry));
  for (const error of errors) logger.error('PutEvents failed', { error: errorForLog(error) });
  metrics.addMetric('EventsPublished', MetricUnit.Count, pending.length - failed.length);
  // The stream retries from the earliest failure; reporting only that one is enough and exact.
  const earliest = failed.map((index) => pending[index]!.sequenceNumber).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))[0];
  return { batchItemFailures: earliest ? [{ itemIdentifier: earliest }] : [] };
});
