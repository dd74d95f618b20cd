// The cost scenario's meter, installed in the sandbox's own process before it starts: every local Lambda
// invocation (by function, with its duration), every AWS request sent (by service and operation, the
// function that sent it or none: the sandbox's stand-ins for AWS's own deliveries), DynamoDB's consumed
// capacity, EventBridge entries, the bytes each function logs, and the custom metrics (EMF) it emits.
import { AsyncLocalStorage } from 'node:async_hooks';
import { __Client } from '@aws-sdk/client-s3';
import { observeInvocations } from '#sandbox/lambda-context.ts';

/** Who sent a request: a function's name, or `''` for the sandbox itself (the bus, the pollers, SES's S3 action). */
type Sender = string;

export type Invocation = { fn: string; ms: number; logBytes: number };
export type Request = { sender: Sender; service: string; operation: string; readUnits: number; writeUnits: number; entries: number };
/** One custom metric as CloudWatch bills it: namespace, name and one set of dimension values. */
export type MetricSeries = string;

export type Measured = { invocations: Invocation[]; requests: Request[]; metrics: Set<MetricSeries> };
/** `take()`: what was recorded since the last take. */
export type Meter = { take(): Measured };

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
/** The document client's commands under DynamoDB's own operation names (GetCommand sends GetItem). */
const DOCUMENT_OPERATIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

const units = (consumed: Capacity | Capacity[] | undefined) =>
  (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, one) => sum + (one.CapacityUnits ?? 0), 0);

/** The EMF documents in a chunk of stdout: each metric once per distinct dimension set and values. */
const emfSeries = (line: string): MetricSeries[] => {
  if (!line.includes('"_aws"')) return [];
  try {
    const document = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    return document._aws.CloudWatchMetrics.flatMap(({ Namespace, Dimensions, Metrics }) =>
      Metrics.flatMap(({ Name }) =>
        (Dimensions.length > 0 ? Dimensions : [[]]).map(
          (set) => `${Namespace} ${Name} ${set.map((dimension) => `${dimension}=${String(document[dimension])}`).join(',')}`,
        ),
      ),
    );
  } catch {
    return [];
  }
};

export const installMeter = (): Meter => {
  const current = new AsyncLocalStorage<Invocation>();
  const meter = {
    invocations: [] as Invocation[],
    requests: [] as Request[],
    metrics: new Set<MetricSeries>(),
  };

  observeInvocations(async (fn, invoke) => {
    const invocation: Invocation = { fn, ms: 0, logBytes: 0 };
    const started = performance.now();
    try {
      return await current.run(invocation, invoke);
    } finally {
      invocation.ms = performance.now() - started;
      meter.invocations.push(invocation);
    }
  });

  // What a function writes is its log (CloudWatch Logs ingests it); EMF lines are its custom metrics too.
  // Swallowed here, so the scenario's output stays readable.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const invocation = current.getStore();
    if (!invocation) return write(chunk, ...rest);
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    invocation.logBytes += Buffer.byteLength(text);
    for (const line of text.split('\n')) for (const series of emfSeries(line)) meter.metrics.add(series);
    return true;
  }) as typeof process.stdout.write;

  // Every SDK client (DynamoDB, the document client, SQS, EventBridge, SES, S3, Secrets Manager, …) extends
  // this one class: one wrapper sees every request, whoever sends it.
  const send = __Client.prototype.send;
  __Client.prototype.send = async function (
    this: InstanceType<typeof __Client>,
    command: { input: Record<string, unknown> },
    ...rest: never[]
  ) {
    const service = String((this.config as { serviceId?: string }).serviceId ?? 'unknown');
    const name = command.constructor.name.replace(/Command$/, '');
    const operation = DOCUMENT_OPERATIONS[name] ?? name;
    const dynamo = service === 'DynamoDB';
    if (dynamo) command.input.ReturnConsumedCapacity ??= 'TOTAL';
    const request: Request = { sender: current.getStore()?.fn ?? '', service, operation, readUnits: 0, writeUnits: 0, entries: 1 };
    meter.requests.push(request);
    // A refused request (a failed condition) is billed too; it is counted, with the capacity it reports if any.
    const output = (await (send as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest)) as {
      ConsumedCapacity?: Capacity | Capacity[];
      Messages?: unknown[];
    };
    const consumed = dynamo ? units(output?.ConsumedCapacity) : 0;
    // DynamoDB bills a read that finds nothing as the minimum, half a unit; DynamoDB Local reports 0 for it.
    if (READS.has(operation)) request.readUnits = Math.max(consumed, operation === 'GetItem' || operation === 'Query' ? 0.5 : 0);
    else request.writeUnits = consumed;
    // PutEvents is billed per entry; a receive by what it brought (an empty receive is idle polling).
    if (Array.isArray(command.input.Entries)) request.entries = command.input.Entries.length;
    if (operation === 'ReceiveMessage') request.entries = output?.Messages?.length ?? 0;
    // SES bills a mail per recipient.
    const destination = command.input.Destination as Record<string, string[] | undefined> | undefined;
    if (operation === 'SendEmail' && destination) request.entries = Object.values(destination).flat().length;
    return output;
  } as typeof send;

  return {
    take: () => {
      const taken = { invocations: meter.invocations.splice(0), requests: meter.requests.splice(0), metrics: new Set(meter.metrics) };
      meter.metrics.clear();
      return taken;
    },
  };
};
