// `npm run bench`: API latency against the sandbox, DynamoDB requests per API call, Lambda bundle sizes and
// cold imports; prints the report and writes it into docs/performance.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

// Before anything loads Powertools or the SDK, so that the output stays readable.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { startSandbox } = await import('#sandbox/sandbox.ts');
const { measureHttpLatency } = await import('./http-latency.ts');
const { EMPTY_HANDLER, measureBundles } = await import('./bundles.ts');
const { renderReport, writeReport } = await import('./report.ts');
const { version: esbuildVersion } = await import('esbuild');

const LATENCY = { warmup: 20, runs: 200 };
const IMPORT_RUNS = 7;
const DOC = new URL('../docs/performance.md', import.meta.url).pathname;

const started = performance.now();
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
let stopSandbox: (() => Promise<void>) | undefined;
const cleanUp = async () => {
  const stop = stopSandbox;
  stopSandbox = undefined;
  await stop?.().catch((error: unknown) => console.error('could not stop the sandbox:', error));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

try {
  console.error('Starting the sandbox…');
  const sandbox = await startSandbox({ port: 0, dir: tempDir('helpdesk-bench-sandbox-') });
  stopSandbox = () => sandbox.stop();
  console.error(`Measuring API calls (${LATENCY.warmup} warm-ups + ${LATENCY.runs} each)…`);
  const calls = await measureHttpLatency(sandbox, LATENCY);
  await cleanUp(); // DynamoDB Local off before the cold-import runs: less noise on 2 cores.

  console.error(`Bundling the handlers and importing each ${IMPORT_RUNS}× cold…`);
  const bundles = await measureBundles(tempDir('helpdesk-bench-bundles-'), IMPORT_RUNS);

  const report = renderReport({
    date: new Date(),
    machine: {
      cores: availableParallelism(),
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    esbuild: esbuildVersion,
    seconds: (performance.now() - started) / 1000,
    latency: { ...LATENCY, calls },
    bundles: { runs: IMPORT_RUNS, results: bundles, empty: EMPTY_HANDLER },
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
