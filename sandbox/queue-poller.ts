// The sandbox's SQS event source mappings: polls each queue from shared/events/queues.ts and calls its
// handler with real SQSEvent batches, several batches at once as Lambda does (up to the queue's
// maxConcurrency, else SANDBOX_CONSUMERS). Messages the handler reports in batchItemFailures (or all of
// them, if it throws) stay on the queue and come back after the queue's visibility timeout, as on AWS;
// after maxReceiveCount the emulator moves them to the dead-letter queue. Successes are deleted.
// A consumer Lambda invokes asynchronously in AWS (queues.ts `invocation: 'async'`: by the bus's rule, or by the
// function that starts it through the sandbox's Lambda stand-in) gets what Lambda's asynchronous invocation gives
// it: the event, one a call, a thrown error a failure. Its local queue stands in for Lambda's
// own internal queue: durable, the same tries (maxReceiveCount), then the same dead-letter queue.
import { randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { consumerTimeoutSeconds, QUEUES, type QueueSpec } from '#shared/events/queues.ts';
import { invokeLocally } from './lambda-context.ts';

type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;
type BusEventHandler = (event: unknown, context: Context) => Promise<void>;

export type QueuePollers = {
  /** How many messages of the queue its consumer has handed back to be received again, since the start. */
  retries(queue: string): number;
  /** Whether the consumers poll; while paused, messages wait on their queues, as behind a disabled event source mapping. */
  running(): boolean;
  /** Pauses the consumers (a batch being handled is finished first) or sets them polling again. */
  setRunning(running: boolean): Promise<void>;
  stop(): Promise<void>;
};

/**
 * An empty queue is asked again when a message arrives (SQS's long poll answers as soon as one is there) or
 * after this long, which is how soon a message whose visibility timeout ran out is received again. The other
 * consumers of a queue wait longer, so an idle sandbox stays idle.
 */
const LONG_POLL_MS = 1_000;
const LONG_POLL_EXTRA_MS = 5_000;
/**
 * While none of a queue's messages is waiting out a visibility timeout (none handed back and not yet received
 * again), only an arrival can bring one: its consumers wait for that, asking again only after SQS's longest long
 * poll. An idle sandbox then asks its queues a few times a minute, not fourteen times a second.
 */
const IDLE_POLL_MS = 20_000;

/**
 * Consumers per queue without a maxConcurrency: Lambda would scale further, but on a laptop's cores more
 * batches at once only queue up for DynamoDB Local.
 */
const SANDBOX_CONSUMERS = 4;

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
  /** Resolves when a message arrives on the queue, or after the time given (LocalSqs.arrival). */
  arrival: (queue: string, timeoutMs: number) => Promise<void>;
  log?: (line: string) => void;
}): QueuePollers => {
  const sqs = new SQSClient({ region: options.region, maxAttempts: 1 });
  let stopped = false;
  let wakeAll = () => {};
  const stopping = new Promise<void>((resolve) => (wakeAll = resolve));
  const retries = new Map<string, number>();
  /** Per queue: messages its consumers handed back that have not been received again (they come back by themselves). */
  const handedBack = new Map<string, number>();
  /** Resolved when the consumers may poll (again); a new, pending one while they are paused. */
  let polling: Promise<void> = Promise.resolve();
  let resumePolling: (() => void) | undefined;

  const poll = async (spec: QueueSpec, consumer: number) => {
    const handler = ((await import(`../functions/queue/${spec.handler}.ts`)) as { handler: QueueHandler }).handler;
    const QueueUrl = options.queueUrl(spec.name);
    const longPoll = () => ((handedBack.get(spec.name) ?? 0) === 0 ? IDLE_POLL_MS : consumer === 0 ? LONG_POLL_MS : LONG_POLL_EXTRA_MS);
    let down = false;
    while (!stopped) {
      if (resumePolling) {
        await Promise.race([polling, stopping]);
        continue;
      }
      try {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: spec.batchSize,
            // Short polls, and the wait below in their place: local-aws-sqs holds a long poll open until a whole
            // batch is there, which would add a second to every routing; real SQS answers as soon as one arrives.
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        if (down && consumer === 0) options.log?.(`  queue ${spec.name}: reachable again`);
        down = false;
        const again = Messages.filter((message) => Number(message.Attributes?.ApproximateReceiveCount ?? '1') > 1).length;
        if (again > 0) handedBack.set(spec.name, Math.max(0, (handedBack.get(spec.name) ?? 0) - again));
        if (Messages.length === 0 || stopped) {
          if (!stopped) await Promise.race([options.arrival(spec.name, longPoll()), stopping]);
          continue;
        }
        let failed: Set<string>;
        try {
          const timeoutMs = consumerTimeoutSeconds(spec) * 1000;
          if (spec.invocation === 'async') {
            // One event a call (batchSize 1); an error is the failure Lambda would retry.
            failed = new Set();
            for (const message of Messages) {
              try {
                await invokeLocally(spec.handler, randomUUID(), timeoutMs, (context) =>
                  (handler as unknown as BusEventHandler)(JSON.parse(message.Body ?? 'null'), context),
                );
              } catch (error) {
                options.log?.(`! ${spec.handler}: ${(error as Error).message}`);
                failed.add(message.MessageId!);
              }
            }
          } else {
            const event = toEvent(Messages, options.queueArn(spec.name), options.region);
            // As long as the function has in AWS: a worker that hands over before its time is up (the export) sees
            // the same clock here.
            const response = await invokeLocally(spec.handler, randomUUID(), timeoutMs, (context) => handler(event, context));
            failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
          }
        } catch (error) {
          options.log?.(`! ${spec.handler}: ${(error as Error).message}`);
          failed = new Set(Messages.map((message) => message.MessageId!));
        }
        const done = Messages.filter((message) => !failed.has(message.MessageId!));
        const retry = Messages.filter((message) => failed.has(message.MessageId!));
        const handBack = (count: number) => handedBack.set(spec.name, (handedBack.get(spec.name) ?? 0) + count);
        // Left as they are, failed messages come back once their visibility timeout has passed.
        if (retry.length > 0) {
          retries.set(spec.name, (retries.get(spec.name) ?? 0) + retry.length);
          handBack(retry.length);
        }
        if (done.length > 0)
          await sqs
            .send(
              new DeleteMessageBatchCommand({
                QueueUrl,
                Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
              }),
            )
            .catch((error: unknown) => {
              // Not deleted (SQS went down): they come back too, and are handled again (the consumers are idempotent).
              handBack(done.length);
              throw error;
            });
      } catch (error) {
        if (stopped) return;
        if (!down && consumer === 0) options.log?.(`! queue ${spec.name}: ${(error as Error).message}; polling on`);
        down = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };

  const running = QUEUES.flatMap((spec) =>
    Array.from({ length: spec.maxConcurrency ?? SANDBOX_CONSUMERS }, (_, consumer) => poll(spec, consumer)),
  );
  return {
    retries: (queue) => retries.get(queue) ?? 0,
    running: () => !resumePolling,
    setRunning: async (running) => {
      if (running) {
        resumePolling?.();
        resumePolling = undefined;
      } else if (!resumePolling) polling = new Promise<void>((resolve) => (resumePolling = resolve));
    },
    stop: async () => {
      stopped = true;
      wakeAll();
      await Promise.allSettled(running);
      sqs.destroy();
    },
  };
};
