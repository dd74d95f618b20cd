// The one chain for SQS consumers: each record is parsed, validated and handled on its own; a record that
// fails is reported in batchItemFailures (retried, then dead-lettered) and never takes its batch down. And the
// chain for consumers the bus invokes directly (queues.ts `invocation: 'async'`): one event a call, a failure
// thrown, so Lambda retries the asynchronous invocation and then hands it to the on-failure destination.
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { errorForLog, logger, observed } from '#shared/observability.ts';
import { InvalidMessageError, parseTicketBusEvent, type TicketBusEvent } from './ticket-bus-event.ts';

/** A record that failed, logged by ids and the kind of failure only: the body may hold a requester's words. */
const failed = (record: SQSRecord, error: unknown) => {
  logger.error('message failed', {
    messageId: record.messageId,
    receiveCount: record.attributes.ApproximateReceiveCount,
    ...(error instanceof InvalidMessageError ? { invalid: error.problems } : { error: errorForLog(error) }),
  });
  return { itemIdentifier: record.messageId };
};

/** A consumer of messages `parse` turns into `T` (throwing InvalidMessageError for anything else). */
export const sqsConsumer = <T>(parse: (body: string) => T, handle: (message: T, record: SQSRecord) => Promise<void>) =>
  observed<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await handle(parse(record.body), record);
      } catch (error) {
        batchItemFailures.push(failed(record, error));
      }
    }
    return { batchItemFailures };
  });

/** A consumer of the bus's ticket events that the bus invokes itself, one event a call (no queue in between). */
export const busEventConsumer = (handle: (event: TicketBusEvent) => Promise<void>) =>
  observed<unknown, void>().handler(async (input) => {
    try {
      await handle(parseTicketBusEvent(JSON.stringify(input)));
    } catch (error) {
      // Ids and the kind of failure only: the event may hold a requester's words.
      const id = (input as { id?: unknown } | null)?.id;
      logger.error('event failed', {
        busEventId: typeof id === 'string' ? id : undefined,
        ...(error instanceof InvalidMessageError ? { invalid: error.problems } : { error: errorForLog(error) }),
      });
      throw error;
    }
  });

/** A consumer of the bus's ticket events, through its queue. */
export const ticketEventConsumer = (handle: (event: TicketBusEvent, record: SQSRecord) => Promise<void>) =>
  sqsConsumer(parseTicketBusEvent, handle);

/**
 * A consumer of the bus's ticket events that handles its batch's valid events together (routing reads a team's
 * loads once a batch), each settling on its own: `handle` returns one result per event, in their order.
 */
export const ticketEventBatchConsumer = (handle: (events: TicketBusEvent[]) => Promise<PromiseSettledResult<unknown>[]>) =>
  observed<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    const valid: { record: SQSRecord; event: TicketBusEvent }[] = [];
    for (const record of event.Records) {
      try {
        valid.push({ record, event: parseTicketBusEvent(record.body) });
      } catch (error) {
        batchItemFailures.push(failed(record, error));
      }
    }
    let results: PromiseSettledResult<unknown>[];
    try {
      results = valid.length === 0 ? [] : await handle(valid.map((one) => one.event));
    } catch (error) {
      // What the whole batch needed (the staff directory, say) failed: every message is received again.
      results = valid.map(() => ({ status: 'rejected', reason: error }));
    }
    for (const [index, { record }] of valid.entries()) {
      const result = results[index];
      if (result?.status !== 'fulfilled') batchItemFailures.push(failed(record, result?.reason ?? new Error('no result')));
    }
    return { batchItemFailures };
  });
