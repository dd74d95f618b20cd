// Table stream → bus: every history item written to the table is put on the helpdesk bus, in order. A
// record whose entry the bus refuses (after the bus adapter's own retries) is reported, so the stream
// retries from it (consumers are idempotent on the event id, so a re-sent later record does no harm); after
// the retries it goes to the on-failure destination.

import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { busEntry, putEvents } from '#shared/adapters/bus-publisher.ts';
import { insertedEventOf } from '#shared/adapters/history-item.ts';
import { errorForLog, logger, observed } from '#shared/observability.ts';

export const handler = observed<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(async (event) => {
  // Only inserted history items are events; the event goes on the bus as the history API shows it.
  const pending = event.Records.flatMap((record) => {
    const history = insertedEventOf(record);
    return history ? [{ entry: busEntry(history), sequenceNumber: record.dynamodb!.SequenceNumber! }] : [];
  });
  const { failed, errors } = await putEvents(pending.map((item) => item.entry));
  for (const error of errors) logger.error('PutEvents failed', { error: errorForLog(error) });
  // No count of its own: EventBridge's free PutEvents metrics and the stream's lag alarm show the flow.
  // The stream retries from the earliest failure; reporting only that one is enough and exact.
  const earliest = failed.map((index) => pending[index]!.sequenceNumber).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))[0];
  return { batchItemFailures: earliest ? [{ itemIdentifier: earliest }] : [] };
});
