// Renders the bench's figures as markdown and writes them between the markers in docs/performance.md,
// keeping the hand-written text around them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type AssignmentResult, STAGES } from './assignment-latency.ts';
import { BARE_HANDLER, type BundleResult, RATIO_TARGET, targetOf } from './bundles.ts';
import { type ConsoleFigures, queueSummary } from './console.ts';
import type { ForecastAccuracy } from './forecast-accuracy.ts';
import type { CallResult } from './http-latency.ts';
import type { SlaScenario } from './sla-reads.ts';
import { count, kib, median, ms, percentile, ratio, seconds, table } from './stats.ts';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

export type BenchFigures = {
  date: Date;
  machine: { cores: number; cpu: string; node: string; platform: string };
  seconds: number;
  /** perRequester: the configured tickets a requester may file an hour. */
  latency: { warmup: number; runs: number; perRequester: number; calls: CallResult[]; bareRoundTrip: number[] };
  assignment: AssignmentResult;
  sla: { scenarios: SlaScenario[]; concurrency: number; dueAgeMinutes: number };
  forecast: ForecastAccuracy;
  console: ConsoleFigures;
};

const renderConsole = (figures: ConsoleFigures): string[] => {
  const queue = queueSummary(figures.queue.runs);
  return [
    '### Web console',
    '',
    `Chromium ${figures.chromium} (Debian's, headless, through playwright-core), each screen opened cold (a new browser ` +
      'context: empty cache) with the session already in place, 1280×800. JavaScript and CSS are what the browser fetched ' +
      "for that screen's first load; gzip is Node's zlib at its default level, as a stand-in for CloudFront's compression. " +
      'The budget is 100 KB of compressed JavaScript for any screen (the browser tests check it too).',
    '',
    table(
      ['screen', 'JS files', 'JS', 'JS gzip', 'CSS', 'CSS gzip'],
      figures.screens.map((screen) => [
        screen.screen,
        String(screen.jsFiles),
        kib(screen.jsBytes),
        kib(screen.jsGzip),
        kib(screen.cssBytes),
        kib(screen.cssGzip),
      ]),
    ),
    '',
    `Time to a usable queue: an agent opens \`/queue/team\` on a team holding ${figures.queue.tickets} working tickets; ` +
      `from the start of navigation to ${figures.queue.tickets} rows with their links on screen (config.json, the ` +
      `scripts, \`GET /tickets?sort=due&limit=50\` through the sandbox, the render), ${figures.queue.runs.length} cold ` +
      `runs: median ${ms(queue.median)}, p95 ${ms(queue.p95)}, max ${ms(queue.max)}.`,
  ];
};

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

const renderForecast = (forecast: ForecastAccuracy): string[] => {
  const better = (a: number | null, b: number | null) => (a !== null && b !== null && a < b ? '**' : '');
  const pair = (ours: number | null, theirs: number | null) => {
    const mark = better(ours, theirs);
    return `${mark}${percent(ours)}${mark}`;
  };
  return [
    '### Forecast accuracy: the calendar-aware forecast against seasonal naive, on open days',
    '',
    `A synthetic history of ${forecast.weeks} weeks from ${forecast.firstDate} with the seed's volume model (\`sandbox/seed.ts\`: ` +
      `${forecast.perDay} tickets on an average weekday scaled by its weekday factor, a tenth on public holidays and closed dates, ` +
      `±20% from day to day, categories by the seed's weights; generator seed ${forecast.seed}). Rolling origin over the last ` +
      `${forecast.heldOut} weeks: for each, the models see only the 8 weeks before it, as \`GET /reports/forecast\` does, and ` +
      `forecast its 7 days; the ${forecast.openDays} days the desk was open (working weekdays that are no holiday or closed date) are ` +
      'scored. The model: Holt-Winters with closed working days taken from the organisation calendar (shared/domain/reports/forecast.ts). ' +
      'Seasonal naive repeats the last week; the plain Holt-Winters is the model it replaced (issue 6). MAPE is over the days with any ' +
      'tickets; WAPE is Σ|error| ÷ Σ tickets. Bold: better than seasonal naive. _Shown_: in how many of the held-out weeks the API ' +
      'would have shown the series, having beaten seasonal naive on both MAPE and WAPE over the 4 weeks before.',
    '',
    table(
      [
        'series',
        'tickets an open day',
        'model MAPE',
        'seasonal naive MAPE',
        'model WAPE',
        'seasonal naive WAPE',
        'plain Holt-Winters MAPE / WAPE',
        '80% interval held',
        'shown',
      ],
      forecast.results.map((result) => [
        result.series,
        result.meanPerOpenDay.toFixed(1),
        pair(result.model.mape, result.seasonalNaive.mape),
        percent(result.seasonalNaive.mape),
        pair(result.model.wape, result.seasonalNaive.wape),
        percent(result.seasonalNaive.wape),
        `${percent(result.plainHoltWinters.mape)} / ${percent(result.plainHoltWinters.wape)}`,
        percent(result.coverage),
        `${result.shownWeeks} of ${forecast.heldOut} weeks`,
      ]),
    ),
  ];
};

const requestsCell = (requests: Map<string, number>): string =>
  requests.size === 1 ? [...requests.keys()][0]! : [...requests].map(([described, calls]) => `${described} (${calls}×)`).join('; ');

const describeRequests = (requests: Map<string, number>): string =>
  [...requests].map(([operation, sent]) => `${sent} ${operation}`).join(' + ') || 'none';

const spread = (values: readonly number[]): string[] =>
  values.length === 0 ? ['—', '—', '—'] : [ms(median(values)), ms(percentile(values, 95)), ms(Math.max(...values))];

const renderAssignment = (assignment: AssignmentResult): string[] => {
  const filed = assignment.totals.length;
  const staged = assignment.stages.post.length;
  const teams = [...assignment.teams]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([team, tickets]) => `${team} ${tickets}`)
    .join(', ');
  return [
    '### From `POST /tickets` to an assigned agent',
    '',
    `${filed} tickets filed one after another through the sandbox's pipeline (table stream → publish-events → bus rule → ` +
      `SQS \`routing\` → route-ticket), each polled with \`GET /tickets/{id}\` every ${assignment.pollMs} ms until it has an ` +
      `assignee, before the next is filed. Subjects chosen to reach every team (${teams}). Stages come from marks on the ` +
      `handlers' own SDK clients${staged === filed ? '' : ` (all marks seen for ${staged} of the ${filed} tickets)`}; ` +
      "percentiles of the stages do not add up to the total's. Each TicketCreated also goes to the notify queue, whose " +
      'consumer mails the acknowledgement meanwhile.',
    '',
    table(
      ['stage', 'p50', 'p95', 'max'],
      [
        ...STAGES.map((stage) => [stage.label, ...spread(assignment.stages[stage.key])]),
        ['**total: `POST` sent → assignee seen**', ...spread(assignment.totals).map((cell) => `**${cell}**`)],
      ],
    ),
  ];
};

const renderSla = (sla: BenchFigures['sla']): string[] => {
  const [a, b] = sla.scenarios;
  if (!a || !b || sla.scenarios.length !== 2) throw new Error('the SLA section compares exactly two scenarios');
  const capacity = a.readUnits !== undefined && b.readUnits !== undefined;
  const row = (label: string, cell: (scenario: SlaScenario) => string, value?: (scenario: SlaScenario) => number) => [
    label,
    cell(a),
    cell(b),
    value ? ratio(value(b), value(a)) : '',
  ];
  return [
    '### SLA check: reads against table size',
    '',
    `One \`checkSla\` run on each of two tables in a separate, in-memory DynamoDB Local, both created by \`ensureTable\` ` +
      `(the helpdesk table's definition). Each holds resolved tickets, whose clocks are stopped and which so have no gsi5 ` +
      `keys, plus the same ${a.due} critical tickets filed ${sla.dueAgeMinutes} minutes before the run and never answered ` +
      '(24×7, first response 30 min: its warning and its breach are due, and the first escalation step), put fresh into each table. ' +
      `Seeding: \`ticketItem()\` items with BatchWriteItem, 25 a call, ${sla.concurrency} calls in flight. The checker's ` +
      'stores sit on their own document client, whose middleware counts every request, asks each one for ' +
      '`ReturnConsumedCapacity: TOTAL` and adds up the `ConsumedCapacity` it gets back.',
    '',
    table(
      ['', `A: ${count(a.stopped)} stopped + ${a.due} due`, `B: ${count(b.stopped)} stopped + ${b.due} due`, 'B ÷ A'],
      [
        row(
          'tickets in the table',
          (s) => count(s.stopped + s.due),
          (s) => s.stopped + s.due,
        ),
        row('seeding them', (s) => seconds(s.seedMs / 1000)),
        row('DynamoDB requests of the check', (s) => describeRequests(s.requests)),
        row(
          'read requests',
          (s) => count(s.readRequests),
          (s) => s.readRequests,
        ),
        capacity
          ? row(
              'read capacity units',
              (s) => String(s.readUnits),
              (s) => s.readUnits!,
            )
          : row('read capacity units', () => 'not returned by DynamoDB Local'),
        row(
          'items returned by the gsi5 query',
          (s) => count(s.indexItems),
          (s) => s.indexItems,
        ),
        row(
          'items read in all (query + GetItem)',
          (s) => count(s.itemsRead),
          (s) => s.itemsRead,
        ),
        row('tickets checked', (s) => count(s.checked)),
        row('events written', (s) => count(s.events)),
        row('write capacity units', (s) => (s.writeUnits === undefined ? 'not returned' : String(s.writeUnits))),
        row('check run time (one run each: noise, not a ratio to read)', (s) => ms(s.checkMs)),
      ],
    ),
    '',
    `B holds ${ratio(b.stopped + b.due, a.stopped + a.due)} the tickets of A; the check's read requests are ` +
      `${ratio(b.readRequests, a.readRequests)} and its ${capacity ? 'read capacity units' : 'items read (DynamoDB Local returned no ConsumedCapacity)'} ` +
      `${capacity ? ratio(b.readUnits!, a.readUnits!) : ratio(b.itemsRead, a.itemsRead)} those of A.`,
  ];
};

/** The API calls' section: each call over HTTP beside the same DynamoDB requests sent directly. */
export const renderLatency = (latency: BenchFigures['latency']): string[] => {
  const measuredCalls = latency.calls.reduce((sum, call) => sum + call.http.length, 0);
  const get = latency.calls.find((call) => call.name.startsWith('get '))!;
  return [
    '### API calls: over HTTP, and the same DynamoDB requests sent directly',
    '',
    `${latency.runs} sequential requests per call after ${latency.warmup} warm-ups, through the sandbox (local API Gateway, ` +
      'JWT check, the handler module, DynamoDB Local). "Direct" sends the DynamoDB requests that very call made, ' +
      "recorded on the handlers' client and replayed right after it with a second document client configured as the " +
      "handlers' one, on a twin table holding the same items; the API is called over node:http with a keep-alive agent " +
      "like the SDK's, so both sides reuse their connections. Measured with the sandbox's queue consumers paused " +
      '(`POST /_local/consumers`) and its schedules off, so that no queue consumer (routing, notify) or SLA check runs ' +
      'on the shared client meanwhile; the stream poller and publish-events still run. ' +
      `A requester may file ${latency.perRequester} tickets an hour, so the ` +
      `creates take turns over requesters, ${latency.perRequester} each, and the requester's list is the first one's ` +
      `${latency.perRequester} tickets; the agent is a member of the team the tickets go to, listing what reaches it.`,
    '',
    table(
      ['API call', 'HTTP p50', 'HTTP p95', 'direct p50', 'HTTP p50 ÷ direct p50 (target ≤ 1.2×)', 'DynamoDB requests per call'],
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
    `The floor under every HTTP figure: a round trip to a bare node:http server in the same process, answering a ` +
      `1 KiB JSON body at once over the same kind of keep-alive agent, took ${ms(median(latency.bareRoundTrip))} at p50 ` +
      `(${latency.bareRoundTrip.length} after ${latency.warmup} warm-ups). With nothing but that hop, get would be ` +
      `${ratio(median(get.raw) + median(latency.bareRoundTrip), median(get.raw))} its direct p50.`,
  ];
};

export const renderReport = (figures: BenchFigures): string => {
  const { latency, machine } = figures;
  return [
    `Measured ${figures.date.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\` (whole run ${figures.seconds.toFixed(0)} s) ` +
      `on ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.platform}.`,
    '',
    ...renderLatency(latency),
    '',
    ...renderAssignment(figures.assignment),
    '',
    ...renderSla(figures.sla),
    '',
    ...renderForecast(figures.forecast),
    '',
    ...renderConsole(figures.console),
  ].join('\n');
};

export type BundleFigures = {
  date: Date;
  /** How the figures were made: `npm run bench` or `npm run bench -- bundles`, and how long it took. */
  command: string;
  seconds: number;
  machine: BenchFigures['machine'];
  esbuild: string;
  runs: number;
  results: BundleResult[];
};

/**
 * The Lambda bundles against issue 13's targets: each handler as a ratio to its own bare handler (the same
 * GetItem with the SDK clients and commands it ships), and to the DynamoDB-only one.
 */
export const renderBundles = (figures: BundleFigures): string => {
  const byName = new Map(figures.results.map((result) => [result.name, result]));
  const dynamoOnly = byName.get(BARE_HANDLER)!;
  const handlers = figures.results
    .filter((result) => !result.name.startsWith('(bare'))
    .map((result) => {
      const bare = byName.get(result.bare)!;
      const target = targetOf(result.name);
      const within = (of: BundleResult) => result.bytes / of.bytes <= target && result.importMs / of.importMs <= target;
      return { ...result, own: bare, target, within: within(bare), withinDynamoOnly: within(dynamoOnly) };
    });
  const tally = (rows: typeof handlers, test: (row: (typeof handlers)[number]) => boolean) => rows.filter(test).length;
  const http = handlers.filter((row) => row.target === RATIO_TARGET.http);
  const bySize = (row: (typeof handlers)[number]) => row.bytes / row.own.bytes <= row.target;
  const { machine } = figures;
  return [
    `Measured ${figures.date.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`${figures.command}\` (${figures.seconds.toFixed(0)} s) ` +
      `on ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.platform}.`,
    '',
    `esbuild ${figures.esbuild} with the functions' own build, \`buildFunction\` of ` +
      '`infra/constructs/function-bundling.ts` (ESM, node22, minified, external source map without sources, the AWS ' +
      'SDK bundled, the configuration validated at build time, `shared/config/bundled-config.ts`). The size is what a ' +
      'cold start reads, `index.mjs`; "lazy" is the lazy modules beside it, bundles of their own read only when their ' +
      'rare path runs (`LAZY_MODULES`). ' +
      `Cold import: median of ${figures.runs} fresh \`node\` processes, each timing \`await import(bundle)\`, with the ` +
      "function's environment (`NODE_OPTIONS=--enable-source-maps`, Powertools variables, `TABLE_NAME=x`); the last " +
      'column drops `--enable-source-maps`. "Its bare handler" is the same one GetItem bundled with every AWS SDK ' +
      "client and command the function's bundle holds (read from esbuild's metafile; `DynamoDB +n`: n more DynamoDB " +
      'commands, `S3 5`: the S3 client and five commands), which the ratios and the target are taken against; the ' +
      `DynamoDB-only bare handler (${kib(dynamoOnly.bytes)}, ${ms(dynamoOnly.importMs)} cold) is in the column before last. ` +
      'The HTTP handlers come first, then the stream, queue, schedule and inbound-mail ones.',
    '',
    table(
      [
        'handler',
        'cold start reads (.mjs)',
        'its bare handler',
        '÷ its bare',
        'cold import',
        '÷ its bare',
        'target',
        'within',
        '÷ DynamoDB-only bare (size, cold)',
        'without source maps',
      ],
      handlers.map((row) => [
        row.name,
        row.lazyBytes > 0 ? `${kib(row.bytes)} (+${kib(row.lazyBytes)} lazy)` : kib(row.bytes),
        row.own === dynamoOnly
          ? `${kib(row.own.bytes)} (DynamoDB only)`
          : `${kib(row.own.bytes)} (${row.own.name.slice('(bare handler + '.length, -1)})`,
        ratio(row.bytes, row.own.bytes),
        ms(row.importMs),
        ratio(row.importMs, row.own.importMs),
        `≤ ${row.target}×`,
        row.within ? 'yes' : 'no',
        `${ratio(row.bytes, dynamoOnly.bytes)}, ${ratio(row.importMs, dynamoOnly.importMs)}`,
        ms(row.importWithoutSourceMapsMs),
      ]),
    ),
    '',
    `Within their target against their own bare handler: ${tally(handlers, (row) => row.within)} of ${handlers.length} ` +
      `handlers in both size and cold import, ${tally(handlers, bySize)} in size (HTTP: ${tally(http, (row) => row.within)} ` +
      `of ${http.length} in both, ${tally(http, bySize)} in size). Against the DynamoDB-only bare handler: ` +
      `${tally(handlers, (row) => row.withinDynamoOnly)} of ${handlers.length} in both ` +
      '(issue 13: HTTP handlers ≤ 1.3×, the stream, queue, schedule and inbound-mail ones ≤ 1.5×).',
  ].join('\n');
};

/** Replaces the generated section of the document (or appends one), leaving the rest as written. `part`
 *  names a section of its own (`search`: `<!-- bench:search:start -->`), written by that part alone. */
export const writeReport = (file: string, report: string, part?: string): void => {
  const [open, close] = part ? [`<!-- bench:${part}:start -->`, `<!-- bench:${part}:end -->`] : [START, END];
  const section = `${open}\n${report}\n${close}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  writeFileSync(
    file,
    start >= 0 && end > start ? `${text.slice(0, start)}${section}${text.slice(end + close.length)}` : `${text.trimEnd()}\n\n${section}\n`,
  );
};
