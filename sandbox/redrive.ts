// `npm run redrive -- --queue <name> [--stage <stage>] [--rate <n>]`: moves what the dead-letter queue holds of one
// queue back to it, and says what moved. The consumers share two dead-letter queues (queues.ts): `consumers-dlq`, the
// redrive target of every polled queue, and `invocations-dlq`, the on-failure destination of every consumer Lambda
// invokes itself. So a redrive reads the shared queue and takes only the named queue's dead letters, leaving the rest
// where they are (visible again at once): an SQS dead letter is sent back to the queue its
// `DeadLetterQueueSourceArn` names, then deleted; on a stage, a Lambda on-failure record of the named consumer (its
// `requestContext.functionArn` is the function whose description names the consumer) is handed to that function
// again (an asynchronous invocation, as the bus made), then deleted. Without --stage it works on the sandbox running
// from SANDBOX_DIR, whose local queues dead-letter into the same two queues by SQS's own redrive; with --stage, on
// that stage's stateless stack in AWS (the caller's credentials and region; it needs sqs:ListQueues,
// sqs:GetQueueAttributes, sqs:ReceiveMessage, sqs:SendMessage, sqs:DeleteMessage and sqs:ChangeMessageVisibility,
// and for a Lambda-invoked consumer lambda:GetFunctionConfiguration and lambda:InvokeFunction). Every consumer is
// idempotent on the event id, so a message that had succeeded after all does nothing the second time.
// docs/operations.md, "Dead-letter queue not empty", is the runbook around it.
import { parseArgs } from 'node:util';
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { consumerDescription, deadLetterQueueName, QUEUES, type QueueSpec } from '#shared/events/queues.ts';
import { readRunningSandbox } from './running-sandbox.ts';

export type RedriveOptions = { queue: string; stage?: string | undefined; rate?: number | undefined };

const QUEUE_NAMES = QUEUES.map((queue) => queue.name);
const STAGE = /^[a-z][a-z0-9-]{0,19}$/;

const usage = `usage: npm run redrive -- --queue ${QUEUE_NAMES.join('|')} [--stage <stage>] [--rate <messages a second>]`;

export const parseRedriveArgs = (args: string[]): RedriveOptions => {
  const { values } = parseArgs({
    args,
    options: { queue: { type: 'string' }, stage: { type: 'string' }, rate: { type: 'string' } },
    strict: true,
  });
  if (!values.queue || !QUEUE_NAMES.includes(values.queue))
    throw new Error(`--queue must be one of ${QUEUE_NAMES.join(', ')}${values.queue ? `, not "${values.queue}"` : ''}\n${usage}`);
  if (values.stage !== undefined && !STAGE.test(values.stage))
    throw new Error(`--stage must be a stage name (lower-case letters, digits and -), not "${values.stage}"\n${usage}`);
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(Number.isInteger(rate) && rate >= 1 && rate <= 500))
    throw new Error(`--rate must be a whole number of messages a second from 1 to 500, not "${values.rate}"\n${usage}`);
  return { queue: values.queue, stage: values.stage, rate };
};

/** The construct id CDK gives a queue (`consumers-dlq` → `ConsumersDlq`, `routing` → `RoutingQueue`'s `Routing`). */
const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_, _dash: string, letter: string) => letter.toUpperCase());

/** A queue's URL: the sandbox's by name; a stage's by the name CloudFormation generated from its construct id. */
const queueUrl = async (sqs: SQSClient, name: string, constructId: string, stage: string | undefined): Promise<string> => {
  if (!stage) return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
  const prefix = `Helpdesk-${stage}-Stateless-Events${constructId}`;
  const urls = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).QueueUrls ?? [];
  if (urls.length !== 1)
    throw new Error(`expected one queue named ${prefix}…, found ${urls.length}: is the stage deployed in this account and region?`);
  return urls[0]!;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type RedriveResult = {
  /** The shared dead-letter queue read. */
  from: string;
  /** The queue (or, for a Lambda-invoked consumer on a stage, the function) its dead letters went back to. */
  to: string;
  /** Dead letters of that queue found. */
  waiting: number;
  moved: number;
  /** Dead letters of other queues seen and left in place. */
  others: number;
  status: 'COMPLETED' | 'NOTHING_TO_MOVE' | 'FAILED';
  failure?: string;
};

/** Lambda's on-failure record of an asynchronous invocation: which function, and the event it was given. */
type OnFailureRecord = { requestContext?: { functionArn?: unknown }; requestPayload?: unknown };

/** What to do with one dead letter: `skip` (another queue's), or move it and say so. */
type Handling = { kind: 'skip' } | { kind: 'move'; move: () => Promise<void> } | { kind: 'refuse'; failure: string };

/** Long enough to read the whole queue before a skipped dead letter shows again. */
const SCAN_VISIBILITY_SECONDS = 300;

/**
 * Reads the dead-letter queue once through: each message `handle` says to move is moved and deleted; the others are
 * made visible again at the end (or at the first failure), for their own redrive.
 */
const scan = async (
  sqs: SQSClient,
  url: string,
  base: Pick<RedriveResult, 'from' | 'to'>,
  handle: (message: Message) => Promise<Handling>,
  rate: number | undefined,
): Promise<RedriveResult> => {
  const seen = new Set<string>();
  // Received and not moved: made visible again at the end, whatever ends the scan (other queues' dead letters, and
  // those of a batch a failure stopped at).
  const release: string[] = [];
  let others = 0;
  let waiting = 0;
  let moved = 0;
  let failure: string | undefined;
  try {
    while (!failure) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: SCAN_VISIBILITY_SECONDS,
          // AttributeNames, which SQS still serves though MessageSystemAttributeNames replaced it: the sandbox's
          // emulator (local-aws-sqs 2.0.2) knows only this one.
          AttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const fresh = Messages.filter((message) => !seen.has(message.MessageId!));
      if (fresh.length === 0) break;
      release.push(...fresh.map((message) => message.ReceiptHandle!));
      for (const message of fresh) {
        seen.add(message.MessageId!);
        const handling = await handle(message);
        if (handling.kind === 'skip') {
          others += 1;
          continue;
        }
        waiting += 1;
        if (handling.kind === 'refuse') {
          failure = handling.failure;
          break;
        }
        await handling.move();
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle! }));
        release.splice(release.indexOf(message.ReceiptHandle!), 1);
        moved += 1;
        if (rate) await sleep(1000 / rate);
      }
    }
  } finally {
    for (const receiptHandle of release)
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: receiptHandle, VisibilityTimeout: 0 }));
  }
  const status = failure ? 'FAILED' : waiting === 0 ? 'NOTHING_TO_MOVE' : 'COMPLETED';
  return { ...base, waiting, moved, others, status, ...(failure ? { failure } : {}) };
};

/** SQS dead letters of one queue, sent back to it (what StartMessageMoveTask does, for one source of a shared DLQ). */
const moveBack = async (sqs: SQSClient, spec: QueueSpec, from: string, url: string, stage: string | undefined, rate?: number) => {
  const target = await queueUrl(sqs, spec.name, `${pascal(spec.name)}Queue`, stage);
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: target, AttributeNames: ['QueueArn'] }));
  const sourceArn = Attributes.QueueArn!;
  return scan(
    sqs,
    url,
    { from, to: spec.name },
    async (message) =>
      message.Attributes?.DeadLetterQueueSourceArn !== sourceArn
        ? { kind: 'skip' }
        : {
            kind: 'move',
            move: async () => {
              await sqs.send(
                new SendMessageCommand({
                  QueueUrl: target,
                  MessageBody: message.Body ?? '',
                  ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
                }),
              );
            },
          },
    rate,
  );
};

/** A Lambda-invoked consumer's on-failure records on a stage: each event of that consumer invoked again. */
const reinvoke = async (sqs: SQSClient, lambda: LambdaClient, spec: QueueSpec, from: string, url: string, rate?: number) => {
  // Which function an ARN is: its description names the consumer (CDK generates the names).
  const descriptions = new Map<string, Promise<string | undefined>>();
  const describe = (functionArn: string) => {
    const known = descriptions.get(functionArn);
    if (known) return known;
    const asked = lambda
      .send(new GetFunctionConfigurationCommand({ FunctionName: functionArn }))
      .then((configuration) => configuration.Description);
    descriptions.set(functionArn, asked);
    return asked;
  };
  return scan(
    sqs,
    url,
    { from, to: spec.handler },
    async (message): Promise<Handling> => {
      let record: OnFailureRecord;
      try {
        record = JSON.parse(message.Body ?? '{}') as OnFailureRecord;
      } catch {
        record = {};
      }
      const functionArn = record.requestContext?.functionArn;
      if (typeof functionArn !== 'string' || record.requestPayload === undefined)
        return { kind: 'refuse', failure: `message ${message.MessageId} is not a Lambda on-failure record: left in place` };
      if ((await describe(functionArn)) !== consumerDescription(spec)) return { kind: 'skip' };
      return {
        kind: 'move',
        move: async () => {
          await lambda.send(
            new InvokeCommand({
              FunctionName: functionArn,
              InvocationType: 'Event',
              Payload: Buffer.from(JSON.stringify(record.requestPayload)),
            }),
          );
        },
      };
    },
    rate,
  );
};

/** Moves one queue's dead letters back (or, for a Lambda-invoked consumer on a stage, invokes it again with them). */
export const redrive = async (
  sqs: SQSClient,
  options: RedriveOptions,
  lambda: () => LambdaClient = () => new LambdaClient({}),
): Promise<RedriveResult> => {
  const spec = QUEUES.find((queue) => queue.name === options.queue)!;
  const from = deadLetterQueueName(spec);
  const url = await queueUrl(sqs, from, pascal(from), options.stage);
  if (options.stage && spec.invocation === 'async') {
    const client = lambda();
    try {
      return await reinvoke(sqs, client, spec, from, url, options.rate);
    } finally {
      client.destroy();
    }
  }
  return moveBack(sqs, spec, from, url, options.stage, options.rate);
};

/** The SQS client: the sandbox's emulator (from its running note), or AWS with the caller's own configuration. */
const clientFor = (options: RedriveOptions): SQSClient => {
  if (options.stage) return new SQSClient({});
  const dir = process.env.SANDBOX_DIR ?? '.sandbox';
  const running = readRunningSandbox(dir);
  if (!running)
    throw new Error(`no sandbox is running from ${dir}/: start one with npm start (same SANDBOX_DIR), or name a stage with --stage`);
  return new SQSClient({
    endpoint: running.sqsEndpoint,
    region: process.env.AWS_REGION ?? 'ap-southeast-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
};

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const options = parseRedriveArgs(process.argv.slice(2));
    const sqs = clientFor(options);
    const result = await redrive(sqs, options);
    sqs.destroy();
    const where = options.stage ? `stage ${options.stage}` : 'the sandbox';
    const others = result.others > 0 ? ` ${result.others} message(s) of other queues left in ${result.from}.` : '';
    if (result.status === 'NOTHING_TO_MOVE')
      console.log(`${result.from} (${where}) holds nothing of ${options.queue}: nothing to move.${others}`);
    else
      console.log(
        `${result.from} → ${result.to} (${where}): moved ${result.moved} of ${result.waiting} message(s) of ${options.queue}, ${result.status}` +
          `${result.failure ? ` (${result.failure})` : ''}.${others}`,
      );
    if (result.status === 'FAILED') process.exitCode = 1;
  } catch (error) {
    console.error(`redrive: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
