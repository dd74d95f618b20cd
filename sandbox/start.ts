// `npm start`: the helpdesk on this machine, with its web console. Ports and places come from the environment
// so a second sandbox can run beside the first: PORT (3000), CONSOLE_PORT (5173), MAIL_VIEWER_PORT (8005),
// SMTP_PORT (2525), SANDBOX_DIR (.sandbox/). CONSOLE_BUILD=skip serves the console as last built (from
// CONSOLE_DIST when set, else web/dist). QUEUE_TIME_SCALE (default 1) shortens the queues' visibility
// timeouts, for tests that watch retries and dead-lettering.
import { SandboxError } from './support.ts';

const port = Number(process.env.PORT ?? 3000);
const mailViewerPort = Number(process.env.MAIL_VIEWER_PORT ?? 8005);
const smtpPort = Number(process.env.SMTP_PORT ?? 2525);
const consolePort = Number(process.env.CONSOLE_PORT ?? 5173);
const dir = process.env.SANDBOX_DIR ?? '.sandbox';
const queueTimeScale = Number(process.env.QUEUE_TIME_SCALE ?? 1);

// The Lambda runtime's console is CloudWatch; here it is this terminal, so keep it readable.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_DEV ??= 'true';
// Imported only now, so the handlers' Powertools instances see the settings above.
const { startSandbox } = await import('./sandbox.ts');

const fail = (error: unknown): never => {
  console.error(error instanceof SandboxError ? `✗ ${error.message}` : error);
  process.exit(1);
};

const isPort = (value: number) => Number.isInteger(value) && value >= 0 && value <= 65535;
if (!isPort(port)) fail(new SandboxError(`PORT must be a port number, not "${process.env.PORT}".`));
if (!isPort(smtpPort)) fail(new SandboxError(`SMTP_PORT must be a port number, not "${process.env.SMTP_PORT}".`));
if (!isPort(mailViewerPort)) fail(new SandboxError(`MAIL_VIEWER_PORT must be a port number, not "${process.env.MAIL_VIEWER_PORT}".`));
if (!isPort(consolePort)) fail(new SandboxError(`CONSOLE_PORT must be a port number, not "${process.env.CONSOLE_PORT}".`));
if (!(queueTimeScale > 0 && queueTimeScale <= 1))
  fail(new SandboxError(`QUEUE_TIME_SCALE must be a number above 0 and at most 1, not "${process.env.QUEUE_TIME_SCALE}".`));

if (process.env.CONSOLE_BUILD !== 'skip') {
  // About a second: the console is always the one in this checkout.
  const { buildConsole } = await import('./build-console.ts');
  await buildConsole().catch(fail);
}

const sandbox = await startSandbox({
  port,
  mailViewerPort,
  smtpPort,
  dir,
  queueTimeScale,
  // CONSOLE_DIST: a console built elsewhere (the test suite builds it once for all its sandboxes).
  console: { port: consolePort, ...(process.env.CONSOLE_DIST ? { distDir: process.env.CONSOLE_DIST } : {}) },
  log: (line) => console.log(`  ${line}`),
}).catch(fail);

console.log(`
Helpdesk sandbox is running (data in ${sandbox.dataDir}).
  Console         ${sandbox.consoleUrl}  (sign in as anyone: a requester, an agent, a lead)
  API             ${sandbox.apiUrl}
  OpenAPI         ${sandbox.apiUrl}/openapi.json
  Health          ${sandbox.apiUrl}/_local/health
  Mail viewer     ${sandbox.mailViewerUrl}  (every mail the helpdesk sends)
  SMTP            localhost:${sandbox.smtpPort}  (mail to the helpdesk: new tickets, replies)
  DynamoDB Local  ${sandbox.dynamoDbEndpoint}  (table "${sandbox.tableName}")
  SQS             ${sandbox.sqsEndpoint}

Get a token:
  curl -s -X POST ${sandbox.apiUrl}/_local/token -H 'content-type: application/json' \\
    -d '{"sub":"ani","name":"Ani","email":"ani@example.org","groups":["requester"]}'

Press Ctrl-C to stop.
`);

/**
 * A Ctrl-C in a terminal reaches this process twice at once: from the terminal (the whole process group)
 * and forwarded by `npm start`. Only a signal this long after the first is a person pressing it again.
 */
const SECOND_SIGNAL_AFTER_MS = 1_000;
let stoppingSince: number | undefined;
const stop = async (signal: string) => {
  if (stoppingSince !== undefined) {
    // A second Ctrl-C while stopping: the person wants out now.
    if (Date.now() - stoppingSince >= SECOND_SIGNAL_AFTER_MS) process.exit(130);
    return;
  }
  stoppingSince = Date.now();
  console.log(`\n${signal}: stopping the sandbox… (Ctrl-C again to quit at once)`);
  await sandbox.stop().catch(fail);
  console.log('Stopped. Data is kept; npm start picks it up again.');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
// Started by another process with an IPC channel (the test runner): stop when that process goes away,
// however it ends. A sandbox started from a terminal has no channel, and this never fires.
process.on('disconnect', () => void stop('parent gone'));
