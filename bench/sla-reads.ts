// What the scheduled SLA check reads as the table grows: tables of 1,000 and 20,000 tickets whose clocks are
// stopped (off the sparse gsi5 schedule) plus the same 10 due tickets; one checkSla run on each (after an
// unreported warm-up run), through stores whose document client counts every request, the items its
// reads returned and the capacity they consumed.
import { type ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type BatchWriteCommandInput, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '#sandbox/create-table.ts';
import { systemClock, ulidGenerator } from '#shared/adapters/clock.ts';
import { ticketItem } from '#shared/adapters/ticket-store.ts';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { checkSla } from '#shared/domain/sla/check-sla.ts';
import { organisationCalendars } from '#shared/domain/sla/organisation-calendar.ts';
import { slaForStatusChange, startSla } from '#shared/domain/sla/sla.ts';
import { priorityFor } from '#shared/domain/tickets/priority.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import { ticketStores } from '#shared/wiring/ticket-deps.ts';
import { timed } from './stats.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** BatchWriteItem takes at most 25 puts per call. */
const BATCH = 25;
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
/** DynamoDB Local runs with -sharedDb: any region and keys reach the same tables. */
const LOCAL = { region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

export type SlaScenario = {
  name: string;
  table: string;
  stopped: number;
  due: number;
  /** Milliseconds to put every ticket of the scenario with BatchWriteItem. */
  seedMs: number;
  /** Operation → requests the checker sent. */
  requests: Map<string, number>;
  readRequests: number;
  /** Summed from ConsumedCapacity; undefined when DynamoDB (Local) returned none. */
  readUnits: number | undefined;
  writeUnits: number | undefined;
  /** Items the gsi5 Query returned (Count), and every item the checker's reads returned. */
  indexItems: number;
  itemsRead: number;
  checked: number;
  events: number;
  checkMs: number;
};

type Counts = Pick<SlaScenario, 'requests' | 'readRequests' | 'readUnits' | 'writeUnits' | 'indexItems' | 'itemsRead'>;

const units = (capacity: ConsumedCapacity | ConsumedCapacity[] | undefined): number | undefined => {
  const list = capacity === undefined ? [] : Array.isArray(capacity) ? capacity : [capacity];
  const reported = list.filter((entry) => typeof entry.CapacityUnits === 'number');
  return reported.length === 0 ? undefined : reported.reduce((sum, entry) => sum + entry.CapacityUnits!, 0);
};

/** A document client configured like the handlers', whose requests all ask for and add up ConsumedCapacity. */
const countingClient = (endpoint: string) => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL, endpoint, maxAttempts: 5 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const counts: Counts = { requests: new Map(), readRequests: 0, readUnits: undefined, writeUnits: undefined, indexItems: 0, itemsRead: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      const read = READS.has(operation);
      counts.requests.set(operation, (counts.requests.get(operation) ?? 0) + 1);
      if (read) counts.readRequests++;
      // Reads as the brief of the bench says; writes too, so the write side can be read off the same run.
      const result = await next({ ...args, input: { ...(args.input as object), ReturnConsumedCapacity: 'TOTAL' } });
      const output = result.output as {
        ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
        Count?: number;
        Item?: unknown;
        Items?: unknown[];
      };
      const consumed = units(output.ConsumedCapacity);
      if (consumed !== undefined) {
        if (read) counts.readUnits = (counts.readUnits ?? 0) + consumed;
        else counts.writeUnits = (counts.writeUnits ?? 0) + consumed;
      }
      if (operation === 'Query') {
        counts.itemsRead += output.Count ?? output.Items?.length ?? 0;
        if ((args.input as { IndexName?: string }).IndexName === 'gsi5') counts.indexItems += output.Count ?? 0;
      } else if (operation === 'GetItem' && output.Item) counts.itemsRead++;
      return result;
    },
    { step: 'initialize', name: 'benchCountCapacity' },
  );
  return { client, counts };
};

/** Puts items with BatchWriteItem, `concurrency` calls in flight, retrying what DynamoDB leaves unprocessed. */
const batchPut = async (client: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[], concurrency: number) => {
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += BATCH) batches.push(items.slice(start, start + BATCH));
  let nextBatch = 0;
  const worker = async () => {
    while (nextBatch < batches.length) {
      let requests: BatchWriteCommandInput['RequestItems'] = {
        [table]: batches[nextBatch++]!.map((Item) => ({ PutRequest: { Item } })),
      };
      for (let attempt = 0; requests && Object.keys(requests).length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** attempt)));
        if (attempt > 8) throw new Error(`BatchWriteItem kept leaving items unprocessed in ${table}`);
        requests = (await client.send(new BatchWriteCommand({ RequestItems: requests }))).UnprocessedItems;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
};

/** Ticket fields that do not matter to the check, varied a little so the items look like a desk's. */
const baseTicket = (
  config: HelpdeskConfig,
  i: number,
  createdAt: Date,
): Omit<Ticket, 'status' | 'priority' | 'urgency' | 'impact' | 'sla'> => {
  const category = config.categories[i % config.categories.length]!;
  const team = category.team;
  return {
    id: '',
    number: i + 1,
    subject: `Bench ticket ${i + 1}: ${category.keywords.id[0] ?? 'pertanyaan umum'}`,
    description: 'Seeded by the bench to see what the SLA checker reads as the table grows.',
    priorityOverridden: false,
    category: category.id,
    team,
    tier: team === config.triageTeam ? 'first-line' : 'specialist',
    // Someone of the team, as routing would have chosen (the bench reads the SLA schedule, not the directory).
    assignee: `bench-agent-${team}`,
    requester: { id: `bench-requester-${i % 97}`, name: `Requester ${i % 97}` },
    channel: 'web',
    language: 'id',
    createdAt: createdAt.toISOString(),
    updatedAt: createdAt.toISOString(),
    version: 3,
  };
};

const LEVELS = ['low', 'medium', 'high'] as const;

/** Resolved tickets, their clocks stopped: no gsi5 keys. */
const stoppedTickets = (config: HelpdeskConfig, count: number, now: Date): Ticket[] => {
  const calendars = organisationCalendars(config);
  const ids = ulidGenerator(systemClock);
  // A handful of SLA shapes, worked out once (business-time arithmetic for 20 000 tickets would only slow the seeding).
  const shapes = LEVELS.flatMap((urgency) =>
    LEVELS.map((impact) => {
      const priority = priorityFor(config, urgency, impact);
      const created = new Date(now.getTime() - 10 * DAY);
      const resolved = new Date(created.getTime() + 2 * DAY);
      const sla = slaForStatusChange(startSla(config, calendars, priority, created), 'open', 'resolved', config, calendars, resolved);
      return { urgency, impact, priority, created, resolved, sla };
    }),
  );
  return Array.from({ length: count }, (_, i) => {
    const shape = shapes[i % shapes.length]!;
    return {
      ...baseTicket(config, i, shape.created),
      id: ids.next(),
      status: 'resolved',
      priority: shape.priority,
      urgency: shape.urgency,
      impact: shape.impact,
      updatedAt: shape.resolved.toISOString(),
      resolvedAt: shape.resolved.toISOString(),
      sla: shape.sla,
    };
  });
};

/** Critical tickets (24×7, first response 30 min) filed `ageMinutes` ago and never answered: due now. */
const dueTickets = (config: HelpdeskConfig, count: number, now: Date, ageMinutes: number): Ticket[] => {
  const calendars = organisationCalendars(config);
  const ids = ulidGenerator(systemClock);
  const created = new Date(now.getTime() - ageMinutes * MINUTE);
  const priority = priorityFor(config, 'high', 'high');
  return Array.from({ length: count }, (_, i) => ({
    ...baseTicket(config, 1_000_000 + i, created),
    id: ids.next(),
    status: 'new',
    priority,
    urgency: 'high',
    impact: 'high',
    assignee: null,
    version: 1,
    sla: startSla(config, calendars, priority, created),
  }));
};

export const measureSlaReads = async (
  endpoint: string,
  options: { scenarios: { name: string; stopped: number }[]; due: number; dueAgeMinutes: number; concurrency: number },
): Promise<SlaScenario[]> => {
  const config = loadConfig();
  const admin = new DynamoDBClient({ ...LOCAL, endpoint });
  const seeder = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL, endpoint, maxAttempts: 5 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const now = new Date();
  // The same 10 due tickets in every scenario; each scenario's table gets its own fresh copy of them.
  const due = dueTickets(config, options.due, now, options.dueAgeMinutes);
  const results: SlaScenario[] = [];
  try {
    // A first, unreported run on a table of the due tickets alone, so that neither scenario pays for cold code.
    for (const [index, scenario] of [{ name: 'warm-up', stopped: 0 }, ...options.scenarios].entries()) {
      const table = index === 0 ? 'bench-sla-warm-up' : `bench-sla-${index}`;
      await ensureTable(admin, table);
      const items = [...stoppedTickets(config, scenario.stopped, now), ...due].map(ticketItem);
      if (due.some((ticket) => !('gsi5pk' in ticketItem(ticket))) || items.slice(0, scenario.stopped).some((item) => 'gsi5pk' in item))
        throw new Error('the seeded tickets are not what the scenario needs: due ones on gsi5, stopped ones off it');
      const seedMs = await timed(() => batchPut(seeder, table, items, options.concurrency));

      const { client, counts } = countingClient(endpoint);
      const deps = { ...ticketStores(client, table), clock: { now: () => now }, ids: ulidGenerator(systemClock), config };
      let outcome = { checked: 0, events: 0 };
      const checkMs = await timed(async () => {
        outcome = await checkSla(deps, now);
      });
      client.destroy();
      if (outcome.checked !== options.due)
        throw new Error(`checkSla checked ${outcome.checked} tickets in ${table}, not the ${options.due} due ones`);
      if (index > 0)
        results.push({ name: scenario.name, table, stopped: scenario.stopped, due: options.due, seedMs, ...counts, ...outcome, checkMs });
    }
  } finally {
    admin.destroy();
    seeder.destroy();
  }
  return results;
};
