// The sweeper's way back into the consumers (port: Redriver in shared/domain/stuck-work): each event goes on
// the consumer's queue in the envelope the bus gives it (the consumers parse that envelope,
// shared/events/ticket-bus-event.ts), ten to a SendMessageBatch. Queue URLs come from the environment
// (`<QUEUE>_QUEUE_URL`, set by CDK and the sandbox); the endpoint from AWS_ENDPOINT_URL_SQS in the sandbox.
import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Redriver } from '#shared/domain/stuck-work/sweep-stuck-work.ts';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { EVENT_SOURCE } from '#shared/events/bus-definition.ts';

/** The environment variable that names a queue's URL to the functions that send to it. */
export const queueUrlEnv = (queue: string) => `${queue.toUpperCase()}_QUEUE_URL`;

/** SendMessageBatch takes at most this many entries. */
const SEND_BATCH_MAX = 10;

let client: SQSClient | undefined;
const sqs = () => (client ??= new SQSClient({ maxAttempts: 3 }));

/** An event as a bus rule delivers it to a queue: EventBridge's envelope, the event as its detail. */
export const busEnvelope = (event: TicketEvent) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': event.type,
  source: EVENT_SOURCE,
  account: '',
  time: event.at,
  region: process.env.AWS_REGION ?? '',
  resources: [],
  detail: event,
});

export const sqsRedriver: Redriver = {
  async redrive(queue, events) {
    const url = process.env[queueUrlEnv(queue)];
    if (!url) throw new Error(`${queueUrlEnv(queue)} is not set`);
    for (let start = 0; start < events.length; start += SEND_BATCH_MAX) {
      const chunk = events.slice(start, start + SEND_BATCH_MAX);
      const result = await sqs().send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: chunk.map((event, index) => ({ Id: String(index), MessageBody: JSON.stringify(busEnvelope(event)) })),
        }),
      );
      if (result.Failed && result.Failed.length > 0)
        throw new Error(
          `${result.Failed.length} of ${chunk.length} message(s) were refused by the ${queue} queue (${result.Failed[0]!.Code})`,
        );
    }
  },
};
