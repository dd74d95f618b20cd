// The one chain for SQS consumers: each record is parsed, validated and handled on its own; a record that
// fails is reported in batchItemFailures (retried, then dead-lettered) and never takes its batch down. And the
// chain for consumers the bus invokes directly (queues.ts `invocation: 'bus'`): one event a call, a failure
// thrown, so Lambda retries the asynchronous invocation and then hands it to the on-failure destination.
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { errorForLog, logger, observed } from '#shared/observability.ts';
import { InvalidMessageError, parseTicketBusEvent, type TicketBusEvent } from './ticket-bus-event.ts';

/** A consumer of messages `parse` turns into `T` (throwing InvalidMessageError for anything else). */
export const sqsConsumer = <T>(parse: (body: string) => T, handle: (message: T, record: SQSRecord) => Promise<void>) =>
  observed<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await handle(parse(record.body), record);
      } catch (error) {
        // Ids and the kind of failure only: the body may hold a requester's words.
        logger.error('message failed', {
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          ...(error instanceof InvalidMessageError ? { invalid: error.problems } : { error: errorForLog(error) }),
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
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
