// The sandbox's EventBridge: answers PutEvents (the JSON protocol the SDK speaks), matches each event
// against the rules in shared/events/rules.ts (the ones CDK deploys) and delivers it to the rule's queue.
// Like EventBridge, an accepted event is retried until its target takes it (with backoff), so SQS being
// down delays routing but loses nothing; deliveries still waiting are kept in a file under the sandbox
// directory (bus-pending.json) when they fail and when the sandbox stops, and delivered after the next start.
// Each delivery is one message, as EventBridge sends it; the deliveries to one queue that are ready together go
// in one SendMessageBatch, which spares the sandbox's one process a request a message (the SQS emulator runs in it).
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { loadConfig } from '#shared/config/load-config.ts';
import { EVENT_BUS_NAME } from '#shared/events/bus-definition.ts';
import { busRules } from '#shared/events/rules.ts';
import { matchesPattern } from './event-pattern.ts';

type Entry = { Source?: string; DetailType?: string; Detail?: string; EventBusName?: string; Resources?: string[]; Time?: number | string };

export type LocalEventBus = {
  endpoint: string;
  /** Deliveries accepted but not yet taken by their target. */
  pending(): number;
  /** Deliveries whose target refused them at least once, being retried. */
  retrying(): number;
  /** Deliveries the pending file gave back at start. */
  restored: number;
  running(): boolean;
  stop(): Promise<void>;
};

type Delivery = { queue: string; body: string };

const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 5_000;

/** SQS's limits for one SendMessageBatch: ten messages, 1 MiB in all (kept under, for the request's own bytes). */
const BATCH_MESSAGES = 10;
const BATCH_BYTES = 900 * 1024;

/** The deliveries in groups one SendMessageBatch each: the same queue, in order, within SQS's limits. */
export const sendBatches = <T extends Delivery>(deliveries: readonly T[]): T[][] => {
  const batches: T[][] = [];
  const open = new Map<string, { batch: T[]; bytes: number }>();
  for (const delivery of deliveries) {
    const bytes = Buffer.byteLength(delivery.body);
    let current = open.get(delivery.queue);
    if (!current || current.batch.length === BATCH_MESSAGES || current.bytes + bytes > BATCH_BYTES) {
      current = { batch: [], bytes: 0 };
      open.set(delivery.queue, current);
      batches.push(current.batch);
    }
    current.batch.push(delivery);
    current.bytes += bytes;
  }
  return batches;
};

const readPending = (file: string | undefined): Delivery[] => {
  if (!file || !existsSync(file)) return [];
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Delivery[];
  } catch {
    return [];
  }
};

export const startLocalEventBus = async (options: {
  region: string;
  /** The SQS emulator (the bus starts before the handlers' endpoint variables are set). */
  sqsEndpoint: string;
  queueUrl: (name: string) => string;
  /** Where deliveries still waiting are kept across restarts. */
  pendingFile?: string;
  log?: (line: string) => void;
}): Promise<LocalEventBus> => {
  const sqs = new SQSClient({ region: options.region, endpoint: options.sqsEndpoint, maxAttempts: 1 });
  const timers = new Set<NodeJS.Timeout>();
  /** Every delivery not yet taken, in flight or waiting to be retried. */
  const waiting = new Set<Delivery>();
  const retrying = new Set<Delivery>();
  const sending = new Set<Promise<unknown>>();
  let stopped = false;
  // The rules CDK deploys for this configuration: the desk's own and the webhooks'.
  const rules = busRules(loadConfig());

  /** Written when the set of failed deliveries changes (rare: an outage) and at stop. */
  const save = () => {
    if (!options.pendingFile) return;
    writeFileSync(`${options.pendingFile}.tmp`, JSON.stringify([...waiting]));
    renameSync(`${options.pendingFile}.tmp`, options.pendingFile);
  };

  /** Deliveries ready to go, sent together at the end of the current turn of the event loop. */
  let outbox: { delivery: Delivery; attempt: number }[] = [];

  const retryLater = (delivery: Delivery, attempt: number, error: string) => {
    if (stopped) return;
    if (attempt === 0) options.log?.(`! bus → ${delivery.queue}: ${error}; retrying until it is back`);
    if (!retrying.has(delivery)) {
      retrying.add(delivery);
      save();
    }
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        deliver(delivery, attempt + 1);
      },
      Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt),
    );
    timers.add(timer);
  };

  const delivered = (delivery: Delivery) => {
    waiting.delete(delivery);
    if (retrying.delete(delivery)) save();
  };

  const flush = () => {
    const ready = outbox;
    outbox = [];
    if (stopped) return;
    for (const batch of sendBatches(ready.map(({ delivery, attempt }) => ({ ...delivery, delivery, attempt })))) {
      const sent = sqs
        .send(
          new SendMessageBatchCommand({
            QueueUrl: options.queueUrl(batch[0]!.queue),
            Entries: batch.map(({ body }, index) => ({ Id: String(index), MessageBody: body })),
          }),
        )
        .then(
          ({ Failed = [] }) => {
            const failed = new Map(Failed.map((failure) => [failure.Id, failure.Message ?? failure.Code ?? 'refused']));
            batch.forEach(({ delivery, attempt }, index) => {
              const refusal = failed.get(String(index));
              if (refusal === undefined) delivered(delivery);
              else retryLater(delivery, attempt, refusal);
            });
          },
          (error: Error) => {
            for (const { delivery, attempt } of batch) retryLater(delivery, attempt, error.message);
          },
        );
      sending.add(sent);
      void sent.finally(() => sending.delete(sent));
    }
  };

  const deliver = (delivery: Delivery, attempt = 0): void => {
    if (stopped) return;
    waiting.add(delivery);
    if (outbox.length === 0) setImmediate(flush);
    outbox.push({ delivery, attempt });
  };

  const putEvents = (entries: Entry[]) =>
    entries.map((entry) => {
      const bus = entry.EventBusName?.split('/').pop() ?? 'default';
      if (bus !== EVENT_BUS_NAME) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail ?? '');
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      }
      if (!entry.Source || !entry.DetailType || typeof detail !== 'object' || detail === null || Array.isArray(detail))
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and an object Detail are required.' };
      const id = randomUUID();
      const time = entry.Time === undefined ? new Date() : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
      const event = {
        version: '0',
        id,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: '000000000000',
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: options.region,
        resources: entry.Resources ?? [],
        detail,
      };
      const body = JSON.stringify(event);
      for (const rule of rules) if (matchesPattern(rule.pattern, event)) deliver({ queue: rule.queue, body });
      return { EventId: id };
    });

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      if (request.headers['x-amz-target'] !== 'AWSEvents.PutEvents')
        return reply(400, { __type: 'UnknownOperationException', message: `The sandbox bus answers PutEvents only.` });
      let input: { Entries?: Entry[] };
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: Entry[] };
      } catch {
        return reply(400, { __type: 'SerializationException', message: 'Body is not JSON.' });
      }
      const entries = input.Entries ?? [];
      if (entries.length === 0 || entries.length > 10)
        return reply(400, { __type: 'ValidationException', message: 'Entries must hold 1 to 10 entries.' });
      const results = putEvents(entries);
      reply(200, { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  // What was waiting when the sandbox last stopped goes out first.
  const saved = readPending(options.pendingFile);
  for (const delivery of saved) deliver(delivery);
  let listening = true;
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pending: () => waiting.size,
    retrying: () => retrying.size,
    restored: saved.length,
    running: () => listening,
    stop: async () => {
      // No new events; what is on its way to SQS arrives or stays in the file.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      listening = false;
      // What is ready goes now, so that the wait below covers it.
      flush();
      await Promise.allSettled([...sending]);
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      save();
      sqs.destroy();
    },
  };
};
