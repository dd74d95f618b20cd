// The sandbox's event source mapping for the table's stream: reads DynamoDB Local's stream shard by shard,
// four times a second as Lambda does, and calls the stream handler with real DynamoDBStreamEvent batches, as Lambda does. A batch that reports
// failures is retried from the first failed record (with backoff); after the retries it is set aside as
// Lambda's on-failure destination would, and reading goes on. Positions are kept in a checkpoint file, so a
// restart loses no events and a clean stop replays none (the file is written off the event loop, the newest
// position after the one being written; a crash may replay the last batches, which the consumers take once, as
// Lambda's at-least-once delivery may); what was set aside is kept in a file beside it (the health check
// reports it until someone deals with it, and the sweeper finds the tickets it concerns).

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { invokeLocally } from './lambda-context.ts';

type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | undefined>;

export type StreamPoller = {
  /** Batches set aside after their retries (what the on-failure destination would hold). */
  failures(): { shardId: string; firstSequenceNumber: string; lastSequenceNumber: string; reason: string }[];
  /** Says the table was just written: the stream is read as soon as POLL_MS since the last read allows. */
  nudge(): void;
  stop(): Promise<void>;
};

const MAX_RETRIES = 5;
/**
 * Lambda's event source mapping reads each shard about four times a second; so does this, reading again at once only
 * after a full page. (Reading again at once after any records cost DynamoDB Local about three GetRecords and
 * publish-events three invocations a ticket in a burst, each with a few records: docs/performance.md.)
 */
const POLL_MS = 250;
/**
 * With nothing written since the last read, the next waits this long, or until a write is announced (`nudge`: the
 * sandbox announces every write of the functions' DynamoDB client). A writer outside the sandbox's process (the AWS
 * CLI, the import tool) is read within this time; an idle sandbox reads its stream every two seconds, not four
 * times a second, which is DynamoDB Local's CPU while idle.
 */
const IDLE_POLL_MS = 2_000;
/** GetRecords returns at most this many records a call. */
const PAGE = 100;
/** The shard list is read again this often (and when a shard ends): DynamoDB Local opens a new shard every few hours. */
const DESCRIBE_EVERY_MS = 10_000;

/**
 * Keeps a file holding the newest text given, without holding up the event loop: one write at a time, and the
 * newest text next (those in between are never written). Each write goes to a temporary file that is renamed over
 * the file, so a crash leaves the previous or the new content, never a torn one.
 */
const latestTextFile = (file: string, onError: (error: Error) => void) => {
  let next: string | undefined;
  let writing: Promise<void> | undefined;
  const drain = async () => {
    while (next !== undefined) {
      const text = next;
      next = undefined;
      try {
        await writeFile(`${file}.next`, text);
        await rename(`${file}.next`, file);
      } catch (error) {
        // The next position written replaces this one; until then a restart reads on from the last one kept.
        onError(error as Error);
      }
    }
    writing = undefined;
  };
  return {
    save: (text: string) => {
      next = text;
      writing ??= drain();
    },
    /** Resolves once the newest text is in the file. */
    flushed: async () => {
      await writing;
    },
  };
};

const toLambdaRecord = (record: _Record, region: string, streamArn: string): DynamoDBRecord =>
  ({
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...record.dynamodb,
      ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
        ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
        : undefined,
    },
  }) as DynamoDBRecord;

export const startStreamPoller = async (options: {
  endpoint: string;
  region: string;
  tableName: string;
  checkpointFile: string;
  /** Where the batches set aside are kept. */
  failuresFile: string;
  handler: () => Promise<StreamHandler>;
  log?: (line: string) => void;
}): Promise<StreamPoller> => {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ endpoint: options.endpoint, region: options.region, credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: options.region, credentials });
  const table = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);

  const checkpoints: Record<string, string> = existsSync(options.checkpointFile)
    ? (JSON.parse(readFileSync(options.checkpointFile, 'utf8')) as Record<string, string>)
    : {};
  const checkpointFile = latestTextFile(options.checkpointFile, (error) =>
    options.log?.(`! stream poller: the position was not kept: ${error.message}`),
  );
  const iterators = new Map<string, string>();
  const finished = new Set<string>();
  const failures: ReturnType<StreamPoller['failures']> = existsSync(options.failuresFile)
    ? (JSON.parse(readFileSync(options.failuresFile, 'utf8')) as ReturnType<StreamPoller['failures']>)
    : [];
  let stopped = false;
  let busy: Promise<void> = Promise.resolve();

  const iteratorFor = async (shard: Shard): Promise<string | undefined> => {
    const checkpoint = checkpoints[shard.ShardId!];
    const result = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ...(checkpoint
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: checkpoint }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return result.ShardIterator;
  };

  /** Hands a batch to the handler until it succeeds or runs out of retries. */
  const deliver = async (shardId: string, records: _Record[]) => {
    let batch = records;
    for (let attempt = 0; batch.length > 0; attempt++) {
      const event: DynamoDBStreamEvent = { Records: batch.map((record) => toLambdaRecord(record, options.region, streamArn)) };
      let failedFrom: string | undefined;
      let reason = '';
      try {
        const handler = await options.handler();
        const response = await invokeLocally('publish-events', randomUUID(), 60_000, (context) => handler(event, context));
        failedFrom = response?.batchItemFailures?.[0]?.itemIdentifier;
        reason = 'the handler reported a failed record';
      } catch (error) {
        failedFrom = batch[0]!.dynamodb!.SequenceNumber;
        reason = (error as Error).message;
      }
      if (!failedFrom) return;
      const index = batch.findIndex((record) => record.dynamodb?.SequenceNumber === failedFrom);
      batch = index >= 0 ? batch.slice(index) : batch;
      if (attempt >= MAX_RETRIES) {
        failures.push({
          shardId,
          firstSequenceNumber: batch[0]!.dynamodb!.SequenceNumber!,
          lastSequenceNumber: batch.at(-1)!.dynamodb!.SequenceNumber!,
          reason,
        });
        writeFileSync(options.failuresFile, JSON.stringify(failures));
        options.log?.(`! stream: ${batch.length} record(s) set aside after ${MAX_RETRIES} retries: ${reason}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** attempt)));
      if (stopped) throw new Error('stopped');
    }
  };

  let shards: Shard[] = [];
  let describedAt = 0;
  /** True when a shard returned a full page (more is waiting). */
  const pollOnce = async (): Promise<boolean> => {
    if (shards.length === 0 || Date.now() - describedAt > DESCRIBE_EVERY_MS) {
      shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];
      describedAt = Date.now();
    }
    let full = false;
    for (const shard of shards) {
      const shardId = shard.ShardId!;
      if (finished.has(shardId)) continue;
      // Children wait for their parent to be read to its end, so order is kept across shard splits.
      if (shard.ParentShardId && shards.some((s) => s.ShardId === shard.ParentShardId) && !finished.has(shard.ParentShardId)) continue;
      const iterator = iterators.get(shardId) ?? (await iteratorFor(shard));
      if (!iterator) {
        finished.add(shardId);
        continue;
      }
      let result: GetRecordsCommandOutput;
      try {
        result = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: PAGE }));
      } catch (error) {
        if ((error as Error).name !== 'ExpiredIteratorException') throw error;
        iterators.delete(shardId);
        continue;
      }
      const records = result.Records ?? [];
      if (records.length >= PAGE) full = true;
      if (records.length > 0) {
        await deliver(shardId, records);
        checkpoints[shardId] = records.at(-1)!.dynamodb!.SequenceNumber!;
        checkpointFile.save(JSON.stringify(checkpoints));
      }
      if (result.NextShardIterator) iterators.set(shardId, result.NextShardIterator);
      else {
        iterators.delete(shardId);
        finished.add(shardId);
        // Its children are in the next list.
        describedAt = 0;
      }
    }
    return full;
  };

  /** A write was announced since the last read began; `wake` ends an idle wait early. */
  let written = false;
  let wake: (() => void) | undefined;
  const idleWait = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, IDLE_POLL_MS - POLL_MS);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  let down = false;
  const loop = async () => {
    while (!stopped) {
      let full = false;
      written = false;
      try {
        busy = pollOnce().then((wasFull) => {
          full = wasFull;
        });
        await busy;
      } catch (error) {
        // DynamoDB Local restarted or unreachable: read on from the checkpoints once it answers again.
        iterators.clear();
        describedAt = 0;
        if (!stopped && !down) options.log?.(`! stream poller: ${(error as Error).message}`);
        down = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (down && !stopped) options.log?.('  stream poller: reading again');
      down = false;
      if (!full) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (!written && !stopped) await idleWait();
      }
    }
  };
  void loop();

  return {
    failures: () => [...failures],
    nudge: () => {
      written = true;
      wake?.();
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await busy.catch(() => undefined);
      await checkpointFile.flushed();
      dynamo.destroy();
      streams.destroy();
    },
  };
};
