// The cost model's arithmetic on a small fixed set of counts, and the shape of the price table it reads.
import { describe, expect, it } from 'vitest';
import type { Measured } from '#bench/cost/meter.ts';
import { loadPrices, METERS, monthlyBill, perTicket, priceTableSchema, type RegionPrices } from '#bench/cost/model.ts';
import type { ScenarioCounts } from '#bench/cost/scenario.ts';
import type { StackCounts } from '#bench/cost/stack-counts.ts';
import { ASSUMPTIONS, quantities, usageFrom } from '#bench/cost/usage.ts';

/** Every meter at 1 USD per 1,000 units with no free tier, but for the few a test sets. */
const pricesWith = (overrides: Partial<Record<(typeof METERS)[number], { usd: number; per: number; free: number }>>): RegionPrices => ({
  name: 'Test',
  meters: Object.fromEntries(
    METERS.map((meter) => [
      meter,
      { usd: 1, per: 1000, free: 0, unit: 'units', source: 'https://aws.amazon.com/pricing/', ...overrides[meter] },
    ]),
  ) as RegionPrices['meters'],
});

describe('the price table', () => {
  it('prices every meter in every region, Jakarta included, with the date it was read and an https source', () => {
    // Arrange / Act
    const table = loadPrices();

    // Assert
    expect(table.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(table.regions)).toContain('ap-southeast-3');
    for (const region of Object.values(table.regions)) {
      expect(Object.keys(region.meters).sort()).toEqual([...METERS].sort());
      for (const price of Object.values(region.meters)) expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
    }
  });

  it('refuses a region that lacks a meter, naming it', () => {
    // Arrange
    const { 'ses.outbound': _missing, ...meters } = loadPrices().regions['ap-southeast-3']!.meters;

    // Act
    const result = priceTableSchema.safeParse({ '//': '', read: '2026-11-30', regions: { 'ap-southeast-3': { name: 'Jakarta', meters } } });

    // Assert
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('ses.outbound');
  });
});

describe('the monthly bill', () => {
  const usage = {
    fixed: { 'kms.keys': 1, 'sqs.requests': 2_000 },
    perTicket: { 'sqs.requests': 10, 'ses.outbound': 3 },
    whenBusy: { 'cloudwatch.metrics': 5 },
  };
  const prices = pricesWith({
    'kms.keys': { usd: 1, per: 1, free: 0 },
    'sqs.requests': { usd: 0.4, per: 1_000_000, free: 1_000_000 },
    'ses.outbound': { usd: 0.1, per: 1000, free: 0 },
    'cloudwatch.metrics': { usd: 0.3, per: 1, free: 10 },
  });

  it('adds the fixed quantities, the per-ticket ones times the tickets and, once there are tickets, the busy ones', () => {
    // Act
    const idle = monthlyBill(usage, prices, 0);
    const busy = monthlyBill(usage, prices, 100_000);

    // Assert
    const line = (bill: typeof idle, meter: string) => bill.lines.find((candidate) => candidate.meter === meter)!;
    expect(line(idle, 'sqs.requests')).toMatchObject({ quantity: 2_000, usd: 0.0008, usdAfterFree: 0 });
    expect(line(idle, 'cloudwatch.metrics').quantity).toBe(0);
    expect(idle.usd).toBeCloseTo(1.0008, 10);
    expect(idle.usdAfterFree).toBe(1);
    // 2,000 + 10 × 100,000 = 1,002,000 requests: 0.4008 USD, of which the first million is free.
    expect(line(busy, 'sqs.requests').quantity).toBe(1_002_000);
    expect(line(busy, 'sqs.requests').usd).toBeCloseTo(0.4008, 10);
    expect(line(busy, 'sqs.requests').usdAfterFree).toBeCloseTo(0.0008, 10);
    // 300,000 mails at 0.10 USD a thousand; 5 metrics, all inside the 10 free.
    expect(line(busy, 'ses.outbound').usd).toBeCloseTo(30, 10);
    expect(line(busy, 'cloudwatch.metrics')).toMatchObject({ quantity: 5, usdAfterFree: 0 });
    expect(line(busy, 'cloudwatch.metrics').usd).toBeCloseTo(1.5, 10);
    expect(busy.usd).toBeCloseTo(1 + 0.4008 + 30 + 1.5, 10);
    expect(busy.usdAfterFree).toBeCloseTo(1 + 0.0008 + 30, 10);
  });

  it('gives the marginal cost of a ticket over the idle month, before and after the free tier', () => {
    // Arrange
    const idle = monthlyBill(usage, prices, 0);

    // Act
    const marginal = perTicket(monthlyBill(usage, prices, 100_000), idle);

    // Assert
    expect(marginal.usd).toBeCloseTo((0.4 + 30 + 1.5) / 100_000, 12);
    expect(marginal.usdAfterFree).toBeCloseTo(30.0008 / 100_000, 12);
    expect(perTicket(idle, idle)).toEqual({ usd: 0, usdAfterFree: 0 });
  });
});

describe('quantities from measured counts', () => {
  it('bills each invocation by its duration rounded up to the millisecond at its memory, and counts requests by service', () => {
    // Arrange: two invocations and what they sent; the sandbox's stand-ins (sender '') deliver and store a mail.
    const measured: Measured = {
      invocations: [
        { fn: 'create-ticket', ms: 99.2, logBytes: 600 },
        { fn: 'inbound-mail', ms: 200, logBytes: 0 },
      ],
      requests: [
        { sender: 'create-ticket', service: 'DynamoDB', operation: 'TransactWriteItems', readUnits: 0, writeUnits: 40, entries: 1 },
        { sender: 'create-ticket', service: 'DynamoDB', operation: 'GetItem', readUnits: 0.5, writeUnits: 0, entries: 1 },
        { sender: 'create-ticket', service: 'EventBridge', operation: 'PutEvents', readUnits: 0, writeUnits: 0, entries: 3 },
        { sender: 'inbound-mail', service: 'SESv2', operation: 'SendEmail', readUnits: 0, writeUnits: 0, entries: 2 },
        { sender: 'inbound-mail', service: 'S3', operation: 'GetObject', readUnits: 0, writeUnits: 0, entries: 1 },
        { sender: '', service: 'S3', operation: 'PutObject', readUnits: 0, writeUnits: 0, entries: 1 },
        { sender: '', service: 'SQS', operation: 'SendMessage', readUnits: 0, writeUnits: 0, entries: 1 },
        { sender: '', service: 'SQS', operation: 'ReceiveMessage', readUnits: 0, writeUnits: 0, entries: 0 },
      ],
      metrics: new Set(),
    };

    // Act
    const counted = quantities(
      measured,
      (fn) => (fn === 'inbound-mail' ? 512 : 256),
      (fn) => fn === 'create-ticket',
    );

    // Assert: 0.100 s × 0.25 GB + 0.200 s × 0.5 GB; the empty receive is idle polling, counted from the stacks;
    // only the traced function's invocation is a trace.
    expect(counted['lambda.arm64GbSeconds']).toBeCloseTo(0.125, 12);
    expect(counted).toMatchObject({
      'lambda.requests': 2,
      'apigateway.httpRequests': 1,
      'xray.traces': 1,
      'dynamodb.writeUnits': 40,
      'dynamodb.readUnits': 0.5,
      'eventbridge.events': 3,
      'ses.outbound': 2,
      'ses.inbound': 1,
      's3.writeRequests': 1,
      's3.readRequests': 1,
      'sqs.requests': 1,
    });
    expect(counted['cloudwatch.logsIngestedGb']).toBeCloseTo((600 + 2 * ASSUMPTIONS.platformLogBytes) / 1024 ** 3, 15);
  });

  it('counts each message of the sandbox bus’s SendMessageBatch as one request (EventBridge sends one per event), a function’s batch as one', () => {
    // Arrange: the bus delivers four events to a queue in one batch, the pollers delete them in one batch, and a
    // function sends a batch of its own
    const measured: Measured = {
      invocations: [],
      requests: [
        { sender: '', service: 'SQS', operation: 'SendMessageBatch', readUnits: 0, writeUnits: 0, entries: 4 },
        { sender: '', service: 'SQS', operation: 'DeleteMessageBatch', readUnits: 0, writeUnits: 0, entries: 4 },
        { sender: 'inbound-mail', service: 'SQS', operation: 'SendMessageBatch', readUnits: 0, writeUnits: 0, entries: 3 },
      ],
      metrics: new Set(),
    };

    // Act
    const counted = quantities(
      measured,
      () => 256,
      () => false,
    );

    // Assert
    expect(counted['sqs.requests']).toBe(4 + 1 + 1);
  });
});

describe('usage from a scenario and the stacks', () => {
  it('counts a trace only for the functions the stacks trace, matched by construct id (never by an empty one)', () => {
    // Arrange: publish-events runs untraced, create-ticket traced; the knowledge-base seed's construct is "Function".
    const measured = (fns: string[]): Measured => ({
      invocations: fns.map((fn) => ({ fn, ms: 10, logBytes: 0 })),
      requests: [],
      metrics: new Set(),
    });
    const scenario: ScenarioCounts = {
      idleSlaCheck: measured(['check-sla']),
      idleRuns: 1,
      tickets: measured(['create-ticket', 'publish-events', 'publish-events', 'inbound-mail']),
      ticketCount: 1,
      trends: measured(['detect-trends']),
    };
    const stacks: StackCounts = {
      alarms: 0,
      alarmMetrics: 0,
      dashboards: 0,
      kmsKeys: 0,
      secrets: 0,
      schedules: ['rate(1 minute)'],
      queuePollers: 0,
      memoryMb: new Map([['createticket', 256]]),
      traced: new Set(['', 'createticket', 'inbound', 'detecttrends']),
      architectures: new Set(['arm64']),
      resourceTypes: new Map(),
    };

    // Act
    const { usage } = usageFrom(scenario, stacks);

    // Assert: create-ticket and inbound-mail (InboundFunction) a ticket; the one-minute SLA check none, a run a minute.
    expect(usage.perTicket['xray.traces']).toBe(2);
    expect(usage.perTicket['lambda.requests']).toBe(4);
    expect(usage.fixed['lambda.requests']).toBe(ASSUMPTIONS.hoursPerMonth * 60);
    expect(usage.fixed['xray.traces']).toBe(0);
  });
});
