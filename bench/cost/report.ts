// The cost report as Markdown: what was measured, the assumptions, and the monthly bill for each volume.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { table } from '../stats.ts';
import type { Measured } from './meter.ts';
import { type Bill, METERS, type MeterId, type PriceTable, perTicket } from './model.ts';
import { asBilled } from './usage.ts';

export const VOLUMES = [0, 1_000, 10_000, 100_000] as const;

const usd = (value: number) => (value === 0 ? '0' : value < 0.005 ? '< 0.01' : value.toFixed(2));
const quantity = (value: number) => (value === 0 ? '0' : value < 10 ? value.toPrecision(3) : Math.round(value).toLocaleString('en'));
/** Per function: invocations and mean duration; per service and operation: requests, and DynamoDB's capacity. */
const measuredTable = (measured: Measured, per: number) => {
  const functions = new Map<string, { count: number; ms: number; logBytes: number }>();
  for (const { fn, ms, logBytes } of measured.invocations) {
    const entry = functions.get(fn) ?? { count: 0, ms: 0, logBytes: 0 };
    functions.set(fn, { count: entry.count + 1, ms: entry.ms + ms, logBytes: entry.logBytes + logBytes });
  }
  const requests = new Map<string, { count: number; read: number; write: number }>();
  for (const request of measured.requests) {
    if (request.sender === '' && request.service !== 'SQS' && request.service !== 'S3') continue;
    if (request.sender === '' && request.operation === 'ReceiveMessage') continue;
    if (request.sender === '' && ['GetQueueAttributes', 'ListQueues', 'GetQueueUrl'].includes(request.operation)) continue;
    const billed = asBilled(request);
    const key = `${request.sender === '' ? '(AWS itself) ' : ''}${request.service} ${billed.operation}`;
    const entry = requests.get(key) ?? { count: 0, read: 0, write: 0 };
    requests.set(key, {
      count: entry.count + billed.requests,
      read: entry.read + request.readUnits,
      write: entry.write + request.writeUnits,
    });
  }
  return [
    table(
      ['function', 'invocations', 'mean duration (ms)', 'log bytes each'],
      [...functions]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([fn, { count, ms, logBytes }]) => [
          fn,
          quantity(count / per),
          (ms / count).toFixed(1),
          Math.round(logBytes / count).toString(),
        ]),
    ),
    '',
    table(
      ['service request', 'requests', 'read units', 'write units'],
      [...requests]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, { count, read, write }]) => [key, quantity(count / per), quantity(read / per), quantity(write / per)]),
    ),
  ].join('\n');
};

export type CostReport = {
  date: Date;
  command: string;
  region: string;
  prices: PriceTable;
  scenario: { tickets: number; idleRuns: number; idle: Measured; perTicket: Measured; trends: Measured };
  notes: string[];
  bills: Bill[];
};

export const renderCostReport = (report: CostReport): string => {
  const region = report.prices.regions[report.region]!;
  const idle = report.bills[0]!;
  const used = METERS.filter((meter) => report.bills.some((bill) => bill.lines.find((line) => line.meter === meter)!.usd > 0));
  const line = (bill: Bill, meter: MeterId) => bill.lines.find((candidate) => candidate.meter === meter)!;
  const header = ['', ...report.bills.map((bill) => `${bill.tickets.toLocaleString('en')} tickets`)];
  return [
    `Measured ${report.date.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`${report.command}\`; prices of ${region.name} (${report.region}) as read on ${report.prices.read} (\`bench/cost/prices.json\`, from memory of the public list prices, not fetched).`,
    '',
    '### The bill a month, in USD',
    '',
    'Each cell: before the always-free tier / after it. Per-ticket counts scale linearly; the fixed ones are per month.',
    '',
    table(header, [
      ...used.map((meter) => [
        `${meter} (${region.meters[meter].unit})`,
        ...report.bills.map((bill) => `${usd(line(bill, meter).usd)} / ${usd(line(bill, meter).usdAfterFree)}`),
      ]),
      ['**total**', ...report.bills.map((bill) => `**${usd(bill.usd)} / ${usd(bill.usdAfterFree)}**`)],
      [
        'per ticket, over idle',
        ...report.bills.map((bill) => {
          const marginal = perTicket(bill, idle);
          return bill.tickets === 0 ? '—' : `${(marginal.usd * 1000).toFixed(3)} / ${(marginal.usdAfterFree * 1000).toFixed(3)} per 1,000`;
        }),
      ],
    ]),
    '',
    '### Quantities a month',
    '',
    table(
      header,
      used.map((meter) => [meter, ...report.bills.map((bill) => quantity(line(bill, meter).quantity))]),
    ),
    '',
    '### Where the quantities come from',
    '',
    ...report.notes.map((note) => `- ${note}`),
    '',
    `#### One ticket's whole life (the mean of ${report.scenario.tickets}; half filed by API, half by mail)`,
    '',
    measuredTable(report.scenario.perTicket, report.scenario.tickets),
    '',
    `#### One idle SLA check (the mean of ${report.scenario.idleRuns} runs)`,
    '',
    measuredTable(report.scenario.idle, report.scenario.idleRuns),
    '',
    '#### One weekly trends run',
    '',
    measuredTable(report.scenario.trends, 1),
  ].join('\n');
};

const START = '<!-- cost:start -->';
const END = '<!-- cost:end -->';

/** Writes the report between the markers, then lets Biome lay out its tables as `npm run lint` expects them. */
export const writeCostReport = (file: string, report: string) => {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} has no ${START} … ${END} markers`);
  writeFileSync(file, `${text.slice(0, start + START.length)}\n${report}\n${text.slice(end)}`);
  execFileSync(fileURLToPath(new URL('../../node_modules/.bin/biome', import.meta.url)), ['format', '--write', file], { stdio: 'ignore' });
};
