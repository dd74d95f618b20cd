// `npm run redrive -- --queue <name> [--stage <stage>] [--rate <n>]`: moves what a queue's dead-letter queue
// holds back to the queue, with SQS's StartMessageMoveTask, and says what moved. Without --stage it works on
// the sandbox running from SANDBOX_DIR (its SQS emulator does the same task); with --stage, on that stage's
// stateless stack in AWS (the caller's credentials and region; it needs sqs:ListQueues,
// sqs:GetQueueAttributes, sqs:StartMessageMoveTask and sqs:ListMessageMoveTasks). Every consumer is
// idempotent on the event id, so a message that had succeeded after all does nothing the second time.
// A consumer the bus invokes itself (queues.ts `invocation: 'bus'`) has no queue to move back to in AWS: its
// dead-letter queue holds Lambda's on-failure records, so on a stage each record's event is handed to the function
// again (an asynchronous invocation, as the bus made) and the record deleted; it also needs sqs:ReceiveMessage,
// sqs:DeleteMessage and lambda:InvokeFunction. In the sandbox the local queue stands in, and the move task serves.
// docs/operations.md, "Dead-letter queue not empty", is the runbook around it.
import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { deadLetterQueueName, QUEUES } from '#shared/events/queues.ts';
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

/** The construct id CDK gives a queue's dead-letter queue (`routing-dlq` → `RoutingDlq`), after the stack's name. */
const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_, _dash: string, letter: string) => letter.toUpperCase());

/** The dead-letter queue's URL: the sandbox's by name; a stage's by the name CloudFormation generated from its prefix. */
const deadLetterUrl = async (sqs: SQSClient, options: RedriveOptions): Promise<string> => {
  const name = deadLetterQueueName(QUEUES.find((queue) => queue.name === options.queue)!);
  if (!options.stage) return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
  const prefix = `Helpdesk-${options.stage}-Stateless-Events${pascal(name)}`;
  const urls = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).QueueUrls ?? [];
  if (urls.length !== 1)
    throw new Error(`expected one queue named ${prefix}…, found ${urls.length}: is the stage deployed in this account and region?`);
  return urls[0]!;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type RedriveResult = { from: string; to: string; waiting: number; moved: number; status: string; failure?: string };

/** Lambda's on-failure record of an asynchronous invocation: which function, and the event it was given. */
type OnFailureRecord = { requestContext?: { functionArn?: unknown }; requestPayload?: unknown };

/** A bus-invoked consumer's dead letters on a stage: each event invoked again, its record deleted once handed over. */
const reinvoke = async (sqs: SQSClient, lambda: LambdaClient, url: string, from: string, to: string, waiting: number, rate?: number) => {
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      const record = JSON.parse(message.Body ?? '{}') as OnFailureRecord;
      const functionArn = record.requestContext?.functionArn;
      if (typeof functionArn !== 'string' || record.requestPayload === undefined)
        return {
          from,
          to,
          waiting,
          moved,
          status: 'FAILED',
          failure: `message ${message.MessageId} is not a Lambda on-failure record: left in place`,
        };
      await lambda.send(
        new InvokeCommand({
          FunctionName: functionArn,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(record.requestPayload)),
        }),
      );
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle! }));
      moved += 1;
      if (rate) await sleep(1000 / rate);
    }
  }
  return { from, to, waiting, moved, status: 'COMPLETED' };
};

/** Starts the move task and follows it to its end (or, for a bus-invoked consumer on a stage, invokes it again). */
export const redrive = async (
  sqs: SQSClient,
  options: RedriveOptions,
  pollMs = 1_000,
  lambda: () => LambdaClient = () => new LambdaClient({}),
): Promise<RedriveResult> => {
  const spec = QUEUES.find((queue) => queue.name === options.queue)!;
  const from = deadLetterQueueName(spec);
  const url = await deadLetterUrl(sqs, options);
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'] }),
  );
  const sourceArn = Attributes.QueueArn!;
  const waiting = Number(Attributes.ApproximateNumberOfMessages ?? 0);
  if (waiting === 0) return { from, to: options.queue, waiting, moved: 0, status: 'NOTHING_TO_MOVE' };
  if (options.stage && spec.invocation === 'bus') {
    const client = lambda();
    try {
      return await reinvoke(sqs, client, url, from, spec.handler, waiting, options.rate);
    } finally {
      client.destroy();
    }
  }
  // No destination: SQS moves each message back to the queue it was dead-lettered from.
  await sqs.send(
    new StartMessageMoveTaskCommand({ SourceArn: sourceArn, ...(options.rate ? { MaxNumberOfMessagesPerSecond: options.rate } : {}) }),
  );
  let task: ListMessageMoveTasksResultEntry | undefined;
  for (;;) {
    [task] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }))).Results ?? [];
    if (task && task.Status !== 'RUNNING' && task.Status !== 'CANCELLING') break;
    await sleep(pollMs);
  }
  return {
    from,
    to: options.queue,
    waiting,
    moved: task?.ApproximateNumberOfMessagesMoved ?? 0,
    status: task?.Status ?? 'UNKNOWN',
    ...(task?.FailureReason ? { failure: task.FailureReason } : {}),
  };
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
    if (result.status === 'NOTHING_TO_MOVE') console.log(`${result.from} (${where}) is empty: nothing to move.`);
    else
      console.log(
        `${result.from} → ${result.to} (${where}): moved ${result.moved} of ${result.waiting} message(s), task ${result.status}` +
          `${result.failure ? ` (${result.failure})` : ''}.`,
      );
    if (result.status !== 'NOTHING_TO_MOVE' && result.status !== 'COMPLETED') process.exitCode = 1;
  } catch (error) {
    console.error(`redrive: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
