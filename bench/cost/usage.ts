// From measured counts to monthly quantities per priced meter. The scenario gives what one idle SLA check,
// one ticket's whole life and one trends run send and take; the stacks give what is billed by the month.
// What neither can measure is an assumption, named here with its reason, and printed by `npm run cost`.
import { HTTP_ROUTES } from '#shared/http/routes.ts';
import type { Measured, Request } from './meter.ts';
import type { Usage } from './model.ts';
import type { ScenarioCounts } from './scenario.ts';
import type { StackCounts } from './stack-counts.ts';

export const ASSUMPTIONS = {
  /** AWS prices a month as 730 hours. */
  hoursPerMonth: 730,
  /** An idle SQS event source mapping keeps about five pollers long-polling (20 s) its queue: 3 receives a minute each (AWS Lambda docs, "Using Lambda with Amazon SQS"). */
  pollersPerQueue: 5,
  receivesPerPollerPerMinute: 3,
  /** Lambda's own START, END and REPORT lines (with the X-Ray trace id) per invocation. */
  platformLogBytes: 400,
  /** DynamoDB asks KMS for the table key (its AWS managed key) about once every 5 minutes while in use. */
  dynamodbKmsRequestsPerHour: 12,
  /** sync-staff does not run in the sandbox (no user pool): one run is taken as one idle SLA check (one invocation, one Query). */
  syncStaffLikeIdleSlaCheck: true,
  /** Functions that read the signing key (an SSM SecureString): each invocation counted as a cold start that reads it (an upper bound). */
  signingKeyReaders: ['track-ticket', 'track-comment', 'track-upload', 'track-attachment', 'rate-ticket', 'comment-rating'],
} as const;

const HTTP_HANDLERS = new Set(HTTP_ROUTES.map((route) => route.handler));

/**
 * A request as AWS bills it. EventBridge delivers each event to a queue as one SendMessage; the sandbox's bus sends
 * the deliveries that are ready together in one SendMessageBatch (sandbox/eventbridge-local.ts), so each of its
 * entries is one request on AWS.
 */
export const asBilled = (request: Request): { operation: string; requests: number } =>
  request.sender === '' && request.service === 'SQS' && request.operation === 'SendMessageBatch'
    ? { operation: 'SendMessage', requests: request.entries }
    : { operation: request.operation, requests: 1 };

const perMinute = (expression: string) => {
  const rate = /^rate\((\d+) minutes?\)$/.exec(expression);
  return rate ? 1 / Number(rate[1]) : undefined;
};

/** One run's quantities (of the idle SLA check, the tickets, a trends run), before any scaling. */
export const quantities = (measured: Measured, memoryMb: (fn: string) => number, traced: (fn: string) => boolean) => {
  const { invocations, requests } = measured;
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const by = (sender: 'function' | 'aws', service: string, operations?: readonly string[]) =>
    requests.filter(
      (request) =>
        (sender === 'function' ? request.sender !== '' : request.sender === '') &&
        request.service === service &&
        (!operations || operations.includes(request.operation)),
    );
  const fromFunctions = requests.filter((request) => request.sender !== '');
  // What the sandbox's stand-ins send for AWS: the bus delivering to a queue, the pollers deleting what a
  // function handled (an empty or not receive is the idle polling, counted from the stacks), SES storing a mail.
  const deliveries = by('aws', 'SQS', [
    'SendMessage',
    'SendMessageBatch',
    'DeleteMessage',
    'DeleteMessageBatch',
    'ChangeMessageVisibilityBatch',
  ]);
  const mailsReceived = by('aws', 'S3', ['PutObject']).length;
  const signingKeyReads = invocations.filter((invocation) =>
    (ASSUMPTIONS.signingKeyReaders as readonly string[]).includes(invocation.fn),
  ).length;
  return {
    'lambda.requests': invocations.length,
    'lambda.arm64GbSeconds': sum(invocations.map((invocation) => (Math.ceil(invocation.ms) / 1000) * (memoryMb(invocation.fn) / 1024))),
    'apigateway.httpRequests': invocations.filter((invocation) => HTTP_HANDLERS.has(invocation.fn)).length,
    // Active tracing: Lambda's sampling (the first request each second, then 5 %) keeps, at a desk's rate, nearly
    // every invocation of a traced function; the PassThrough ones record none.
    'xray.traces': invocations.filter((invocation) => traced(invocation.fn)).length,
    'dynamodb.writeUnits': sum(fromFunctions.map((request) => request.writeUnits)),
    'dynamodb.readUnits': sum(fromFunctions.map((request) => request.readUnits)),
    'sqs.requests': by('function', 'SQS').length + sum(deliveries.map((request) => asBilled(request).requests)),
    'eventbridge.events': sum(by('function', 'EventBridge', ['PutEvents']).map((request) => request.entries)),
    'ses.outbound': sum(by('function', 'SESv2', ['SendEmail']).map((request) => request.entries)),
    'ses.inbound': mailsReceived,
    'ses.inboundChunks': mailsReceived,
    's3.writeRequests': by('function', 'S3', ['PutObject', 'CopyObject', 'ListObjectsV2', 'CreateMultipartUpload']).length + mailsReceived,
    's3.readRequests': by('function', 'S3', ['GetObject', 'HeadObject']).length,
    // The signing key is an SSM parameter (standard throughput: GetParameter is free); the chat channels' secret
    // reads are not in the scenario (no chat traffic).
    'secretsmanager.apiCalls': 0,
    // SSM decrypts the SecureString with KMS (aws/ssm) on each read.
    'kms.requests': signingKeyReads,
    'cloudwatch.logsIngestedGb': sum(invocations.map((invocation) => invocation.logBytes + ASSUMPTIONS.platformLogBytes)) / 1024 ** 3,
  } as const;
};

const scale = <T extends Record<string, number>>(values: T, factor: number) =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value * factor])) as { [K in keyof T]: number };
const add = (...parts: Record<string, number>[]) => {
  const total: Record<string, number> = {};
  for (const part of parts) for (const [key, value] of Object.entries(part)) total[key] = (total[key] ?? 0) + value;
  return total;
};

export type UsageBreakdown = { usage: Usage; notes: string[] };

export const usageFrom = (scenario: ScenarioCounts, stacks: StackCounts): UsageBreakdown => {
  const minutes = ASSUMPTIONS.hoursPerMonth * 60;
  const memoryMb = (fn: string) => {
    const key = fn.replaceAll('-', '');
    return stacks.memoryMb.get(key) ?? [...stacks.memoryMb].find(([id]) => key.startsWith(id))?.[1] ?? 256;
  };
  const traced = (fn: string) => {
    const key = fn.replaceAll('-', '');
    // By construct id, or its start (InboundFunction runs inbound-mail); never the empty id of a construct named Function.
    return stacks.traced.has(key) || [...stacks.traced].some((id) => id !== '' && key.startsWith(id));
  };
  const idleRun = scale(quantities(scenario.idleSlaCheck, memoryMb, traced), 1 / scenario.idleRuns);
  const slaRuns = minutes * (perMinute('rate(1 minute)') ?? 0);
  const otherRuns = stacks.schedules.filter((expression) => expression !== 'rate(1 minute)').map(perMinute);
  // sync-staff (every 5 minutes) is the other rate() schedule; the weekly trends job is the cron one.
  const syncRuns = minutes * otherRuns.reduce<number>((sum, rate) => sum + (rate ?? 0), 0);
  const trendsRuns =
    (ASSUMPTIONS.hoursPerMonth / (7 * 24)) * stacks.schedules.filter((expression) => expression.startsWith('cron(')).length;
  const idlePolls = stacks.queuePollers * ASSUMPTIONS.pollersPerQueue * ASSUMPTIONS.receivesPerPollerPerMinute * minutes;
  const seriesIdle = scenario.idleSlaCheck.metrics.size;
  const seriesBusy = new Set([...scenario.idleSlaCheck.metrics, ...scenario.tickets.metrics, ...scenario.trends.metrics]).size;
  const fixed = add(scale(idleRun, slaRuns + syncRuns), scale(quantities(scenario.trends, memoryMb, traced), trendsRuns), {
    'sqs.requests': idlePolls,
    'kms.requests': ASSUMPTIONS.dynamodbKmsRequestsPerHour * ASSUMPTIONS.hoursPerMonth,
    'kms.keys': stacks.kmsKeys,
    'secretsmanager.secrets': stacks.secrets,
    'cloudwatch.alarmMetrics': stacks.alarmMetrics,
    'cloudwatch.dashboards': stacks.dashboards,
    'cloudwatch.metrics': seriesIdle,
  });
  const perTicket = scale(quantities(scenario.tickets, memoryMb, traced), 1 / scenario.ticketCount);
  return {
    // Custom metrics are billed by the series and the hours it is sent in, not by the ticket: once tickets
    // flow, every series they emitted is counted as sent every hour of the month (an upper bound).
    usage: { fixed, perTicket, whenBusy: { 'cloudwatch.metrics': seriesBusy - seriesIdle } },
    notes: [
      `one-minute SLA check: ${slaRuns.toLocaleString('en')} runs a month; sync-staff: ${syncRuns.toLocaleString('en')} (each taken as an idle SLA check); weekly trends: ${trendsRuns.toFixed(2)} runs`,
      `idle queue polling: ${stacks.queuePollers} SQS event source mappings × ${ASSUMPTIONS.pollersPerQueue} pollers × ${ASSUMPTIONS.receivesPerPollerPerMinute} empty receives a minute = ${idlePolls.toLocaleString('en')} requests a month`,
      `stacks: ${stacks.alarms} alarms watching ${stacks.alarmMetrics} metrics, ${stacks.dashboards} dashboard(s), ${stacks.kmsKeys} customer managed KMS key(s), ${stacks.secrets} secret(s); functions on ${[...stacks.architectures].join(', ')}`,
      `custom metrics (EMF name × dimension values): ${seriesIdle} sent while idle, ${seriesBusy} once tickets flow (each billed as sent every hour once there are tickets: an upper bound)`,
    ],
  };
};
