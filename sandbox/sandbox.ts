// The whole helpdesk on one machine: DynamoDB Local with its stream, an SQS emulator, an EventBridge
// stand-in, an SES emulator with its mail viewer, the schedules, and the API served through the same
// handler modules the Lambdas run. Handlers find the emulators only through the SDK's standard endpoint
// variables, exactly as they find AWS.

import { readFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { CHANNEL_SECRET_NAMES, type ChannelSecretName, channelSecretFileEnv } from '#shared/adapters/channel-secrets.ts';
import { CHAT_QUEUE_URL_ENV } from '#shared/adapters/chat-outbox.ts';
import { TELEGRAM_API_URL_ENV, WHATSAPP_API_URL_ENV } from '#shared/adapters/chat-platforms.ts';
import { dynamoDocumentClient } from '#shared/adapters/dynamodb.ts';
import { EXPORT_FUNCTION_NAME_ENV } from '#shared/adapters/export-worker.ts';
import { LOCAL_USER_POOL_FILE_ENV } from '#shared/adapters/local-user-pool.ts';
import { MAIL_BUCKET_ENV, MAIL_PREFIX_ENV } from '#shared/adapters/mail-bucket.ts';
import { SES_CONFIGURATION_SET_ENV } from '#shared/adapters/mailer.ts';
import { CONSOLE_URL_ENV, PUBLIC_URL_ENV } from '#shared/adapters/public-links.ts';
import { queueUrlEnv } from '#shared/adapters/queue-redriver.ts';
import { WEBHOOK_QUEUE_URL_ENV } from '#shared/adapters/queue-retry.ts';
import { SIGNING_KEY_FILE_ENV } from '#shared/adapters/signing-key.ts';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import { WEBHOOK_SECRETS_DIR_ENV, webhookSecretFile } from '#shared/adapters/webhook-secrets.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { consoleConfig } from '#shared/console/console-config.ts';
import { seedArticles } from '#shared/domain/kb/manage-articles.ts';
import { EVENT_BUS_NAME, EVENT_BUS_NAME_ENV } from '#shared/events/bus-definition.ts';
import { QUEUES } from '#shared/events/queues.ts';
import { SWEEP_SCHEDULE } from '#shared/events/schedules.ts';
import { defaultArticles } from '#shared/kb/default-articles.ts';
import { kbDeps } from '#shared/wiring/kb-deps.ts';
import { createApiGateway } from './api-gateway.ts';
import { DEFAULT_CONSOLE_DIST, startConsoleServer } from './console-server.ts';
import { ensureTable } from './create-table.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { startLocalEventBus } from './eventbridge-local.ts';
import { localFunctionName, startLocalLambda } from './lambda-local.ts';
import { createLocalIssuer } from './local-jwt.ts';
import { createLocalRoutes } from './local-routes.ts';
import { startQueuePollers } from './queue-poller.ts';
import { recordRunningSandbox } from './running-sandbox.ts';
import { startLocalS3 } from './s3-local.ts';
import { startScheduler } from './scheduler.ts';
import { startLocalSes } from './ses-local.ts';
import { startLocalSmtp } from './smtp-server.ts';
import { startLocalSqs } from './sqs-local.ts';
import { localPeople, seedRoster } from './staff.ts';
import { startStreamPoller } from './stream-poller.ts';
import { ensureSigningKeyFile, ensureTokenFile, ensureWebhookSecrets, reservePort, SandboxError } from './support.ts';
import { type LocalTelegram, startLocalTelegram } from './telegram-local.ts';
import { type LocalWhatsapp, startLocalWhatsapp } from './whatsapp-local.ts';

/** The sandbox's middleware on the functions' DynamoDB client that tells the stream poller of each write. */
const ANNOUNCE_WRITES = 'sandboxAnnounceWrites';

export type SandboxOptions = {
  /** API port; 0 picks a free one. */
  port: number;
  /**
   * The interface the API, the console and the SMTP stand-in listen on: 127.0.0.1 (the default) keeps them
   * to this machine. The emulators, the mail viewer and DynamoDB Local stay on loopback whatever it says.
   */
  host?: string;
  /** Port of the SES emulator and its mail viewer; 0 (the default) picks a free one. */
  mailViewerPort?: number;
  /** SMTP port for inbound mail (SES receiving); 0 (the default) picks a free one. */
  smtpPort?: number;
  /** Where data and the token signing key live. */
  dir: string;
  tableName?: string;
  /** Where staff mails link to (the web console); default http://localhost:5173. */
  consoleUrl?: string;
  /** Run the scheduled jobs on their timers (default); tests turn this off and run them on demand. */
  schedules?: boolean;
  /**
   * The queues' visibility timeouts are their AWS values times this (default 1, as on AWS: a failed message
   * comes back after 60 s or 2 minutes). Tests shorten it to watch retries and dead-lettering in seconds.
   */
  queueTimeScale?: number;
  /** Serve the web console (built into `distDir`, default web/dist) on this port; 0 picks a free one. */
  console?: { port: number; distDir?: string };
  log?: (line: string) => void;
};

export type Sandbox = {
  apiUrl: string;
  /** The web console, when asked for (`console` option). */
  consoleUrl?: string;
  dynamoDbEndpoint: string;
  /** False when only a JRE was found and DynamoDB Local listens on every interface (dynamodb-local.ts). */
  dynamoDbOnLoopback: boolean;
  sqsEndpoint: string;
  /** The SES emulator's mail viewer (every mail the helpdesk sent); `GET <url>/store` returns them as JSON. */
  mailViewerUrl: string;
  /** The SMTP server that stands in for SES receiving: mail sent here becomes tickets and comments. */
  smtpPort: number;
  /** The stand-ins for Telegram's Bot API and WhatsApp's Cloud API (sandbox/telegram-local.ts, whatsapp-local.ts). */
  chat: { telegram: LocalTelegram; whatsapp?: LocalWhatsapp | undefined };
  tableName: string;
  dataDir: string;
  stop(): Promise<void>;
};

/** Refuses a busy fixed port before anything starts, with the one line that says what to do. */
const assertPortFree = (port: number, busy: (port: number) => string): Promise<void> =>
  new Promise((resolvePort, reject) => {
    if (port === 0) return resolvePort();
    const probe = createNetServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new SandboxError(busy(port)) : error));
    probe.listen(port, () => probe.close(() => resolvePort()));
  });

const apiPortBusy = (port: number) =>
  `Port ${port} is already in use: stop what is using it, or start on another port with PORT=${port + 1} npm start.`;
const mailViewerPortBusy = (port: number) =>
  `Port ${port} (mail viewer) is already in use: stop what is using it, or start with MAIL_VIEWER_PORT=${port + 1} npm start.`;

/** The local mail bucket and the receipt rule's prefix (in AWS: the inbound-mail construct's bucket and INBOUND_PREFIX). */
const MAIL_BUCKET = 'helpdesk-mail';
const MAIL_PREFIX = 'inbound/';

const consolePortBusy = (port: number) =>
  `Port ${port} (console) is already in use: stop what is using it, or start with CONSOLE_PORT=${port + 1} npm start.`;

/** Loopback: nothing the sandbox serves is for other machines unless HOST says so. */
export const LOOPBACK = '127.0.0.1';

const smtpPortBusy = (port: number) =>
  `Port ${port} (SMTP) is already in use: stop what is using it, or start with SMTP_PORT=${port + 1} npm start.`;

export const startSandbox = async (options: SandboxOptions): Promise<Sandbox> => {
  const dir = resolve(options.dir);
  const host = options.host ?? LOOPBACK;
  const tableName = options.tableName ?? 'helpdesk';
  const mailViewerPort = options.mailViewerPort ?? 0;
  await assertPortFree(options.port, apiPortBusy);
  await assertPortFree(mailViewerPort, mailViewerPortBusy);
  await assertPortFree(options.smtpPort ?? 0, smtpPortBusy);
  if (options.console) await assertPortFree(options.console.port, consolePortBusy);
  // The API's and the console's ports are chosen now, so the links in every mail (PUBLIC_URL, CONSOLE_URL)
  // name them from the first mail on.
  const apiReservation = options.port === 0 ? await reservePort() : undefined;
  const apiPort = apiReservation?.port ?? options.port;
  const consoleReservation = options.console?.port === 0 ? await reservePort() : undefined;
  const consolePort = options.console ? (consoleReservation?.port ?? options.console.port) : undefined;
  const stops: (() => Promise<void> | void)[] = [() => apiReservation?.release(), () => consoleReservation?.release()];
  // Last started, first stopped; one part failing to stop must not leave the others (Java) running.
  const stopAll = async () => {
    for (const stop of [...stops].reverse())
      await Promise.resolve()
        .then(stop)
        .catch((error: unknown) => options.log?.(`! stopping: ${(error as Error).message}`));
  };
  const apiUrl = `http://localhost:${apiPort}`;
  try {
    const region = (process.env.AWS_REGION ??= 'ap-southeast-3');
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';

    const dynamo = await startDynamoDbLocal({ dataDir: join(dir, 'dynamodb') });
    stops.push(() => dynamo.stop());
    const sqs = await startLocalSqs(region, { journalFile: join(dir, 'sqs-journal.ndjson'), timeScale: options.queueTimeScale ?? 1 });
    stops.push(() => sqs.stop());
    const bus = await startLocalEventBus({
      region,
      sqsEndpoint: sqs.endpoint,
      queueUrl: sqs.queueUrl,
      pendingFile: join(dir, 'bus-pending.json'),
      log: options.log,
    });
    stops.push(() => bus.stop());
    const waiting = Object.entries(sqs.restored).map(([queue, count]) => `${queue} ${count}`);
    if (waiting.length > 0 || bus.restored > 0)
      options.log?.(
        `picked up what was waiting: ${[...waiting, ...(bus.restored > 0 ? [`${bus.restored} bus deliveries`] : [])].join(', ')}`,
      );
    const ses = await startLocalSes(mailViewerPort);
    stops.push(() => ses.stop());
    // The console's origins, once it listens: it calls the API and PUTs files into the bucket from them (CORS).
    let consoleOrigins: string[] = [];
    const s3 = await startLocalS3(join(dir, 's3'), () => consoleOrigins);
    stops.push(() => s3.stop());
    // Lambda's Invoke API, for the consumers Lambda invokes asynchronously (the export worker): onto their local queues.
    const lambda = await startLocalLambda({ region, sqsEndpoint: sqs.endpoint, queueUrl: sqs.queueUrl });
    stops.push(() => lambda.stop());

    // The SDK's standard variables: the handlers' clients pick these up; no endpoint appears in their code.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    process.env.AWS_ENDPOINT_URL_SQS = sqs.endpoint;
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = bus.endpoint;
    process.env.AWS_ENDPOINT_URL_SESV2 = ses.endpoint;
    process.env.AWS_ENDPOINT_URL_SES = ses.endpoint;
    process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
    process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.endpoint;
    // In AWS each queue's URL, given by CDK to the functions that send to it (the sweeper).
    for (const queue of QUEUES) process.env[queueUrlEnv(queue.name)] = sqs.queueUrl(queue.name);
    // The stand-in reads plain bodies: no aws-chunked uploads with trailing checksums.
    process.env.AWS_REQUEST_CHECKSUM_CALCULATION ??= 'WHEN_REQUIRED';
    process.env.AWS_RESPONSE_CHECKSUM_VALIDATION ??= 'WHEN_REQUIRED';
    // In AWS the inbound-mail construct's bucket and the receipt rule's prefix.
    process.env[MAIL_BUCKET_ENV] = MAIL_BUCKET;
    process.env[MAIL_PREFIX_ENV] = MAIL_PREFIX;
    // In AWS the stack's configuration set; the emulator accepts any name.
    process.env[SES_CONFIGURATION_SET_ENV] = 'helpdesk-sandbox';
    process.env[TABLE_NAME_ENV] = tableName;
    process.env[EVENT_BUS_NAME_ENV] = EVENT_BUS_NAME;
    // Links in mail: in AWS the API's URL (or its custom domain) and the console's, set by CDK; here, ours.
    process.env[PUBLIC_URL_ENV] = apiUrl;
    process.env[CONSOLE_URL_ENV] = consolePort ? `http://localhost:${consolePort}` : (options.consoleUrl ?? 'http://localhost:5173');
    // In AWS the signing key is an SSM SecureString; here, a random key kept with the data.
    process.env[SIGNING_KEY_FILE_ENV] = ensureSigningKeyFile(join(dir, 'signing-key'));
    // The chat channels' credentials, likewise (one SecureString each in AWS, one file each here, read by the same
    // adapter): random tokens kept with the data, known to the stand-ins below.
    const secret = (name: ChannelSecretName) => readFileSync(process.env[channelSecretFileEnv(name)]!, 'utf8').trim();
    for (const name of CHANNEL_SECRET_NAMES) process.env[channelSecretFileEnv(name)] = ensureTokenFile(join(dir, 'channel-secrets', name));
    // Telegram and WhatsApp: stand-ins that speak their APIs, record what the desk sends and deliver what a
    // person writes to the desk's webhooks. The adapters find them through these variables, as AWS's through the SDK's.
    const telegram = await startLocalTelegram({
      botToken: secret('telegram-bot-token'),
      webhook: { url: `${apiUrl}/channels/telegram`, secretToken: secret('telegram-webhook-secret') },
      log: options.log,
    });
    stops.push(() => telegram.stop());
    const whatsappConfig = loadConfig().channels.whatsapp;
    const whatsapp = whatsappConfig
      ? await startLocalWhatsapp({
          accessToken: secret('whatsapp-access-token'),
          appSecret: secret('whatsapp-app-secret'),
          phoneNumberId: whatsappConfig.phoneNumberId,
          templates: [whatsappConfig.statusTemplate.name],
          webhookUrl: `${apiUrl}/channels/whatsapp`,
          log: options.log,
        })
      : undefined;
    if (whatsapp) stops.push(() => whatsapp.stop());
    process.env[TELEGRAM_API_URL_ENV] = telegram.endpoint;
    if (whatsapp) process.env[WHATSAPP_API_URL_ENV] = whatsapp.endpoint;
    // In AWS the chat queue's URL, set by CDK on the webhooks.
    process.env[CHAT_QUEUE_URL_ENV] = sqs.queueUrl('chat');
    // In AWS the CDK sets the queues' URLs; here, the emulator's. WEBHOOK_QUEUE_URL stays unset: the poller
    // hands every failed message back after a second (queue-poller.ts), and the emulator counts each visibility
    // change as a receive, so the consumer's own backoff would dead-letter a webhook after a third of its tries.
    delete process.env[WEBHOOK_QUEUE_URL_ENV];
    // In AWS the export worker's name, set by CDK on the route that starts one; here the Lambda stand-in's.
    process.env[EXPORT_FUNCTION_NAME_ENV] = localFunctionName('export-tickets');
    // In AWS the webhooks' keys are Secrets Manager secrets named in the configuration; here, files of those
    // names (made with a random key when missing, so a local receiver can verify with the same file).
    const webhookSecrets = join(dir, 'webhook-secrets');
    process.env[WEBHOOK_SECRETS_DIR_ENV] = webhookSecrets;
    const config = loadConfig();
    for (const file of ensureWebhookSecrets(
      webhookSecrets,
      config.webhooks.map((webhook) => webhook.secret),
      webhookSecretFile,
    ))
      options.log?.(`webhook secret made: ${file}`);
    // In AWS the Cognito user pool; here, a file kept with the data (the roster goes into it below).
    process.env[LOCAL_USER_POOL_FILE_ENV] = join(dir, 'user-pool.json');

    const admin = new DynamoDBClient({});
    stops.push(() => admin.destroy());
    await ensureTable(admin, tableName);
    // The staff the default school's desk starts with (on AWS: the people invited into the user pool), and
    // whoever was invited or changed from the console since.
    await seedRoster();
    // The default knowledge base, as the deploy-time seed puts it: only what was never created.
    const seeded = await seedArticles(kbDeps(), defaultArticles());
    if (seeded.length > 0) options.log?.(`knowledge base: ${seeded.length} default articles created`);

    const stream = await startStreamPoller({
      endpoint: dynamo.endpoint,
      region,
      tableName,
      checkpointFile: join(dir, 'stream-checkpoints.json'),
      failuresFile: join(dir, 'stream-failures.json'),
      handler: async () =>
        (
          (await import('../functions/stream/publish-events.ts')) as {
            handler: (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
          }
        ).handler,
      log: options.log,
    });
    stops.push(() => stream.stop());
    // Every write of the functions' DynamoDB client (one per process) tells the stream poller, which then reads at
    // once instead of on its idle timer: the pipeline stays as quick as before while an idle sandbox reads seldom.
    dynamoDocumentClient().middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (/^(Put|Update|Delete|TransactWrite|BatchWrite)/.test(String(context.commandName))) stream.nudge();
        return result;
      },
      { step: 'initialize', name: ANNOUNCE_WRITES },
    );
    stops.push(() => void dynamoDocumentClient().middlewareStack.remove(ANNOUNCE_WRITES));
    const pollers = startQueuePollers({ region, queueUrl: sqs.queueUrl, queueArn: sqs.queueArn, arrival: sqs.arrival, log: options.log });
    stops.push(() => pollers.stop());
    const smtp = await startLocalSmtp({
      port: options.smtpPort ?? 0,
      host,
      bucket: MAIL_BUCKET,
      prefix: MAIL_PREFIX,
      region,
      log: options.log,
    });
    stops.push(() => smtp.stop());
    const scheduler = startScheduler({ timers: options.schedules ?? true, log: options.log });
    stops.push(() => scheduler.stop());
    // What got stuck while the sandbox was away (it was killed, or its files lost): found and re-driven now.
    void scheduler.run(SWEEP_SCHEDULE).catch((error: Error) => options.log?.(`! ${SWEEP_SCHEDULE}: ${error.message}`));

    const issuer = createLocalIssuer(join(dir, 'jwt-signing-key.pem'), 'helpdesk-sandbox');
    const local = createLocalRoutes({
      region,
      issuer,
      tableName,
      emulators: { dynamo, admin, sqs, pollers, bus, ses, s3, smtp, stream, scheduler, telegram, whatsapp },
      mail: { bucket: MAIL_BUCKET, prefix: MAIL_PREFIX },
    });
    stops.push(() => local.stop());

    // The console first: the API lets its origin call it (CORS), and its config.json names the API.
    await consoleReservation?.release();
    const consoleServer = consolePort
      ? await startConsoleServer({
          port: consolePort,
          host,
          distDir: options.console?.distDir ?? DEFAULT_CONSOLE_DIST,
          config: () => consoleConfig(loadConfig(), apiUrl, { mode: 'local', people: localPeople() }),
          connect: () => [apiUrl, s3.endpoint],
        })
      : undefined;
    if (consoleServer) stops.push(() => consoleServer.stop());
    consoleOrigins = consoleServer ? [consoleServer.url, consoleServer.url.replace('localhost', '127.0.0.1')] : [];
    const server = createApiGateway({
      issuer,
      localRoutes: local.routes,
      log: options.log,
      allowedOrigins: () => consoleOrigins,
    });
    await apiReservation?.release();
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(apiPort, host, () => resolveListen());
    });
    stops.push(
      () =>
        new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        }),
    );
    stops.push(recordRunningSandbox(dir, apiUrl, sqs.endpoint));
    return {
      apiUrl,
      ...(consoleServer ? { consoleUrl: consoleServer.url } : {}),
      dynamoDbEndpoint: dynamo.endpoint,
      dynamoDbOnLoopback: dynamo.loopbackOnly,
      sqsEndpoint: sqs.endpoint,
      mailViewerUrl: ses.viewerUrl,
      smtpPort: smtp.port,
      chat: { telegram, whatsapp },
      tableName,
      dataDir: dir,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
