// `npm run cost [-- --region <region>] [--tickets <n>]`: runs the representative scenario through a sandbox
// on free ports (bench/cost/scenario.ts), counts what every function sends and how long it runs, counts what
// the synthesized stacks bill by the month, multiplies by the price table (bench/cost/prices.json, default
// region ap-southeast-3) and prints the bill for 0, 1,000, 10,000 and 100,000 tickets a month, with and
// without the always-free tier; the report is also written into docs/cost.md.
import { parseArgs } from 'node:util';

// Before anything loads Powertools or the SDK: the functions log at their deployed level and emit their
// metrics (the meter reads both and keeps them off the terminal).
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'Helpdesk';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { values } = parseArgs({
  options: { region: { type: 'string', default: 'ap-southeast-3' }, tickets: { type: 'string', default: '10' } },
});
const tickets = Number(values.tickets);
if (!Number.isInteger(tickets) || tickets < 2) throw new Error('--tickets must be a whole number of at least 2');

const { installMeter } = await import('./meter.ts');
const meter = installMeter();
const { loadPrices, monthlyBill } = await import('./model.ts');
const prices = loadPrices();
if (!prices.regions[values.region])
  throw new Error(`no prices for region "${values.region}" in bench/cost/prices.json; it has ${Object.keys(prices.regions).join(', ')}`);
const { runScenario } = await import('./scenario.ts');
const { countStacks } = await import('./stack-counts.ts');
const { usageFrom } = await import('./usage.ts');
const { renderCostReport, VOLUMES, writeCostReport } = await import('./report.ts');

const IDLE_RUNS = 5;
const log = (line: string) => console.error(line);
try {
  log(`Running the scenario through a sandbox (${tickets} tickets)…`);
  const scenario = await runScenario(meter, { tickets, idleRuns: IDLE_RUNS, log });
  log('Synthesizing the stacks and counting what they bill by the month…');
  const stacks = countStacks();
  const { usage, notes } = usageFrom(scenario, stacks);
  const regionPrices = prices.regions[values.region]!;
  const report = renderCostReport({
    date: new Date(),
    command: `npm run cost -- --region ${values.region} --tickets ${tickets}`,
    region: values.region,
    prices,
    scenario: { tickets, idleRuns: IDLE_RUNS, idle: scenario.idleSlaCheck, perTicket: scenario.tickets, trends: scenario.trends },
    notes,
    bills: VOLUMES.map((volume) => monthlyBill(usage, regionPrices, volume)),
  });
  console.log(report);
  writeCostReport(new URL('../../docs/cost.md', import.meta.url).pathname, report);
  log('\nWritten to docs/cost.md.');
} catch (error) {
  console.error('\nThe cost run failed:', error);
  process.exitCode = 1;
}
// The handlers' clients keep sockets in their pools; nothing else is left to wait for.
process.exit();
