// The whole helpdesk on one machine: DynamoDB Local, the table from the shared definition, and the API
// served through the same handler modules the Lambdas run. Handlers find the emulator only through the
// SDK's standard endpoint variables, exactly as they find AWS.
import { createServer as createNetServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { advanceClock, systemClock } from '#shared/adapters/clock.ts';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import { zodProblems } from '#shared/http/http-handler.ts';
import { createApiGateway, type LocalRoute } from './api-gateway.ts';
import { ensureTable } from './create-table.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { parseIsoDuration } from './durations.ts';
import { createLocalIssuer, tokenRequestSchema } from './local-jwt.ts';
import { startScheduler } from './scheduler.ts';
import { SandboxError } from './support.ts';

export type SandboxOptions = {
  /** API port; 0 picks a free one. */
  port: number;
  /** Where data and the token signing key live. */
  dir: string;
  tableName?: string;
  /** Run the scheduled jobs on their timers (default); tests turn this off and run them on demand. */
  schedules?: boolean;
  log?: (line: string) => void;
};

export type Sandbox = {
  apiUrl: string;
  dynamoDbEndpoint: string;
  tableName: string;
  dataDir: string;
  stop(): Promise<void>;
};

const assertPortFree = (port: number): Promise<void> =>
  new Promise((resolvePort, reject) => {
    if (port === 0) return resolvePort();
    const probe = createNetServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new SandboxError(`Port ${port} is already in use: stop what is using it, or start on another port with PORT=${port + 1} npm start.`)
          : error,
      ),
    );
    probe.listen(port, () => probe.close(() => resolvePort()));
  });

const parseJson = (body: Buffer): unknown => {
  try {
    return body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    return Symbol.for('invalid');
  }
};

export const startSandbox = async (options: SandboxOptions): Promise<Sandbox> => {
  const dir = resolve(options.dir);
  const tableName = options.tableName ?? 'helpdesk';
  await assertPortFree(options.port);
  const dynamo = await startDynamoDbLocal({ dataDir: join(dir, 'dynamodb') });

  // The SDK's standard variables: the handlers' clients pick these up, no endpoint appears in their code.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env.AWS_REGION ??= 'ap-southeast-3';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env[TABLE_NAME_ENV] = tableName;

  const admin = new DynamoDBClient({});
  await ensureTable(admin, tableName);

  const issuer = createLocalIssuer(join(dir, 'jwt-signing-key.pem'), 'helpdesk-sandbox');
  const localRoutes: Record<string, LocalRoute> = {
    'POST /_local/token': async (_request, body) => {
      const parsed = tokenRequestSchema.safeParse(parseJson(body));
      if (!parsed.success)
        return {
          status: 400,
          body: { title: 'Bad request', status: 400, detail: 'The token request is not valid.', errors: zodProblems(parsed.error) },
        };
      return { status: 200, body: { token: issuer.sign(parsed.data, new Date()) } };
    },
    'GET /_local/health': async () => {
      const dynamoOk = await admin.send(new ListTablesCommand({})).then(
        () => true,
        () => false,
      );
      return {
        status: dynamoOk ? 200 : 503,
        body: {
          status: dynamoOk ? 'ok' : 'degraded',
          now: systemClock.now().toISOString(),
          emulators: { dynamodb: { endpoint: dynamo.endpoint, table: tableName, ok: dynamoOk } },
        },
      };
    },
  };

  const scheduler = startScheduler({ timers: options.schedules ?? true, log: options.log });
  localRoutes['POST /_local/clock'] = async (_request, body) => {
    const request = parseJson(body) as { advance?: unknown };
    const ms = typeof request?.advance === 'string' ? parseIsoDuration(request.advance) : undefined;
    if (ms === undefined)
      return {
        status: 400,
        body: {
          title: 'Bad request',
          status: 400,
          detail: 'Say how far to move the clock as an ISO 8601 duration, e.g. {"advance": "PT2H"}.',
          errors: [{ path: 'advance', message: 'must be an ISO 8601 duration such as PT2H or P1DT30M' }],
        },
      };
    return { status: 200, body: { now: advanceClock(ms).toISOString() } };
  };
  for (const name of scheduler.names)
    localRoutes[`POST /_local/run/${name}`] = async () => ({ status: 200, body: { schedule: name, result: await scheduler.run(name) } });

  const server = createApiGateway({ issuer, localRoutes, log: options.log });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    apiUrl: `http://localhost:${port}`,
    dynamoDbEndpoint: dynamo.endpoint,
    tableName,
    dataDir: dir,
    async stop() {
      scheduler.stop();
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
      admin.destroy();
      await dynamo.stop();
    },
  };
};
