// The cost model: monthly quantities per priced meter (fixed ones, and per ticket, scaled linearly) times
// the region's list prices, with the always-free tier applied after the sum. Pure: `npm run cost` feeds it
// measured counts, the unit tests a small fixed set.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const METERS = [
  'lambda.requests',
  'lambda.arm64GbSeconds',
  'apigateway.httpRequests',
  'xray.traces',
  'dynamodb.writeUnits',
  'dynamodb.readUnits',
  'sqs.requests',
  'eventbridge.events',
  'ses.outbound',
  'ses.inbound',
  'ses.inboundChunks',
  's3.writeRequests',
  's3.readRequests',
  'secretsmanager.secrets',
  'secretsmanager.apiCalls',
  'kms.keys',
  'kms.requests',
  'cloudwatch.alarmMetrics',
  'cloudwatch.dashboards',
  'cloudwatch.metrics',
  'cloudwatch.logsIngestedGb',
] as const;
export type MeterId = (typeof METERS)[number];

const priceSchema = z.strictObject({
  usd: z.number().nonnegative(),
  per: z.number().positive(),
  free: z.number().nonnegative(),
  unit: z.string().min(1),
  source: z.url({ protocol: /^https$/ }),
});
const regionSchema = z.strictObject({
  name: z.string().min(1),
  meters: z.strictObject(Object.fromEntries(METERS.map((meter) => [meter, priceSchema])) as Record<MeterId, typeof priceSchema>),
});
export const priceTableSchema = z.strictObject({
  '//': z.string(),
  read: z.iso.date(),
  regions: z.record(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/), regionSchema),
});
export type PriceTable = z.infer<typeof priceTableSchema>;
export type RegionPrices = z.infer<typeof regionSchema>;

export const PRICE_FILE = new URL('./prices.json', import.meta.url);
export const loadPrices = (file: URL = PRICE_FILE): PriceTable => priceTableSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

type Quantities = Partial<Record<MeterId, number>>;
/**
 * What the helpdesk uses a month: `fixed` whatever the traffic, `perTicket` times the tickets, `whenBusy`
 * once there is any ticket at all (a custom metric is billed by the hours it is sent in, not by the ticket).
 */
export type Usage = { fixed: Quantities; perTicket: Quantities; whenBusy?: Quantities };

export type BillLine = { meter: MeterId; quantity: number; usd: number; usdAfterFree: number };
export type Bill = { tickets: number; lines: BillLine[]; usd: number; usdAfterFree: number };

export const monthlyBill = (usage: Usage, prices: RegionPrices, tickets: number): Bill => {
  const lines = METERS.map((meter): BillLine => {
    const quantity =
      (usage.fixed[meter] ?? 0) + (usage.perTicket[meter] ?? 0) * tickets + (tickets > 0 ? (usage.whenBusy?.[meter] ?? 0) : 0);
    const { usd, per, free } = prices.meters[meter];
    return { meter, quantity, usd: (quantity * usd) / per, usdAfterFree: (Math.max(0, quantity - free) * usd) / per };
  });
  return {
    tickets,
    lines,
    usd: lines.reduce((sum, line) => sum + line.usd, 0),
    usdAfterFree: lines.reduce((sum, line) => sum + line.usdAfterFree, 0),
  };
};

/** What one more ticket adds at this volume: (bill − idle bill) ÷ tickets, before and after the free tier. */
export const perTicket = (bill: Bill, idle: Bill) =>
  bill.tickets === 0
    ? { usd: 0, usdAfterFree: 0 }
    : { usd: (bill.usd - idle.usd) / bill.tickets, usdAfterFree: (bill.usdAfterFree - idle.usdAfterFree) / bill.tickets };
