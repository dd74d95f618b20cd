// The sandbox's SQS event source mappings: long-polls each queue from shared/events/queues.ts and calls its
// handler with real SQSEvent batches. Messages the handler reports in batchItemFailures (or all of them,
// if it throws) stay on the queue and come back; after maxReceiveCount the emulator moves them to the
// dead-letter queue. Successes are deleted, as Lambda does.
import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { consumerTimeoutSeconds, QUEUES, type QueueSpec } from '#shared/events/queues.ts';
import { invokeLocally } from './lambda-context.ts';

type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export type QueuePollers = {
  /** How many messages of the queue its consumer has handed back to be received again, since the start. */
  retries(queue: string): number;
  stop(): Promise<void>;
};

const EMPTY_POLL_PAUSE_MS = 50;

/** A failed message is visible again after this long, not after the queue's full timeout (sandbox only). */
const RETRY_AFTER_SECONDS = 1;

const toEvent = (messages: Message[], queueArn: string, region: string): SQSEvent => ({
  Records: messages.map((message) => ({
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
      SenderId: message.Attributes?.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  })),
});

export const startQueuePollers = (options: {
  region: string;
  queueUrl: (name: string) => string;
  queueArn: (name: string) => string;
  log?: (line: string) => void;
}): QueuePollers => {
  const sqs = new SQSClient({ region: options.region, maxAttempts: 1 });
  let stopped = false;
  const retries = new Map<string, number>();

  const poll = async (spec: QueueSpec) => {
    const handler = ((await import(`../functions/queue/${spec.handler}.ts`)) as { handler: QueueHandler }).handler;
    const QueueUrl = options.queueUrl(spec.name);
    let down = false;
    while (!stopped) {
      try {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: spec.batchSize,
            // Short polls: local-aws-sqs holds a long poll open until a whole batch is there, which would
            // add a second to every routing; real SQS answers a long poll as soon as a message arrives.
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        if (down) options.log?.(`  queue ${spec.name}: reachable again`);
        down = false;
        if (Messages.length === 0 || stopped) {
          await new Promise((resolve) => setTimeout(resolve, EMPTY_POLL_PAUSE_MS));
          continue;
        }
        let failed: Set<string>;
        try {
          const event = toEvent(Messages, options.queueArn(spec.name), options.region);
          // As long as the function has in AWS: a worker that hands over before its time is up (the export) sees
          // the same clock here.
          const response = await invokeLocally(spec.handler, randomUUID(), consumerTimeoutSeconds(spec) * 1000, (context) =>
            handler(event, context),
          );
          failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
        } catch (error) {
          options.log?.(`! ${spec.handler}: ${(error as Error).message}`);
          failed = new Set(Messages.map((message) => message.MessageId!));
        }
        const done = Messages.filter((message) => !failed.has(message.MessageId!));
        const retry = Messages.filter((message) => failed.has(message.MessageId!));
        if (done.length > 0)
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl,
              Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
            }),
          );
        if (retry.length > 0) retries.set(spec.name, (retries.get(spec.name) ?? 0) + retry.length);
        if (retry.length > 0)
          await sqs.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl,
              Entries: retry.map((message, index) => ({
                Id: String(index),
                ReceiptHandle: message.ReceiptHandle!,
                VisibilityTimeout: RETRY_AFTER_SECONDS,
              })),
            }),
          );
      } catch (error) {
        if (stopped) return;
        if (!down) options.log?.(`! queue ${spec.name}: ${(error as Error).message}; polling on`);
        down = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };

  const running = QUEUES.map((spec) => poll(spec));
  return {
    retries: (queue) => retries.get(queue) ?? 0,
    stop: async () => {
      stopped = true;
      await Promise.allSettled(running);
      sqs.destroy();
    },
  };
};
