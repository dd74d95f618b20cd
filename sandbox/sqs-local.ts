// SQS in the sandbox: local-aws-sqs (JSON protocol, redrive to a dead-letter queue after maxReceiveCount,
// StartMessageMoveTask), with the queues from shared/events/queues.ts and their real visibility timeouts, dead-lettering
// into the same two shared queues as in AWS (each dead letter keeps its queue's ARN, DeadLetterQueueSourceArn).
// Its state lives in this process, so the server can stop listening and start again on the same port: that
// is how the sandbox shows SQS being down. What the queues hold is also written to a journal under the
// sandbox directory (sqs-journal.ndjson), so a restart finds every waiting message and dead letter again.
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, type WriteStream, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname } from 'node:path';
import { createRequestHandler } from 'local-aws-sqs';
import { DEAD_LETTER_QUEUES, deadLetterQueueName, QUEUES } from '#shared/events/queues.ts';
import { freePort } from './support.ts';

const ACCOUNT = '000000000000';

export type LocalSqs = {
  endpoint: string;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /** Messages the shared dead-letter queues hold, by the queue each was dead-lettered from (every queue, 0 or more). */
  deadLetters(): Record<string, number>;
  /** Messages the journal gave back at start, by queue (dead-letter queues included). */
  restored: Readonly<Record<string, number>>;
  /**
   * Resolves when a message is next put on the queue (or after `timeoutMs`): what a long poll waits for. The
   * pollers wait on it instead of asking an empty queue again and again; a message whose visibility timeout
   * ran out is found by the next ask after the timeout.
   */
  arrival(queue: string, timeoutMs: number): Promise<void>;
  running(): boolean;
  setRunning(running: boolean): Promise<void>;
  stop(): Promise<void>;
};

/** The part of local-aws-sqs's Queue the journal follows (public members of its class, version 2.0.2). */
type EmulatedQueue = {
  QueueName: string;
  MessageRetentionPeriod: number;
  setRecord: (input: SetRecordInput, messageId?: string) => unknown;
  delete: (receiptHandle: string) => boolean;
  clearRecords: () => void;
};
type SystemAttributes = Record<string, { DataType: string; StringValue: string }>;
type SetRecordInput = { MessageBody: string; MessageAttributes?: unknown; MessageSystemAttributes?: SystemAttributes };
/** What setRecord returns for a standard queue: the emulator's own entry, which it updates on every receive. */
type Entry = { record: { MessageId: string; MessageBody: string; attributes: Record<string, string> } };

/** One message as the journal keeps it. */
type Kept = { body: string; system?: SystemAttributes; sent: string; receives: string };
type JournalLine =
  | ({ op: 'add'; queue: string; id: string } & Kept)
  | { op: 'delete'; queue: string; id: string }
  | { op: 'clear'; queue: string };

/** The message id inside a receipt handle: local-aws-sqs encodes a random prefix and a JSON object in base64. */
const messageIdOf = (receiptHandle: string): string | undefined => {
  try {
    const text = Buffer.from(receiptHandle, 'base64').toString('utf8');
    return (JSON.parse(text.slice(text.indexOf('{'))) as { MessageId?: string }).MessageId;
  } catch {
    return undefined;
  }
};

/** Replays a journal into what each queue holds now (the file's lines in order; a torn last line is skipped). */
const replay = (file: string): Map<string, Map<string, Kept>> => {
  const queues = new Map<string, Map<string, Kept>>();
  if (!existsSync(file)) return queues;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    let entry: JournalLine;
    try {
      entry = JSON.parse(line) as JournalLine;
    } catch {
      continue;
    }
    const held = queues.get(entry.queue) ?? new Map<string, Kept>();
    queues.set(entry.queue, held);
    if (entry.op === 'add')
      held.set(entry.id, {
        body: entry.body,
        sent: entry.sent,
        receives: entry.receives,
        ...(entry.system ? { system: entry.system } : {}),
      });
    else if (entry.op === 'delete') held.delete(entry.id);
    else held.clear();
  }
  return queues;
};

/** A journal of adds and deletes, compacted into what is held at start, at stop and when it grows long. */
const openJournal = (file: string, snapshot: () => JournalLine[], live: () => number) => {
  mkdirSync(dirname(file), { recursive: true });
  let stream: WriteStream | undefined;
  let lines = 0;
  let compacting = false;
  const compact = () => {
    const live = snapshot();
    writeFileSync(`${file}.tmp`, live.map((line) => `${JSON.stringify(line)}\n`).join(''));
    renameSync(`${file}.tmp`, file);
    lines = live.length;
  };
  const open = () => {
    stream = createWriteStream(file, { flags: 'a' });
  };
  const close = () =>
    new Promise<void>((resolve) => {
      if (!stream) return resolve();
      stream.end(() => resolve());
      stream = undefined;
    });
  return {
    start: () => {
      compact();
      open();
    },
    write: (line: JournalLine) => {
      if (!stream) return;
      stream.write(`${JSON.stringify(line)}\n`);
      // Rewritten once it holds far more history than messages (a busy day's sends and deletes). What is
      // written while the file is rewritten is in the snapshot the rewrite takes.
      if (++lines > 20_000 + 10 * live() && !compacting) {
        compacting = true;
        void close().then(() => {
          compact();
          open();
          compacting = false;
        });
      }
    },
    /** Flushes, then writes what is held now, with each message's receive count. */
    stop: async () => {
      await close();
      compact();
    },
  };
};

export const startLocalSqs = async (
  region: string,
  options: {
    /** The journal file; without one, nothing is kept across restarts. */
    journalFile?: string;
    /** Visibility timeouts are the queues' own times this (1 unless a test shortens them); at least 1 s. */
    timeScale?: number;
  } = {},
): Promise<LocalSqs> => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const queueArn = (name: string) => `arn:aws:sqs:${region}:${ACCOUNT}:${name}`;
  const scale = options.timeScale ?? 1;
  const { requestHandler, service } = createRequestHandler({
    port,
    hostname: '127.0.0.1',
    region,
    accountId: ACCOUNT,
    emulateQueueCreationLifecycle: false,
    queues: [
      ...DEAD_LETTER_QUEUES.map((name) => ({ QueueName: name, Attributes: { MessageRetentionPeriod: 14 * 86_400 } })),
      ...QUEUES.map((queue) => ({
        QueueName: queue.name,
        Attributes: {
          VisibilityTimeout: Math.max(1, Math.round(queue.visibilityTimeoutSeconds * scale)),
          RedrivePolicy: JSON.stringify({
            maxReceiveCount: queue.maxReceiveCount,
            deadLetterTargetArn: queueArn(deadLetterQueueName(queue)),
          }),
        },
      })),
    ],
  });

  // What each queue holds, by message id: the emulator's own entries (their receive counts stay current).
  const held = new Map<string, Map<string, Entry>>();
  const waiters = new Map<string, Set<() => void>>();
  const arrived = (queue: string) => {
    const waiting = waiters.get(queue);
    if (!waiting) return;
    waiters.delete(queue);
    for (const wake of waiting) wake();
  };
  const queues = service.Queues as unknown as EmulatedQueue[];
  const keptOf = (entry: Entry): Kept => {
    const { attributes } = entry.record;
    const system = attributes.DeadLetterQueueSourceArn
      ? { DeadLetterQueueSourceArn: { DataType: 'String', StringValue: attributes.DeadLetterQueueSourceArn } }
      : undefined;
    return {
      body: entry.record.MessageBody,
      sent: attributes.SentTimestamp ?? String(Date.now()),
      receives: attributes.ApproximateReceiveCount ?? '0',
      ...(system ? { system } : {}),
    };
  };
  const journal = options.journalFile
    ? openJournal(
        options.journalFile,
        () =>
          [...held].flatMap(([queue, entries]) => [...entries].map(([id, entry]) => ({ op: 'add' as const, queue, id, ...keptOf(entry) }))),
        () => [...held.values()].reduce((sum, entries) => sum + entries.size, 0),
      )
    : undefined;
  const saved = options.journalFile ? replay(options.journalFile) : new Map<string, Map<string, Kept>>();

  for (const queue of queues) {
    const entries = new Map<string, Entry>();
    held.set(queue.QueueName, entries);
    const setRecord = queue.setRecord.bind(queue);
    const remove = queue.delete.bind(queue);
    const clear = queue.clearRecords.bind(queue);
    queue.setRecord = (input, messageId) => {
      const entry = setRecord(input, messageId) as Entry;
      const id = entry.record.MessageId;
      // A message moved here by its queue's redrive policy keeps its id: it has left the queue it came from.
      if (messageId)
        for (const [name, others] of held)
          if (name !== queue.QueueName && others.delete(id)) journal?.write({ op: 'delete', queue: name, id });
      entries.set(id, entry);
      journal?.write({ op: 'add', queue: queue.QueueName, id, ...keptOf(entry) });
      arrived(queue.QueueName);
      return entry;
    };
    queue.delete = (receiptHandle) => {
      const done = remove(receiptHandle);
      const id = messageIdOf(receiptHandle);
      if (id && entries.delete(id)) journal?.write({ op: 'delete', queue: queue.QueueName, id });
      return done;
    };
    queue.clearRecords = () => {
      clear();
      entries.clear();
      journal?.write({ op: 'clear', queue: queue.QueueName });
    };
  }

  // Put back what the journal held, with its send time and receive count (so dead-lettering counts on).
  const restored: Record<string, number> = {};
  for (const queue of queues) {
    const now = Date.now();
    for (const [id, kept] of saved.get(queue.QueueName) ?? []) {
      if (now - Number(kept.sent) > queue.MessageRetentionPeriod * 1000) continue;
      const entry = queue.setRecord(
        { MessageBody: kept.body, ...(kept.system ? { MessageSystemAttributes: kept.system } : {}) },
        id,
      ) as Entry;
      entry.record.attributes.SentTimestamp = kept.sent;
      entry.record.attributes.ApproximateReceiveCount = kept.receives;
      restored[queue.QueueName] = (restored[queue.QueueName] ?? 0) + 1;
    }
  }
  journal?.start();

  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((request, response) => void requestHandler(request, response));
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
      server = undefined;
    });
  await listen();
  return {
    endpoint,
    queueUrl: (name) => `${endpoint}/${ACCOUNT}/${name}`,
    queueArn,
    restored,
    deadLetters: () => {
      const counts = Object.fromEntries(QUEUES.map((queue) => [queue.name, 0]));
      for (const name of DEAD_LETTER_QUEUES)
        for (const entry of held.get(name)?.values() ?? []) {
          const source = entry.record.attributes.DeadLetterQueueSourceArn?.split(':').at(-1);
          if (source !== undefined && source in counts) counts[source] = (counts[source] ?? 0) + 1;
        }
      return counts;
    },
    arrival: (queue, timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          waiters.get(queue)?.delete(wake);
          resolve();
        }, timeoutMs);
        timer.unref();
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.set(queue, (waiters.get(queue) ?? new Set()).add(wake));
      }),
    running: () => server !== undefined,
    setRunning: async (running) => {
      if (running && !server) await listen();
      if (!running && server) await close();
    },
    stop: async () => {
      await close();
      await journal?.stop();
    },
  };
};
