// Renders the bench's figures as markdown and writes them between the markers in docs/performance.md,
// keeping the hand-written text around them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BundleResult } from './bundles.ts';
import type { CallResult } from './http-latency.ts';
import { kib, median, ms, percentile, signedMs, table } from './stats.ts';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

export type BenchFigures = {
  date: Date;
  machine: { cores: number; cpu: string; node: string; platform: string };
  esbuild: string;
  seconds: number;
  latency: { warmup: number; runs: number; calls: CallResult[] };
  bundles: { runs: number; results: BundleResult[]; empty: string };
};

const requestsCell = (requests: Map<string, number>): string =>
  requests.size === 1
    ? [...requests.keys()][0]!
    : [...requests].map(([described, calls]) => `${described} (${calls}×)`).join('; ');

export const renderReport = (figures: BenchFigures): string => {
  const { latency, bundles, machine } = figures;
  const empty = bundles.results.find((result) => result.name === bundles.empty)!;
  const measuredCalls = latency.calls.reduce((sum, call) => sum + call.http.length, 0);
  return [
    `Measured ${figures.date.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\` (whole run ${figures.seconds.toFixed(0)} s) ` +
      `on ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.platform}.`,
    '',
    '### API calls: over HTTP, and the same DynamoDB requests sent directly',
    '',
    `${latency.runs} sequential requests per call after ${latency.warmup} warm-ups, through the sandbox (local API Gateway, ` +
      'JWT check, the handler module, DynamoDB Local). "Direct" sends the DynamoDB requests that very call made, ' +
      'recorded on the handlers\' client and replayed right after it with a separate document client on a twin table ' +
      'holding the same items.',
    '',
    table(
      ['API call', 'HTTP p50', 'HTTP p95', 'direct p50', 'HTTP p50 ÷ direct p50', 'DynamoDB requests per call'],
      latency.calls.map((call) => [
        call.name,
        ms(median(call.http)),
        ms(percentile(call.http, 95)),
        ms(median(call.raw)),
        `${(median(call.http) / median(call.raw)).toFixed(2)}×`,
        requestsCell(call.requests),
      ]),
    ),
    '',
    `No Scan in any of the ${measuredCalls} measured calls (the bench fails on the first one).`,
    '',
    '### Lambda bundles',
    '',
    `esbuild ${figures.esbuild} with the settings of \`infra/constructs/helpdesk-function.ts\` (ESM, node22, minified, ` +
      'external source map without sources, `bundleAwsSDK: true`: the AWS SDK is bundled, nothing is external). ' +
      `Cold import: median of ${bundles.runs} fresh \`node\` processes, each timing \`await import(bundle)\`, with the ` +
      "function's environment (`NODE_OPTIONS=--enable-source-maps`, Powertools variables, `TABLE_NAME=x`); the last " +
      'column drops `--enable-source-maps`.',
    '',
    table(
      ['handler', 'bundle (.mjs)', 'cold import', 'vs. empty handler', 'without source maps'],
      bundles.results.map((result) => [
        result.name,
        kib(result.bytes),
        ms(result.importMs),
        result === empty ? '—' : signedMs(result.importMs - empty.importMs),
        ms(result.importWithoutSourceMapsMs),
      ]),
    ),
  ].join('\n');
};

/** Replaces the generated section of the document (or appends one), leaving the rest as written. */
export const writeReport = (file: string, report: string): void => {
  const section = `${START}\n${report}\n${END}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  writeFileSync(
    file,
    start >= 0 && end > start
      ? `${text.slice(0, start)}${section}${text.slice(end + END.length)}`
      : `${text.trimEnd()}\n\n${section}\n`,
  );
};
