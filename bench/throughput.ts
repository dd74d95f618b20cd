// How many tickets the sandbox fully processes a second: filed over the API by N concurrent requesters
// (closed loop: each files its next ticket as soon as the last one is answered), then stored, routed,
// acknowledged and counted by the sandbox's pipeline (stream → bus → queues → consumers). The sandbox runs in a
// process of its own, as `npm start` runs it, so its CPU time (Node and DynamoDB Local's Java, from /proc) and
// its memory are the sandbox's alone; this process only sends requests and reads the results afterwards.
//
// A ticket is fully processed when it is assigned (its Assigned event), its requester's acknowledgement is
// recorded as sent (its NOTIFIED claim) and its TicketCreated and Assigned events are counted (their STATSEVENT
// markers). Each is read from the table once the pipeline has drained; a claim or marker carries its time only
// to the second (its TTL), so per-ticket completion is to the second, and the create → assignment times
// (history events) to the millisecond.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SANDBOX_NODE_ARGS } from '#sandbox/node-args.ts';
import { CLAIM_SPACES } from '#shared/adapters/claim-store.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { percentile } from './stats.ts';

/** Subjects that reach every team (the default configuration's keywords), in turn. */
const SUBJECTS = [
  'Wi-Fi di perpustakaan tidak bisa terhubung',
  'Proyektor di ruang 12 tidak menyala',
  'Lupa password e-Rapor',
  'Pembayaran SPP bulan ini belum tercatat',
  'Legalisir ijazah untuk pendaftaran kuliah',
  'AC di ruang kelas XI-2 bocor',
  'Pertanyaan tentang jadwal ujian',
  'Question about next week',
];

export type ThroughputRun = {
  concurrency: number;
  tickets: number;
  /** Answers other than 201 (by status), each a ticket not filed. */
  refused: Record<string, number>;
  createSeconds: number;
  processSeconds: number;
  /** Create → assignment (history times), ms. */
  assignment: { p50: number; p95: number; max: number };
  /** Share of tickets assigned more than 5 s / 60 s after they were filed. */
  assignedLate: { over5s: number; over60s: number };
  /** CPU seconds of the sandbox's Node process and of DynamoDB Local while the run lasted (filing to drained). */
  cpu: { node: number; java: number };
  /** Tickets not fully processed once drained: not assigned, not acknowledged, not counted. */
  incomplete: { unassigned: number; unacknowledged: number; uncounted: number };
};

export type ThroughputFigures = {
  runs: ThroughputRun[];
  /** Resident memory of the sandbox's processes after every run, MiB. */
  memory: { node: number; java: number; afterTickets: number };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** utime + stime of a process, in seconds (Linux /proc; clock ticks are 100 a second there). */
const cpuSeconds = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

type Health = {
  emulators: {
    dynamodb: { endpoint: string; table: string };
    sqs: { queues: Record<string, { visible: number; inFlight: number }> };
    eventbridge: { pendingDeliveries: number };
  };
};

/** The sandbox as `npm start` runs it, on free ports, in a directory of its own. */
const startSandbox = async (dir: string): Promise<{ url: string; child: ChildProcess; java: number; stop: () => Promise<void> }> => {
  const child = spawn(process.execPath, [...SANDBOX_NODE_ARGS, 'sandbox/start.ts'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: '0',
      MAIL_VIEWER_PORT: '0',
      SMTP_PORT: '0',
      CONSOLE_PORT: '0',
      CONSOLE_BUILD: 'skip',
      SANDBOX_DIR: dir,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let waited = 0; !/API\s+http:\/\/localhost:\d+/.test(output); waited += 100) {
    if (waited > 90_000 || child.exitCode !== null) throw new Error(`the sandbox did not start: ${output}`);
    await sleep(100);
  }
  const url = /API\s+(http:\/\/localhost:\d+)/.exec(output)![1]!;
  const java = Number(
    spawnSync('pgrep', ['-P', String(child.pid), 'java'], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')[0],
  );
  return {
    url,
    child,
    java,
    stop: async () => {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(force);
    },
  };
};

const idle = (health: Health) =>
  health.emulators.eventbridge.pendingDeliveries === 0 &&
  Object.values(health.emulators.sqs.queues).every((queue) => queue.visible + queue.inFlight === 0);

/** Each ticket's completion, read from the table: assignment (ms), acknowledgement and counting (s). */
const completionOf = async (documents: DynamoDBDocumentClient, table: string, ids: string[]) => {
  const tickets: { id: string; createdAt: number; assignedAt?: number; created?: string; assigned?: string }[] = [];
  for (let start = 0; start < ids.length; start += 20)
    tickets.push(
      ...(await Promise.all(
        ids.slice(start, start + 20).map(async (id) => {
          const { Items = [] } = await documents.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
              ExpressionAttributeValues: { ':pk': `TICKET#${id}`, ':event': 'EVENT#' },
            }),
          );
          const created = Items.find((item) => item.type === 'TicketCreated');
          const assigned = Items.find((item) => item.type === 'Assigned');
          return {
            id,
            createdAt: Date.parse(String(created?.at)),
            ...(assigned ? { assignedAt: Date.parse(String(assigned.at)), assigned: String(assigned.id) } : {}),
            ...(created ? { created: String(created.id) } : {}),
          };
        }),
      )),
    );
  const keys = tickets.flatMap((ticket) => [
    ...(ticket.created ? [`NOTIFIED#${ticket.created}`, `STATSEVENT#${ticket.created}`] : []),
    ...(ticket.assigned ? [`STATSEVENT#${ticket.assigned}`] : []),
  ]);
  // When each claim or marker was written: its TTL less its claim space's time to live.
  const writtenAt = new Map<string, number>();
  for (let start = 0; start < keys.length; start += 100) {
    const chunk = keys.slice(start, start + 100);
    const result = await documents.send(
      new BatchGetCommand({
        RequestItems: {
          [table]: { Keys: chunk.map((pk) => ({ pk, sk: pk.split('#')[0] })), ProjectionExpression: 'pk, expiresAt, lockedUntil' },
        },
      }),
    );
    for (const item of result.Responses?.[table] ?? []) {
      if (item.lockedUntil !== undefined) continue;
      const ttl = String(item.pk).startsWith('NOTIFIED#') ? CLAIM_SPACES.notification.ttlSeconds : CLAIM_SPACES.statsEvent.ttlSeconds;
      writtenAt.set(String(item.pk), (Number(item.expiresAt) - ttl) * 1000);
    }
  }
  return tickets.map((ticket) => {
    const acknowledged = ticket.created ? writtenAt.get(`NOTIFIED#${ticket.created}`) : undefined;
    const counted = [ticket.created, ticket.assigned].map((id) => (id ? writtenAt.get(`STATSEVENT#${id}`) : undefined));
    return {
      ...ticket,
      acknowledged,
      counted: counted.every((at) => at !== undefined) ? Math.max(...(counted as number[])) : undefined,
    };
  });
};

/** One run: `tickets` filed by `concurrency` requesters at once, then the pipeline drained and read. */
const runOnce = async (
  sandbox: { url: string; child: ChildProcess; java: number },
  documents: DynamoDBDocumentClient,
  table: string,
  options: { concurrency: number; tickets: number; label: string; log: (line: string) => void },
): Promise<ThroughputRun> => {
  const call = async (path: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  };
  // Every requester gets as many tickets as both hourly limits allow, so each ticket is filed and acknowledged.
  const { limits } = loadConfig();
  const perRequester = Math.min(limits.ticketsPerRequesterPerHour, limits.acknowledgementsPerSenderPerHour);
  const tokens: string[] = [];
  for (let start = 0; start * perRequester < options.tickets; start += 20)
    tokens.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(20, Math.ceil(options.tickets / perRequester) - start) }, async (_, offset) => {
          const n = start + offset;
          const sub = `bench-${options.label}-${n}`;
          return String(
            (await call('/_local/token', { method: 'POST', body: { sub, email: `${sub}@example.org`, groups: ['requester'] } })).body.token,
          );
        }),
      )),
    );

  const ids: string[] = [];
  const refused: Record<string, number> = {};
  let next = 0;
  const cpuBefore = { node: cpuSeconds(sandbox.child.pid!), java: cpuSeconds(sandbox.java) };
  const started = Date.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.tickets) {
        const index = next++;
        const { status, body } = await call('/tickets', {
          method: 'POST',
          token: tokens[Math.floor(index / perRequester)],
          body: { subject: SUBJECTS[index % SUBJECTS.length] },
        });
        if (status === 201) ids.push(String(body.id));
        else refused[status] = (refused[status] ?? 0) + 1;
      }
    }),
  );
  const filed = Date.now();
  options.log(`  ${ids.length} filed in ${((filed - started) / 1000).toFixed(1)} s; waiting for the pipeline to drain…`);
  for (;;) {
    if (idle((await call('/_local/health')).body as unknown as Health)) break;
    // Seldom: a health check asks the emulators for every queue's depth, CPU the sandbox would count as the tickets'.
    await sleep(2_000);
  }
  const drained = Date.now();
  const cpuAfter = { node: cpuSeconds(sandbox.child.pid!), java: cpuSeconds(sandbox.java) };

  const done = await completionOf(documents, table, ids);
  const assignment = done.filter((ticket) => ticket.assignedAt !== undefined).map((ticket) => ticket.assignedAt! - ticket.createdAt);
  const complete = done.filter(
    (ticket) => ticket.assignedAt !== undefined && ticket.acknowledged !== undefined && ticket.counted !== undefined,
  );
  // The last completion, to the second: the assignment, the acknowledgement's claim or a marker, whichever came last.
  const lastDone = Math.max(...complete.map((ticket) => Math.max(ticket.assignedAt!, ticket.acknowledged!, ticket.counted!)));
  return {
    concurrency: options.concurrency,
    tickets: ids.length,
    refused,
    createSeconds: (filed - started) / 1000,
    processSeconds: (Math.min(drained, lastDone + 1000) - started) / 1000,
    assignment: { p50: percentile(assignment, 50), p95: percentile(assignment, 95), max: Math.max(...assignment) },
    assignedLate: {
      over5s: assignment.filter((value) => value > 5_000).length / ids.length,
      over60s: assignment.filter((value) => value > 60_000).length / ids.length,
    },
    cpu: { node: cpuAfter.node - cpuBefore.node, java: cpuAfter.java - cpuBefore.java },
    incomplete: {
      unassigned: done.filter((ticket) => ticket.assignedAt === undefined).length,
      unacknowledged: done.filter((ticket) => ticket.acknowledged === undefined).length,
      uncounted: done.filter((ticket) => ticket.counted === undefined).length,
    },
  };
};

/** Runs each step in turn on one sandbox (so the memory is after all of them), then stops it. */
export const measureThroughput = async (
  steps: { concurrency: number; tickets: number }[],
  log: (line: string) => void,
): Promise<ThroughputFigures> => {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-throughput-'));
  const sandbox = await startSandbox(dir);
  const stopping = () => void sandbox.stop().finally(() => rmSync(dir, { recursive: true, force: true }));
  process.once('SIGINT', stopping);
  try {
    const health = (await (await fetch(`${sandbox.url}/_local/health`)).json()) as Health;
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: health.emulators.dynamodb.endpoint,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    const runs: ThroughputRun[] = [];
    for (const [index, step] of steps.entries()) {
      log(`Filing ${step.tickets} tickets with ${step.concurrency} requesters at once…`);
      runs.push(await runOnce(sandbox, documents, health.emulators.dynamodb.table, { ...step, label: `r${index}`, log }));
    }
    documents.destroy();
    return {
      runs,
      memory: {
        node: rssMiB(sandbox.child.pid!),
        java: rssMiB(sandbox.java),
        afterTickets: runs.reduce((sum, run) => sum + run.tickets, 0),
      },
    };
  } finally {
    process.off('SIGINT', stopping);
    await sandbox.stop();
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
};

/** The targets for the sandbox (issue 11), shown beside each figure. */
const TARGETS = { perSecond: 50, p95AssignmentMs: 5_000, cpuMsPerTicket: 40, memoryMiB: 800 };

export const renderThroughput = (figures: ThroughputFigures, date: Date, seconds: number): string => {
  const rows = figures.runs.map((run) => {
    const cpuMs = ((run.cpu.node + run.cpu.java) / Math.max(1, run.tickets)) * 1000;
    const incomplete = run.incomplete.unassigned + run.incomplete.unacknowledged + run.incomplete.uncounted;
    return `| ${run.concurrency} | ${run.tickets} | ${(run.tickets / run.processSeconds).toFixed(1)} | ${(run.assignment.p95 / 1000).toFixed(1)} s | ${(run.assignedLate.over60s * 100).toFixed(0)}% | ${cpuMs.toFixed(0)} ms (Node ${((run.cpu.node / Math.max(1, run.tickets)) * 1000).toFixed(0)}, Java ${((run.cpu.java / Math.max(1, run.tickets)) * 1000).toFixed(0)}) | ${incomplete} |`;
  });
  const memory = figures.memory.node + figures.memory.java;
  return [
    `Measured ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench -- throughput\` (${seconds.toFixed(0)} s).`,
    '',
    `| requesters at once | tickets | fully processed / s (target ≥ ${TARGETS.perSecond}) | p95 create → assigned (≤ ${TARGETS.p95AssignmentMs / 1000} s) | assigned after > 60 s | CPU per ticket (≤ ${TARGETS.cpuMsPerTicket} ms) | not fully processed |`,
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Memory after ${figures.memory.afterTickets} tickets: ${memory.toFixed(0)} MiB resident (Node ${figures.memory.node.toFixed(0)}, DynamoDB Local ${figures.memory.java.toFixed(0)}; target ≤ ${TARGETS.memoryMiB}).`,
  ].join('\n');
};

const START = '<!-- throughput:start -->';
const END = '<!-- throughput:end -->';

/** Rewrites the throughput section of docs/performance.md (between its markers), or appends one. */
export const writeThroughputReport = (file: string, report: string): void => {
  const section = `${START}\n${report}\n${END}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  writeFileSync(
    file,
    start >= 0 && end > start ? `${text.slice(0, start)}${section}${text.slice(end + END.length)}` : `${text.trimEnd()}\n\n${section}\n`,
  );
};
