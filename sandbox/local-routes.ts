// The sandbox's own routes under /_local/ (never in AWS): tokens signed as Cognito would, the emulators'
// health, queue depths, dead letters and stuck work, the helpdesk's clock, the scheduled jobs on demand, and
// fault injection (DynamoDB, SQS, SES, Telegram or WhatsApp down and back). Each answers JSON; bad input is a
// 400 naming the field, like the API's problems.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { advanceClock, systemClock } from '#shared/adapters/clock.ts';
import { EVENT_BUS_NAME } from '#shared/events/bus-definition.ts';
import { DEAD_LETTER_QUEUES, deadLetterQueueName, QUEUES } from '#shared/events/queues.ts';
import { SWEEP_SCHEDULE } from '#shared/events/schedules.ts';
import { zodProblems } from '#shared/http/middleware/validate-request.ts';
import type { LocalRoute } from './api-gateway.ts';
import { parseIsoDuration } from './durations.ts';
import type { DynamoDbLocal } from './dynamodb-local.ts';
import type { LocalEventBus } from './eventbridge-local.ts';
import { type LocalIssuer, tokenRequestSchema } from './local-jwt.ts';
import type { QueuePollers } from './queue-poller.ts';
import type { LocalS3 } from './s3-local.ts';
import type { Scheduler } from './scheduler.ts';
import type { LocalSes } from './ses-local.ts';
import type { LocalSmtp } from './smtp-server.ts';
import type { LocalSqs } from './sqs-local.ts';
import { DisabledPersonError, signInStaff } from './staff.ts';
import type { StreamPoller } from './stream-poller.ts';
import type { LocalTelegram } from './telegram-local.ts';
import type { LocalWhatsapp } from './whatsapp-local.ts';

export type LocalRoutesOptions = {
  region: string;
  issuer: LocalIssuer;
  tableName: string;
  emulators: {
    dynamo: DynamoDbLocal;
    /** A DynamoDB client for the health check. */
    admin: DynamoDBClient;
    sqs: LocalSqs;
    /** The queues' consumers (their retries). */
    pollers: QueuePollers;
    bus: LocalEventBus;
    ses: LocalSes;
    s3: LocalS3;
    smtp: LocalSmtp;
    stream: StreamPoller;
    scheduler: Scheduler;
    /** The stand-ins for Telegram and WhatsApp (WhatsApp only when the configuration sets it up). */
    telegram: LocalTelegram;
    whatsapp?: LocalWhatsapp | undefined;
  };
  /** The local mail bucket and the receipt rule's prefix. */
  mail: { bucket: string; prefix: string };
};

const parseJson = (body: Buffer): unknown => {
  try {
    return body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
};

const badRequest = (detail: string, errors: { path: string; message: string }[]) => ({
  status: 400,
  body: { title: 'Bad request', status: 400, detail, errors },
});

/** `{"running": true|false}` for an emulator that can be taken down and brought back. */
const switchRoute =
  (
    name: 'dynamodb' | 'sqs' | 'ses' | 'telegram' | 'whatsapp' | 'consumers',
    emulator: { running(): boolean; setRunning(running: boolean): Promise<void> },
    takeDown: string,
  ): LocalRoute =>
  async (_request, body) => {
    const request = parseJson(body) as { running?: unknown } | undefined;
    if (typeof request?.running !== 'boolean')
      return badRequest(`Say {"running": false} to take ${takeDown}, {"running": true} to bring it back.`, [
        { path: 'running', message: 'must be true or false' },
      ]);
    await emulator.setRunning(request.running);
    return { status: 200, body: { [name]: { running: emulator.running() } } };
  };

/** The routes by `METHOD /path`, and a stop for the client they keep. */
export const createLocalRoutes = (options: LocalRoutesOptions): { routes: Record<string, LocalRoute>; stop(): void } => {
  const { issuer, tableName, mail } = options;
  const { dynamo, admin, sqs, pollers, bus, ses, s3, smtp, stream, scheduler, telegram, whatsapp } = options.emulators;
  const sqsAdmin = new SQSClient({ region: options.region, maxAttempts: 1 });

  /** The sweeper's last findings (shared/domain/stuck-work): what should have moved and had not. */
  const stuckWork = () => {
    const last = scheduler.lastResult(SWEEP_SCHEDULE) as { at: string; result: { found: Record<string, number> } } | undefined;
    return last ? { checkedAt: last.at, found: last.result.found } : undefined;
  };

  /** A queue's depth; null counts when SQS did not answer (health says so instead of failing as a whole). */
  const queueDepth = async (name: string) => {
    // Messages the consumer failed and handed back to be received again (a dead-letter queue has none).
    const retries = pollers.retries(name);
    try {
      const { Attributes = {} } = await sqsAdmin.send(
        new GetQueueAttributesCommand({
          QueueUrl: sqs.queueUrl(name),
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
        { abortSignal: AbortSignal.timeout(2_000) },
      );
      return {
        visible: Number(Attributes.ApproximateNumberOfMessages),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
        retries,
      };
    } catch {
      return { visible: null, inFlight: null, retries };
    }
  };

  const routes: Record<string, LocalRoute> = {
    'POST /_local/token': async (_request, body) => {
      const parsed = tokenRequestSchema.safeParse(parseJson(body));
      if (!parsed.success) return badRequest('The token request is not valid.', zodProblems(parsed.error));
      // A staff member signing in carries the teams the pool knows, and is in the staff directory from then on;
      // a disabled account cannot sign in (403, as Cognito's NotAuthorizedException). A machine client is no person.
      let request: typeof parsed.data;
      try {
        request = parsed.data.machine ? parsed.data : await signInStaff(parsed.data);
      } catch (error) {
        if (!(error instanceof DisabledPersonError)) throw error;
        return {
          status: 403,
          body: { title: 'Forbidden', status: 403, detail: 'This account is disabled.', errors: [{ path: 'sub', message: 'is disabled' }] },
        };
      }
      // Tokens live in real time: moving the sandbox clock to watch an SLA run out keeps you signed in.
      return { status: 200, body: { token: issuer.sign(request, new Date()) } };
    },
    'GET /_local/health': async () => {
      // Everything that is wrong, in words; "ok" only when there is nothing to say.
      const problems: string[] = [];
      const dynamoOk =
        dynamo.running() &&
        (await admin.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(2_000) }).then(
          () => true,
          () => false,
        ));
      if (!dynamo.running()) problems.push('DynamoDB Local is down (POST /_local/emulators/dynamodb {"running": true} brings it back)');
      else if (!dynamoOk) problems.push('DynamoDB Local does not answer');
      const streamFailures = stream.failures();
      if (streamFailures.length > 0)
        problems.push(`the table stream set ${streamFailures.length} batch(es) aside (docs/operations.md, "Stream failures")`);
      const queues = sqs.running()
        ? Object.fromEntries(
            await Promise.all(
              [...QUEUES.map((queue) => queue.name), ...DEAD_LETTER_QUEUES].map(async (name) => [name, await queueDepth(name)] as const),
            ),
          )
        : {};
      const unanswered = Object.entries(queues)
        .filter(([, depth]) => depth.visible === null)
        .map(([name]) => name);
      if (unanswered.length > 0) problems.push(`SQS did not say how many messages ${unanswered.join(', ')} hold(s)`);
      if (!sqs.running()) problems.push('SQS is down (POST /_local/emulators/sqs {"running": true} brings it back)');
      if (!pollers.running()) problems.push('the queue consumers are paused (POST /_local/consumers {"running": true} resumes them)');
      // The consumers share two dead-letter queues (queues.ts): each dead letter is counted for the queue it came from.
      const deadLetters = sqs.running() ? sqs.deadLetters() : {};
      for (const queue of QUEUES) {
        const held = deadLetters[queue.name] ?? 0;
        if (held > 0)
          problems.push(
            `${deadLetterQueueName(queue)} holds ${held} message(s) of ${queue.name}: fix the cause, then npm run redrive -- --queue ${queue.name}`,
          );
      }
      if (bus.retrying() > 0) problems.push(`the bus is retrying ${bus.retrying()} delivery(ies) to SQS`);
      const sesOk =
        ses.running() &&
        (await fetch(`${ses.endpoint}/health-check`, { signal: AbortSignal.timeout(2_000) }).then(
          (response) => response.ok,
          () => false,
        ));
      if (!ses.running()) problems.push('SES is down (POST /_local/emulators/ses {"running": true} brings it back)');
      else if (!sesOk) problems.push('SES does not answer');
      if (!smtp.running()) problems.push('the SMTP server is not running');
      if (!s3.running()) problems.push('the S3 stand-in is not running');
      if (!telegram.running()) problems.push('Telegram is down (POST /_local/emulators/telegram {"running": true} brings it back)');
      if (whatsapp && !whatsapp.running())
        problems.push('WhatsApp is down (POST /_local/emulators/whatsapp {"running": true} brings it back)');
      const stuck = stuckWork();
      const stuckCount = Object.values(stuck?.found ?? {}).reduce((sum, count) => sum + count, 0);
      if (stuckCount > 0) problems.push(`the last sweep found ${stuckCount} piece(s) of stuck work and re-drove them`);
      const ok = problems.length === 0;
      return {
        status: ok ? 200 : 503,
        body: {
          status: ok ? 'ok' : 'degraded',
          problems,
          now: systemClock.now().toISOString(),
          emulators: {
            dynamodb: { endpoint: dynamo.endpoint, table: tableName, running: dynamo.running(), ok: dynamoOk, streamFailures },
            sqs: { endpoint: sqs.endpoint, ok: sqs.running(), consumers: { running: pollers.running() }, queues, deadLetters },
            eventbridge: {
              endpoint: bus.endpoint,
              bus: EVENT_BUS_NAME,
              ok: bus.running() && bus.retrying() === 0,
              pendingDeliveries: bus.pending(),
              retryingDeliveries: bus.retrying(),
            },
            ses: { endpoint: ses.endpoint, mailViewer: ses.viewerUrl, ok: sesOk },
            // SES receiving: mail sent here (loopback, no auth) is stored in the S3 stand-in and handled.
            smtp: { host: 'localhost', port: smtp.port, running: smtp.running(), ok: smtp.running() },
            s3: { endpoint: s3.endpoint, bucket: mail.bucket, prefix: mail.prefix, running: s3.running(), ok: s3.running() },
            // The chat platforms' stand-ins: a person writes through `POST <endpoint>/_sandbox/…` (docs/channels.md).
            telegram: { endpoint: telegram.endpoint, running: telegram.running(), ok: telegram.running(), webhook: telegram.webhook().url },
            ...(whatsapp ? { whatsapp: { endpoint: whatsapp.endpoint, running: whatsapp.running(), ok: whatsapp.running() } } : {}),
          },
          stuckWork: stuck ?? null,
          schedules: scheduler.names,
        },
      };
    },
    'POST /_local/clock': async (_request, body) => {
      const request = parseJson(body) as { advance?: unknown } | undefined;
      const ms = typeof request?.advance === 'string' ? parseIsoDuration(request.advance) : undefined;
      if (ms === undefined)
        return badRequest('Say how far to move the clock as an ISO 8601 duration, e.g. {"advance": "PT2H"}.', [
          { path: 'advance', message: 'must be an ISO 8601 duration such as PT2H or P1DT30M' },
        ]);
      return { status: 200, body: { now: advanceClock(ms).toISOString() } };
    },
    // Fault injection: stop DynamoDB Local's Java process and start it again (the data is on disk).
    'POST /_local/emulators/dynamodb': switchRoute('dynamodb', dynamo, 'DynamoDB Local down'),
    // Fault injection: take the SQS emulator off the network and bring it back, state intact.
    'POST /_local/emulators/sqs': switchRoute('sqs', sqs, 'SQS down'),
    // Fault injection: SES unreachable (mails already sent stay in the viewer). Sends fail and are retried.
    'POST /_local/emulators/ses': switchRoute('ses', ses, 'SES down'),
    // Fault injection: a chat platform's API unreachable. Messages to it fail, are retried, and go out once it is back.
    'POST /_local/emulators/telegram': switchRoute('telegram', telegram, 'Telegram down'),
    ...(whatsapp ? { 'POST /_local/emulators/whatsapp': switchRoute('whatsapp', whatsapp, 'WhatsApp down') } : {}),
    // The queue consumers paused (messages wait on their queues, as behind disabled event source mappings) and
    // resumed: the bench measures API calls with nothing else on the handlers' client, and SQS still up.
    'POST /_local/consumers': switchRoute('consumers', pollers, 'the queue consumers off'),
  };
  for (const name of scheduler.names)
    routes[`POST /_local/run/${name}`] = async () => ({ status: 200, body: { schedule: name, result: await scheduler.run(name) } });

  return { routes, stop: () => sqsAdmin.destroy() };
};
