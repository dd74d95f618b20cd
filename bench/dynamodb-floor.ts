// `npm run bench -- dynamodb-floor`: DynamoDB Local's own CPU for one request of each kind a ticket's pipeline
// sends, one at a time, on an in-process sandbox's table (DynamoDB Local as `npm start` runs it: data on disk,
// the full JIT, its heap bound). The floor under issue 11's CPU a ticket: what the requests cost in Java before
// any Node work. Prints a table; docs/performance.md quotes it by hand.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startSandbox } from '#sandbox/sandbox.ts';

const WARMUP = 500;
const RUNS = 3_000;

/** CPU time (user + system) of a process so far, in milliseconds, from /proc. */
const cpuMs = (pid: number, tickMs: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * tickMs;
};

export const measureDynamoDbFloor = async (log: (line: string) => void): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-floor-'));
  const sandbox = await startSandbox({ port: 0, dir, schedules: false });
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: sandbox.dynamoDbEndpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  try {
    const java = Number(
      spawnSync('pgrep', ['-P', String(process.pid), 'java'], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n')[0],
    );
    const tickMs = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);
    const TableName = sandbox.tableName;
    const item = (n: number) => ({ pk: `FLOOR#${n % 200}`, sk: 'ITEM', n, text: 'x'.repeat(400) });
    await client.send(new PutCommand({ TableName, Item: item(0) }));
    const kinds: [string, (n: number) => Promise<unknown>][] = [
      ['GetItem, consistent', () => client.send(new GetCommand({ TableName, Key: { pk: 'FLOOR#0', sk: 'ITEM' }, ConsistentRead: true }))],
      [
        'Query, one partition',
        () =>
          client.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'FLOOR#0' } })),
      ],
      ['PutItem', (n) => client.send(new PutCommand({ TableName, Item: item(n) }))],
      [
        'UpdateItem, conditional ADD',
        () =>
          client.send(
            new UpdateCommand({
              TableName,
              Key: { pk: 'FLOOR#0', sk: 'ITEM' },
              UpdateExpression: 'ADD n :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': 1 },
            }),
          ),
      ],
      [
        'TransactWriteItems, two puts',
        (n) =>
          client.send(
            new TransactWriteCommand({
              TransactItems: [{ Put: { TableName, Item: item(n) } }, { Put: { TableName, Item: { ...item(n), sk: 'OTHER' } } }],
            }),
          ),
      ],
    ];
    const rows: string[] = [];
    for (const [name, send] of kinds) {
      log(`${name}…`);
      for (let n = 0; n < WARMUP; n++) await send(n);
      const cpu = cpuMs(java, tickMs);
      const began = performance.now();
      for (let n = 0; n < RUNS; n++) await send(n);
      rows.push(
        `| ${name} | ${((cpuMs(java, tickMs) - cpu) / RUNS).toFixed(2)} ms | ${((performance.now() - began) / RUNS).toFixed(2)} ms |`,
      );
    }
    return [
      `DynamoDB Local's CPU a request, one request at a time (${RUNS} each after ${WARMUP} to warm up; \`npm run bench -- dynamodb-floor\`):`,
      '',
      '| request | DynamoDB Local CPU | wall |',
      '| --- | --- | --- |',
      ...rows,
    ].join('\n');
  } finally {
    client.destroy();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
