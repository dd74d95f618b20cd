// `npm run bench`: (`-- bundles`: the Lambda bundles and cold imports alone; `-- throughput`: tickets fully processed a second, alone; `-- burst`: a burst's requests per function) the answer bot's accuracy on its
// question set (docs/chatbot.md), then time from a new ticket to its assignment through the sandbox's pipeline, API latency
// against the sandbox, DynamoDB requests per API call, what the SLA check reads as the table grows, Lambda
// bundle sizes and cold imports, the forecast's accuracy on held-out weeks, the web console's weight and time to a
// usable queue in Chromium; prints the report and writes it into docs/performance.md. `npm run bench -- search` measures
// ticket search over 100,000 tickets instead (its own section of docs/performance.md: seeding takes a quarter of an hour).
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

// Before anything loads Powertools or the SDK, so that the output stays readable.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const DOC = new URL('../docs/performance.md', import.meta.url).pathname;
const IMPORT_RUNS = 7;
const machine = () => ({
  cores: availableParallelism(),
  cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
});

/**
 * The Lambda bundles against the bare handlers (issue 13, item 1), into their own section of docs/performance.md.
 * `npm run bench -- bundles` runs only this part (no sandbox, no Java: a few minutes on 2 cores).
 */
const benchBundles = async (workDir: string, command: string) => {
  const { measureBundles } = await import('./bundles.ts');
  const { renderBundles, writeReport } = await import('./report.ts');
  const { version: esbuild } = await import('esbuild');
  const began = performance.now();
  console.error(`Bundling the handlers and their bare handlers, and importing each ${IMPORT_RUNS}× cold…`);
  const results = await measureBundles(workDir, IMPORT_RUNS);
  const report = renderBundles({
    date: new Date(),
    command,
    seconds: (performance.now() - began) / 1000,
    machine: machine(),
    esbuild,
    runs: IMPORT_RUNS,
    results,
  });
  console.log(report);
  writeReport(DOC, report, 'bundles');
};
if (process.argv.includes('bundles')) {
  const workDir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-bundles-'));
  try {
    await benchBundles(workDir, 'npm run bench -- bundles');
    console.error('Written to docs/performance.md.');
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  process.exit();
}

/** DynamoDB Local's own CPU a request, the floor under a ticket's CPU: `npm run bench -- dynamodb-floor` (prints only). */
if (process.argv.includes('dynamodb-floor')) {
  const { measureDynamoDbFloor } = await import('./dynamodb-floor.ts');
  console.log(await measureDynamoDbFloor((line) => console.error(line)));
  process.exit();
}

const { measureChatbotQuality, renderChatbotReport, writeChatbotReport } = await import('./chatbot-quality.ts');
const CHATBOT_DOC = new URL('../docs/chatbot.md', import.meta.url).pathname;
/** The answer bot's quality: pure and quick, so first; `npm run bench -- chatbot` runs only this part. */
const benchChatbot = () => {
  console.error('Measuring the answer bot on its question set…');
  const report = renderChatbotReport(measureChatbotQuality(), new Date());
  console.log(report);
  writeChatbotReport(CHATBOT_DOC, report);
  console.error('Written to docs/chatbot.md.\n');
};
// `-- api` measures the API calls alone, and nothing else.
if (!process.argv.includes('api')) benchChatbot();
if (process.argv.includes('chatbot')) process.exit();

/** Where a burst's requests go, per function: `npm run bench -- burst [tickets] [requesters]` (bench/burst.ts). */
if (process.argv.includes('burst')) {
  const [tickets = 300, requesters = 20] = process.argv.slice(process.argv.indexOf('burst') + 1).map(Number);
  // The meter goes in before the sandbox's modules load, as `npm run cost` installs it.
  const { installMeter } = await import('./cost/meter.ts');
  const meter = installMeter();
  const { measureBurst } = await import('./burst.ts');
  console.log(await measureBurst(meter, tickets, requesters, (line) => console.error(line)));
  process.exit();
}

/**
 * Tickets fully processed a second under load (issue 11): `npm run bench -- throughput` runs only this part,
 * in a sandbox process of its own, and rewrites its own section of docs/performance.md. Not part of the whole
 * run: 5,000 tickets keep both cores busy for many minutes.
 */
const THROUGHPUT = [
  { concurrency: 20, tickets: 2_500 },
  { concurrency: 50, tickets: 2_500 },
];
if (process.argv.includes('throughput')) {
  const { measureThroughput, renderThroughput, writeThroughputReport } = await import('./throughput.ts');
  const began = performance.now();
  const figures = await measureThroughput(THROUGHPUT, (line) => console.error(line));
  const report = renderThroughput(figures, new Date(), (performance.now() - began) / 1000);
  console.log(report);
  writeThroughputReport(new URL('../docs/performance.md', import.meta.url).pathname, report);
  console.error('Written to docs/performance.md.');
  process.exit();
}

const { startSandbox } = await import('#sandbox/sandbox.ts');
const { startDynamoDbLocal } = await import('#sandbox/dynamodb-local.ts');
const { loadConfig } = await import('#shared/config/load-config.ts');
const { measureTimeToAssignment } = await import('./assignment-latency.ts');
const { measureHttpLatency } = await import('./http-latency.ts');
const { measureSlaReads } = await import('./sla-reads.ts');
const { measureForecastAccuracy } = await import('./forecast-accuracy.ts');
const { measureConsole } = await import('./console.ts');
const { measureSearch, renderSearchReport } = await import('./search.ts');
const { buildConsole } = await import('#sandbox/build-console.ts');
const { renderLatency, renderReport, writeReport } = await import('./report.ts');

const LATENCY = { warmup: 20, runs: 200 };
const ASSIGNMENT = { tickets: 40, pollMs: 20, timeoutMs: 15_000 };
const SLA = {
  scenarios: [
    { name: 'A', stopped: 1_000 },
    { name: 'B', stopped: 20_000 },
  ],
  due: 10,
  dueAgeMinutes: 45,
  concurrency: 20,
};
const CONSOLE = { tickets: 50, runs: 7 };
/** Ticket search (`npm run bench -- search`): the desk's size, and runs of each search after warm-ups. */
const SEARCH = { tickets: 100_000, runs: 50, warmup: 5, concurrency: 20 };
const started = performance.now();
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
/** What is running (the sandbox, a DynamoDB Local), stopped in reverse order by cleanUp. */
const running: { name: string; stop: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;
/** Stops what runs and removes the temporary directories; a call during a clean-up waits for that one. */
const cleanUp = (): Promise<void> =>
  (cleaning ??= (async () => {
    for (const { name, stop } of running.splice(0).reverse())
      await stop().catch((error: unknown) => console.error(`could not stop ${name}:`, error));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  })().finally(() => (cleaning = undefined)));
let starting: Promise<unknown> = Promise.resolve();
/** Starts a service and registers it for cleanUp at once; a signal during a start waits for it, so none escapes. */
const start = <T extends { stop(): Promise<void> }>(name: string, begin: () => Promise<T>): Promise<T> => {
  const service = begin().then((started) => {
    running.push({ name, stop: () => started.stop() });
    return started;
  });
  starting = service.catch(() => undefined);
  return service;
};
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void starting.then(cleanUp).finally(() => process.exit(130)));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Health = {
  emulators: {
    sqs: { queues: Record<string, { visible: number; inFlight: number }> };
    eventbridge: { pendingDeliveries: number };
  };
};

/**
 * Waits until nothing is on its way to or through any queue (routing, notify), then pauses the sandbox's queue
 * consumers. SQS stays up: taken down, every event of every create would be retried against it (failed
 * connections, the bus's pending file rewritten) all through the measurement, on the very event loop measured.
 */
const pauseQueueConsumers = async (apiUrl: string) => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { emulators } = (await (await fetch(`${apiUrl}/_local/health`)).json()) as Health;
    const queues = Object.values(emulators.sqs.queues);
    if (emulators.eventbridge.pendingDeliveries === 0 && queues.length > 0 && queues.every((queue) => queue.visible + queue.inFlight === 0))
      break;
    if (Date.now() > deadline) throw new Error(`the queues did not settle: ${JSON.stringify(emulators)}`);
    await sleep(100);
  }
  const response = await fetch(`${apiUrl}/_local/consumers`, { method: 'POST', body: JSON.stringify({ running: false }) });
  if (!response.ok) throw new Error(`could not pause the queue consumers: ${response.status} ${await response.text()}`);
};

/**
 * An in-memory DynamoDB Local (seeding 20,000 items is several times faster than on the sandbox's on-disk
 * one). In memory it writes its metadata file into os.tmpdir(): point that at a directory of ours meanwhile.
 */
const startScratchDynamoDb = async (dir: string) => {
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await startDynamoDbLocal({});
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
};

/** `npm run bench -- search [--tickets 100000]`: ticket search over a large desk, on its own (docs/performance.md, its own section). */
const benchSearch = async () => {
  const at = process.argv.indexOf('--tickets');
  const tickets = at >= 0 ? Number(process.argv[at + 1]) : SEARCH.tickets;
  if (!Number.isInteger(tickets) || tickets < 100) throw new Error('--tickets must be a whole number of at least 100');
  console.error(`Seeding ${tickets.toLocaleString('en-US')} tickets with their search postings, then searching…`);
  const dynamo = await start('DynamoDB Local', () => startScratchDynamoDb(tempDir('helpdesk-bench-search-')));
  const figures = await measureSearch(dynamo.endpoint, { ...SEARCH, tickets });
  const report = renderSearchReport(figures, {
    date: new Date(),
    machine: `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}`,
    seconds: (performance.now() - started) / 1000,
  });
  console.log(report);
  writeReport(DOC, report, 'search');
  console.error('\nWritten to docs/performance.md (its search section).');
};

/**
 * `npm run bench -- api`: only the API calls against the same DynamoDB requests sent directly (issue 13, item 3),
 * in a sandbox as the whole run has it at that point; prints the section, and writes nothing.
 */
const benchApi = async () => {
  console.error('Starting the sandbox…');
  const sandbox = await start('the sandbox', () => startSandbox({ port: 0, dir: tempDir('helpdesk-bench-sandbox-'), schedules: false }));
  await pauseQueueConsumers(sandbox.apiUrl);
  console.error(`Measuring API calls (${LATENCY.warmup} warm-ups + ${LATENCY.runs} each)…`);
  const measured = await measureHttpLatency(sandbox, LATENCY);
  console.log(renderLatency({ ...LATENCY, ...measured, perRequester: loadConfig().limits.ticketsPerRequesterPerHour }).join('\n'));
};

try {
  if (process.argv.includes('search')) {
    await benchSearch();
    await cleanUp();
    process.exit();
  }
  if (process.argv.includes('api')) {
    await benchApi();
    await cleanUp();
    process.exit();
  }
  console.error('Building the console and starting the sandbox…');
  const consoleDir = tempDir('helpdesk-bench-console-');
  await buildConsole(consoleDir);
  // Schedules off: the SLA check must not run on the handlers' client while requests are being counted.
  const sandbox = await start('the sandbox', () =>
    startSandbox({ port: 0, dir: tempDir('helpdesk-bench-sandbox-'), schedules: false, console: { port: 0, distDir: consoleDir } }),
  );

  console.error(`Filing ${ASSIGNMENT.tickets} tickets one by one and waiting for each to be assigned…`);
  const assignment = await measureTimeToAssignment(sandbox, ASSIGNMENT);

  console.error(`Loading each console screen in Chromium, and a queue of ${CONSOLE.tickets} tickets ${CONSOLE.runs}×…`);
  const consoleFigures = await measureConsole(sandbox, CONSOLE);
  // The queue consumers (routing, notify) run in this process on the handlers' own DynamoDB client: paused, they
  // cannot add their requests to the API calls' counts (nor their load to their latency).
  await pauseQueueConsumers(sandbox.apiUrl);

  console.error(`Measuring API calls (${LATENCY.warmup} warm-ups + ${LATENCY.runs} each)…`);
  const latency = await measureHttpLatency(sandbox, LATENCY);
  await cleanUp(); // DynamoDB Local off before the next part: one Java process at a time, less noise on 2 cores.

  console.error(
    `Seeding ${SLA.scenarios.map((scenario) => scenario.stopped + SLA.due).join(' and ')} tickets and running the SLA check on each table…`,
  );
  const dynamo = await start('DynamoDB Local', () => startScratchDynamoDb(tempDir('helpdesk-bench-dynamodb-')));
  const sla = await measureSlaReads(dynamo.endpoint, SLA);
  for (const scenario of sla)
    console.error(`  ${scenario.stopped + scenario.due} tickets seeded in ${(scenario.seedMs / 1000).toFixed(1)} s`);
  await cleanUp();

  await benchBundles(tempDir('helpdesk-bench-bundles-'), 'npm run bench');

  console.error('Measuring the forecast on held-out weeks of a synthetic history…');
  const forecast = measureForecastAccuracy();

  const report = renderReport({
    date: new Date(),
    machine: machine(),
    seconds: (performance.now() - started) / 1000,
    latency: { ...LATENCY, ...latency, perRequester: loadConfig().limits.ticketsPerRequesterPerHour },
    assignment,
    sla: { scenarios: sla, concurrency: SLA.concurrency, dueAgeMinutes: SLA.dueAgeMinutes },
    forecast,
    console: consoleFigures,
  });
  console.log(report);
  writeReport(DOC, report);
  console.error(`\nWritten to docs/performance.md.`);
} catch (error) {
  console.error('\nThe bench failed:', error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
// The handlers' DynamoDB client keeps sockets in its pool; nothing else is left to wait for.
process.exit();
