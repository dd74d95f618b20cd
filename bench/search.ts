// Ticket search over a large desk: a table of synthetic tickets (words drawn from the default knowledge base's
// vocabulary with a Zipf-like spread, so some words are in a tenth of all tickets and most in very few), each
// with the items the search consumer writes for it (its record, one posting per term, the vocabulary), seeded
// with BatchWriteItem into an in-memory DynamoDB Local; then searches of several kinds through the search
// service on a document client that counts every request and the capacity it consumed.
import { type ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type BatchWriteCommandInput, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '#sandbox/create-table.ts';
import { systemClock, ulidGenerator } from '#shared/adapters/clock.ts';
import { createSearchStore, docItem, postingItem } from '#shared/adapters/search-store.ts';
import { TICKET_COUNTER_KEY, vocabularyKey } from '#shared/adapters/table-keys.ts';
import { createTicketStore, ticketItem } from '#shared/adapters/ticket-store.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { Identity } from '#shared/domain/access/identity.ts';
import { termsOf } from '#shared/domain/kb/text.ts';
import { facetsOf } from '#shared/domain/search/index-ticket.ts';
import { ticketTerms } from '#shared/domain/search/search-terms.ts';
import { POSTINGS_PER_TERM, searchTickets, searchTicketsQuerySchema } from '#shared/domain/search/search-tickets.ts';
import type { Ticket } from '#shared/domain/tickets/ticket.ts';
import articles from '#shared/kb/default-articles.json' with { type: 'json' };
import { count, ms, percentile, seconds, table, timed } from './stats.ts';

const LOCAL = { region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const BATCH = 25;
const READS = new Set(['GetItem', 'Query', 'BatchGetItem']);
const DAY = 86_400_000;

export type SearchCase = {
  name: string;
  /** What the case searches for, as a person types it. */
  q: string;
  who: 'lead' | 'agent' | 'requester';
  filter?: string;
  p50: number;
  p95: number;
  /** Requests of one search, by operation (the same every run). */
  requests: Map<string, number>;
  readUnits: number | undefined;
  itemsRead: number;
  hits: number;
};

export type SearchFigures = {
  tickets: number;
  items: number;
  postings: number;
  vocabulary: number;
  seedMs: number;
  runs: number;
  cases: SearchCase[];
};

/** mulberry32, as the seed uses: the same desk every run. */
const generator = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** The knowledge base's words, most common first: the desk's own vocabulary. */
const vocabulary = (): string[] => {
  const counts = new Map<string, number>();
  for (const article of articles)
    for (const { word } of termsOf(`${article.title} ${article.body}`)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([word]) => word);
};

/** Zipf-like: the word of rank r is drawn with weight 1 / (r + 2). */
const zipf = (words: string[], rng: () => number) => {
  const weights = words.map((_, rank) => 1 / (rank + 2));
  const cumulative: number[] = [];
  weights.reduce((sum, weight, index) => (cumulative[index] = sum + weight), 0);
  const total = cumulative.at(-1)!;
  return () => {
    const r = rng() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < r) low = middle + 1;
      else high = middle;
    }
    return words[low]!;
  };
};

const STATUS_WEIGHTS: [Ticket['status'], number][] = [
  ['closed', 70],
  ['resolved', 10],
  ['open', 12],
  ['pending', 4],
  ['new', 4],
];

const pick = <T>(rng: () => number, entries: [T, number][]): T => {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let r = rng() * total;
  for (const [value, weight] of entries) if ((r -= weight) < 0) return value;
  return entries.at(-1)![0];
};

/** The desk's tickets, 40 a day ending now, oldest first. */
const syntheticTickets = (count: number, now: Date): Ticket[] => {
  const config = loadConfig();
  const rng = generator(7);
  const word = zipf(vocabulary(), rng);
  const ids = ulidGenerator(systemClock);
  const start = now.getTime() - Math.ceil(count / 40) * DAY;
  return Array.from({ length: count }, (_, index) => {
    const category = config.categories[Math.floor(rng() * config.categories.length)]!;
    const createdAt = new Date(start + (index / count) * (now.getTime() - start)).toISOString();
    const words = (n: number) => Array.from({ length: n }, word).join(' ');
    const requester = `bench-requester-${Math.floor(rng() * 5000)}`;
    return {
      id: ids.next(),
      number: index + 1,
      subject: words(3 + Math.floor(rng() * 4)),
      description: words(8 + Math.floor(rng() * 18)),
      status: pick(rng, STATUS_WEIGHTS),
      priority: 'medium',
      priorityOverridden: false,
      urgency: 'medium',
      impact: 'medium',
      category: category.id,
      team: category.team,
      tier: category.team === config.triageTeam ? 'first-line' : 'specialist',
      assignee: `bench-agent-${category.team}`,
      requester: { id: requester, name: `Requester ${requester.slice(16)}`, email: `${requester}@siswa.example` },
      channel: 'web',
      language: 'id',
      createdAt,
      updatedAt: createdAt,
      version: 3,
    } satisfies Ticket;
  });
};

/** A ticket's items as the search consumer leaves them, and the ticket itself. */
const itemsOf = (ticket: Ticket) => {
  const { terms, length } = ticketTerms(ticket, []);
  const facets = facetsOf(ticket);
  const postings = Object.entries(terms).map(([term, weight]) => postingItem(term, { ...facets, ticketId: ticket.id, weight, length }));
  const doc = docItem({ ticketId: ticket.id, revision: 2, version: ticket.version, pending: false, terms, length, facets });
  return { items: [ticketItem(ticket), doc, ...postings], terms: Object.keys(terms) };
};

const batchPut = async (client: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[], concurrency: number) => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const start = next;
      next += BATCH;
      let requests: BatchWriteCommandInput['RequestItems'] = {
        [table]: items.slice(start, start + BATCH).map((Item) => ({ PutRequest: { Item } })),
      };
      for (let attempt = 0; requests && Object.keys(requests).length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** attempt)));
        if (attempt > 8) throw new Error('BatchWriteItem kept leaving items unprocessed');
        requests = (await client.send(new BatchWriteCommand({ RequestItems: requests }))).UnprocessedItems;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
};

const units = (capacity: ConsumedCapacity | ConsumedCapacity[] | undefined): number | undefined => {
  const list = capacity === undefined ? [] : Array.isArray(capacity) ? capacity : [capacity];
  const reported = list.filter((entry) => typeof entry.CapacityUnits === 'number');
  return reported.length === 0 ? undefined : reported.reduce((sum, entry) => sum + entry.CapacityUnits!, 0);
};

type Counts = { requests: Map<string, number>; readUnits: number | undefined; itemsRead: number };

/** A document client like the handlers', counting every request, the items read and the read capacity consumed. */
const countingClient = (endpoint: string) => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL, endpoint, maxAttempts: 5 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const counts: Counts = { requests: new Map(), readUnits: undefined, itemsRead: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      if (operation === 'Scan') throw new Error('a search sent a Scan');
      counts.requests.set(operation, (counts.requests.get(operation) ?? 0) + 1);
      const result = await next({ ...args, input: { ...(args.input as object), ReturnConsumedCapacity: 'TOTAL' } });
      const output = result.output as {
        ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
        ScannedCount?: number;
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
      };
      const consumed = units(output.ConsumedCapacity);
      if (consumed !== undefined && READS.has(operation)) counts.readUnits = (counts.readUnits ?? 0) + consumed;
      if (operation === 'Query') counts.itemsRead += output.ScannedCount ?? 0;
      else if (operation === 'GetItem' && output.Item) counts.itemsRead++;
      else if (operation === 'BatchGetItem')
        counts.itemsRead += Object.values(output.Responses ?? {}).reduce((sum, list) => sum + list.length, 0);
      return result;
    },
    { step: 'initialize', name: 'benchCountSearch' },
  );
  const reset = () => {
    counts.requests = new Map();
    counts.readUnits = undefined;
    counts.itemsRead = 0;
  };
  return { client, counts, reset };
};

const CALLERS: Record<SearchCase['who'], Identity> = {
  lead: { id: 'bench-lead', role: 'lead', teams: ['it-support'] },
  agent: { id: 'bench-agent-it-support', role: 'agent', teams: ['it-support'] },
  requester: { id: 'bench-requester-42', role: 'requester', teams: [] },
};

export const measureSearch = async (
  endpoint: string,
  options: { tickets: number; runs: number; warmup: number; concurrency: number },
): Promise<SearchFigures> => {
  const admin = new DynamoDBClient({ ...LOCAL, endpoint });
  const seeder = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL, endpoint, maxAttempts: 5 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const table = 'bench-search';
  const now = new Date();
  try {
    await ensureTable(admin, table);
    const tickets = syntheticTickets(options.tickets, now);
    const words = new Set<string>();
    let items = 0;
    let postings = 0;
    const seedMs = await timed(async () => {
      // A thousand tickets' items at a time: the whole desk's items would not fit in memory at once.
      for (let start = 0; start < tickets.length; start += 1_000) {
        const chunk = tickets.slice(start, start + 1_000).map(itemsOf);
        const batch = chunk.flatMap((entry) => entry.items);
        for (const entry of chunk) for (const term of entry.terms) if (!term.includes(':')) words.add(term);
        items += batch.length;
        postings += batch.length - 2 * chunk.length;
        await batchPut(seeder, table, batch, options.concurrency);
      }
      const vocabularyItems = [...words].map((term) => ({ ...vocabularyKey(term), entity: 'search-word' }));
      await batchPut(seeder, table, [...vocabularyItems, { ...TICKET_COUNTER_KEY, value: options.tickets }], options.concurrency);
      items += vocabularyItems.length + 1;
    });

    const common = vocabulary();
    // A word in about a tenth of the tickets, one in about one in a hundred, and two of them together.
    const frequent = common[0]!;
    const middling = common[40]!;
    const plans: Omit<SearchCase, 'p50' | 'p95' | 'requests' | 'readUnits' | 'itemsRead' | 'hits'>[] = [
      { name: 'one common word', q: frequent, who: 'lead' },
      { name: 'two words', q: `${frequent} ${middling}`, who: 'lead' },
      { name: 'a rarer word, status filter', q: middling, who: 'lead', filter: 'status=open' },
      { name: 'a misspelt word', q: `${middling.slice(0, -1)}x${middling.slice(-1)}`, who: 'lead' },
      { name: 'an agent (their teams only)', q: `${frequent} ${middling}`, who: 'agent' },
      { name: 'a requester (own tickets)', q: frequent, who: 'requester' },
    ];
    const config = loadConfig();
    const { client, counts, reset } = countingClient(endpoint);
    const deps = { tickets: createTicketStore(client, table), search: createSearchStore(client, table), clock: systemClock, config };
    const cases: SearchCase[] = [];
    for (const plan of plans) {
      const query = searchTicketsQuerySchema.parse({ q: plan.q, ...Object.fromEntries(new URLSearchParams(plan.filter ?? '')) });
      for (let run = 0; run < options.warmup; run++) await searchTickets(deps, CALLERS[plan.who], query);
      const times: number[] = [];
      let last: Counts = { requests: new Map(), readUnits: undefined, itemsRead: 0 };
      let hits = 0;
      for (let run = 0; run < options.runs; run++) {
        reset();
        times.push(
          await timed(async () => {
            hits = (await searchTickets(deps, CALLERS[plan.who], query)).items.length;
          }),
        );
        last = { requests: new Map(counts.requests), readUnits: counts.readUnits, itemsRead: counts.itemsRead };
      }
      cases.push({ ...plan, p50: percentile(times, 50), p95: percentile(times, 95), ...last, hits });
    }
    client.destroy();
    return { tickets: options.tickets, items, postings, vocabulary: words.size, seedMs, runs: options.runs, cases };
  } finally {
    admin.destroy();
    seeder.destroy();
  }
};

const requestsCell = (requests: Map<string, number>) =>
  [...requests.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([operation, n]) => `${n} ${operation}`)
    .join(' + ');

export const renderSearchReport = (figures: SearchFigures, run: { date: Date; machine: string; seconds: number }): string =>
  [
    `Measured ${run.date.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench -- search --tickets ${figures.tickets}\` ` +
      `(whole run ${seconds(run.seconds)}) on ${run.machine}.`,
    '',
    '### Ticket search over a large desk',
    '',
    `${count(figures.tickets)} synthetic tickets, 40 a day, words drawn from the default knowledge base's ` +
      `${count(figures.vocabulary)}-word vocabulary with a Zipf-like spread (the commonest word is in about a tenth ` +
      'of the tickets), each with the items the search consumer writes for it: ' +
      `${count(figures.items)} items in all, ${count(figures.postings)} of them postings ` +
      `(${(figures.postings / figures.tickets).toFixed(1)} a ticket), seeded with BatchWriteItem into an in-memory DynamoDB ` +
      `Local in ${seconds(figures.seedMs / 1000)}. Each search ran ${figures.runs} times after warm-ups, through the search ` +
      'service on a document client that counts every request and asks each for its consumed capacity. A word reads at ' +
      `most ${count(POSTINGS_PER_TERM)} postings, newest first.`,
    '',
    table(
      ['search', 'caller', 'p50', 'p95', 'DynamoDB requests per search', 'items read', 'read capacity units', 'hits'],
      figures.cases.map((one) => [
        `${one.name}: \`${one.q}\`${one.filter ? ` (\`${one.filter}\`)` : ''}`,
        one.who,
        ms(one.p50),
        ms(one.p95),
        requestsCell(one.requests),
        count(one.itemsRead),
        one.readUnits === undefined ? '—' : String(one.readUnits),
        String(one.hits),
      ]),
    ),
  ].join('\n');
