// Table stream → bus: every history item written to the table is put on the helpdesk bus, in order. A
// record whose entry the bus refuses is reported, so the stream retries from it (consumers are
// idempotent on the event id, so a re-sent later record does no harm); after the retries it goes to the
// on-failure destination.

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { busEntry, eventBridgeClient, PUT_EVENTS_MAX } from '#shared/adapters/bus-publisher.ts';
import { TTL_ATTRIBUTE } from '#shared/adapters/table-definition.ts';
import { errorForLog, logger, metrics, observed } from '#shared/observability.ts';

/** PutEvents takes at most 10 entries per call. */
const CHUNK = PUT_EVENTS_MAX;

const historyEntry = (record: DynamoDBRecord): PutEventsRequestEntry | undefined => {
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
  const failed: string[] = [];
  for (let start = 0; start < pending.length; start += CHUNK) {
    const chunk = pending.slice(start, start + CHUNK);
    try {
      const result = await eventBridgeClient().send(new PutEventsCommand({ Entries: chunk.map((item) => item.entry) }));
      (result.Entries ?? []).forEach((entry, index) => {
        if (entry.ErrorCode) failed.push(chunk[index]!.sequenceNumber);
      });
    } catch (error) {
      logger.error('PutEvents failed', { error: errorForLog(error), entries: chunk.length });
      failed.push(...chunk.map((item) => item.sequenceNumber));
    }
  }
  metrics.addMetric('EventsPublished', MetricUnit.Count, pending.length - failed.length);
  // The stream retries from the earliest failure; reporting only that one is enough and exact.
  const earliest = failed.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))[0];
  return { batchItemFailures: earliest ? [{ itemIdentifier: earliest }] : [] };
});
