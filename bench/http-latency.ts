// Latency of the API over HTTP (sandbox: local API Gateway → handler module → DynamoDB Local), beside the
// latency of the very DynamoDB requests each call made, replayed directly on a twin table; and the count
// of DynamoDB requests per call, seen by a middleware on the handlers' own client.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '#sandbox/create-table.ts';
import type { Sandbox } from '#sandbox/sandbox.ts';
import { dynamoDocumentClient, newDocumentClient } from '#shared/adapters/dynamodb.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { timed } from './stats.ts';

/** The twin table: same definition and, after the replays, the same items as the sandbox's table. */
const RAW_TABLE = 'bench-raw';

/** Sends a recorded request again, with the document client, for each operation a handler may send. */
const senders = (client: DynamoDBDocumentClient): Record<string, (input: never) => Promise<unknown>> => ({
  GetItem: (input: GetCommandInput) => client.send(new GetCommand(input)),
  PutItem: (input: PutCommandInput) => client.send(new PutCommand(input)),
  UpdateItem: (input: UpdateCommandInput) => client.send(new UpdateCommand(input)),
  DeleteItem: (input: DeleteCommandInput) => client.send(new DeleteCommand(input)),
  Query: (input: QueryCommandInput) => client.send(new QueryCommand(input)),
  TransactWriteItems: (input: TransactWriteCommandInput) => client.send(new TransactWriteCommand(input)),
});

type Sent = { operation: string; input: unknown };

export type CallResult = {
  name: string;
  /** Milliseconds per HTTP request. */
  http: number[];
  /** Milliseconds to send the same DynamoDB requests directly, one after the other, per call. */
  raw: number[];
  /** "1 UpdateItem + 1 TransactWriteItems" → number of calls that sent exactly that. */
  requests: Map<string, number>;
};

/** Every DynamoDB request the handlers send (they share one client per process), in order. */
const recordRequests = (): Sent[] => {
  const sent: Sent[] = [];
  dynamoDocumentClient().middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({ operation: String(context.commandName).replace(/Command$/, ''), input: structuredClone(args.input) });
      return next(args);
    },
    { step: 'initialize', name: 'benchRecordRequests' },
  );
  return sent;
};

const describeRequests = (sent: readonly Sent[]): string => {
  const counts = new Map<string, number>();
  for (const { operation } of sent) counts.set(operation, (counts.get(operation) ?? 0) + 1);
  return [...counts].map(([operation, count]) => `${count} ${operation}`).join(' + ') || 'none';
};

/** Points every TableName in a request (top level or inside TransactItems) at the twin table. */
const retarget = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(retarget)
    : value && Object.getPrototypeOf(value) === Object.prototype // plain objects only: Sets, Uint8Arrays stay as they are
      ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, key === 'TableName' ? RAW_TABLE : retarget(inner)]))
      : value;

/** The recorded requests of one call, aimed at the twin table, ready to be sent one after the other. */
const replayer = (send: ReturnType<typeof senders>, sent: readonly Sent[]) => {
  const requests = sent.map(({ operation, input }) => {
    if (!send[operation]) throw new Error(`the bench cannot replay ${operation}`);
    return { send: send[operation], input: retarget(input) as never };
  });
  return async () => {
    for (const request of requests) await request.send(request.input);
  };
};

type Call = { name: string; request: (i: number) => Promise<unknown> };

/**
 * The floor under every HTTP figure: milliseconds per round trip to a bare node:http server in this process that
 * answers at once with a fixed 1 KiB JSON body, over the same kind of keep-alive agent. Nothing of the API in it.
 */
const measureBareRoundTrip = async (options: { warmup: number; runs: number }): Promise<number[]> => {
  const body = JSON.stringify({ padding: 'x'.repeat(1000) });
  const server = createServer((incoming, answer) => {
    incoming.resume();
    incoming.on('end', () => answer.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 50 });
  const roundTrip = () =>
    new Promise<void>((resolve, reject) => {
      const outgoing = request({ host: '127.0.0.1', port, path: '/tickets/x', agent: keepAlive }, (response) => {
        response.resume();
        response.on('end', resolve);
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  const times: number[] = [];
  try {
    for (let i = 0; i < options.warmup + options.runs; i++) {
      const ms = await timed(roundTrip);
      if (i >= options.warmup) times.push(ms);
    }
  } finally {
    keepAlive.destroy();
    server.close();
  }
  return times;
};

export type LatencyResult = { calls: CallResult[]; bareRoundTrip: number[] };

export const measureHttpLatency = async (sandbox: Sandbox, options: { warmup: number; runs: number }): Promise<LatencyResult> => {
  const sent = recordRequests();
  // Configured exactly as the handlers' client (its timeouts and retries), but a separate instance.
  const rawClient = newDocumentClient({ endpoint: sandbox.dynamoDbEndpoint });
  const send = senders(rawClient);
  await ensureTable(new DynamoDBClient({ endpoint: sandbox.dynamoDbEndpoint }), RAW_TABLE);

  // The API is called as the direct requests are sent: node:http through a keep-alive agent like the SDK's
  // (keepAlive, 50 sockets). fetch (undici, WHATWG streams) costs some 0.4 ms more a call on these machines:
  // that would be the client library's share, not the API's.
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 50 });
  const api = (method: string, path: string, token: string | undefined, body: unknown, expect: number) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers = {
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      };
      const outgoing = request(`${sandbox.apiUrl}${path}`, { method, agent: keepAlive, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== expect) reject(new Error(`${method} ${path} gave ${response.statusCode}, not ${expect}: ${text}`));
          else resolve(JSON.parse(text) as Record<string, unknown>);
        });
      });
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  const token = async (sub: string, group: string) =>
    String((await api('POST', '/_local/token', undefined, { sub, groups: [group] }, 200)).token);
  // A requester may file only so many tickets an hour: the creates take turns over as many requesters as needed.
  const perRequester = loadConfig().limits.ticketsPerRequesterPerHour;
  const requesters: string[] = [];
  for (let n = 0; n * perRequester < options.warmup + options.runs; n++) requesters.push(await token(`bench-requester-${n}`, 'requester'));
  const requester = (i: number) => requesters[Math.floor(i / perRequester)]!;
  // A configured member of the team the bench's tickets go to (hardware → it-support): the list is that team's queue.
  const agent = await token('budi', 'agent');

  const tickets: { id: string; owner: string }[] = [];
  const calls: Call[] = [
    {
      name: 'create `POST /tickets`',
      request: async (i) => {
        const body = { subject: `Bench ticket ${i}`, description: 'The projector in room 12 shows no picture.' };
        const owner = requester(i);
        tickets.push({ id: String((await api('POST', '/tickets', owner, body, 201)).id), owner });
      },
    },
    {
      name: 'get `GET /tickets/{id}`',
      request: (i) => {
        const { id, owner } = tickets[i % tickets.length]!;
        return api('GET', `/tickets/${id}`, owner, undefined, 200);
      },
    },
    {
      name: 'list, requester `GET /tickets?requester=me&limit=25`',
      request: () => api('GET', '/tickets?requester=me&limit=25', requester(0), undefined, 200),
    },
    {
      name: 'list, agent `GET /tickets?status=new&limit=25`',
      request: () => api('GET', '/tickets?status=new&limit=25', agent, undefined, 200),
    },
  ];

  const results: CallResult[] = [];
  try {
    for (const call of calls) {
      const result: CallResult = { name: call.name, http: [], raw: [], requests: new Map() };
      for (let i = 0; i < options.warmup + options.runs; i++) {
        sent.length = 0;
        const httpMs = await timed(() => call.request(i));
        const thisCall = [...sent];
        // The design's rule: every request path is a GetItem or a Query on a key or an index, never a Scan.
        if (thisCall.some(({ operation }) => operation === 'Scan'))
          throw new Error(`${call.name} sent a Scan (${describeRequests(thisCall)}): request paths must never scan`);
        // The same requests straight away, on the twin table (which so gets the same items as the real one).
        const rawMs = await timed(replayer(send, thisCall));
        if (i < options.warmup) continue;
        result.http.push(httpMs);
        result.raw.push(rawMs);
        const described = describeRequests(thisCall);
        result.requests.set(described, (result.requests.get(described) ?? 0) + 1);
      }
      results.push(result);
    }
  } finally {
    keepAlive.destroy();
    rawClient.destroy();
  }
  return { calls: results, bareRoundTrip: await measureBareRoundTrip(options) };
};
