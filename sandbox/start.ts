// `npm start`: the helpdesk on this machine, with its web console. Ports and places come from the environment
// so a second sandbox can run beside the first: PORT (3000), CONSOLE_PORT (5173), MAIL_VIEWER_PORT (8005),
// SMTP_PORT (2525), SANDBOX_DIR (.sandbox/). CONSOLE_BUILD=skip serves the console as last built (from
// CONSOLE_DIST when set, else web/dist). Everything listens on 127.0.0.1; HOST (e.g. 0.0.0.0) opens the
// API, the console and SMTP to other machines, with a warning. QUEUE_TIME_SCALE (default 1) shortens the
// queues' visibility timeouts, for tests that watch retries and dead-lettering.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { loadConfig } from '#shared/config/load-config.ts';
import type { Sandbox } from './sandbox.ts';
import { SandboxError } from './support.ts';

const port = Number(process.env.PORT ?? 3000);
const mailViewerPort = Number(process.env.MAIL_VIEWER_PORT ?? 8005);
const smtpPort = Number(process.env.SMTP_PORT ?? 2525);
const consolePort = Number(process.env.CONSOLE_PORT ?? 5173);
const dir = process.env.SANDBOX_DIR ?? '.sandbox';
const host = process.env.HOST || '127.0.0.1';
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
if (isIP(host) === 0 && host !== 'localhost')
  fail(new SandboxError(`HOST must be an IP address of this machine (127.0.0.1, 0.0.0.0, 192.168.1.20), not "${host}".`));
const onLoopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
if (!(queueTimeScale > 0 && queueTimeScale <= 1))
  fail(new SandboxError(`QUEUE_TIME_SCALE must be a number above 0 and at most 1, not "${process.env.QUEUE_TIME_SCALE}".`));

if (process.env.CONSOLE_BUILD !== 'skip') {
  // About a second: the console is always the one in this checkout.
  const { buildConsole } = await import('./build-console.ts');
  await buildConsole().catch(fail);
}

/** How to write to the bot on Telegram and WhatsApp: through the stand-ins, and as the platforms post themselves. */
const chatLines = (running: { apiUrl: string; dataDir: string; chat: Sandbox['chat'] }) => {
  const { telegram, whatsapp } = running.chat;
  const secret = (name: string) => readFileSync(join(running.dataDir, 'channel-secrets', name), 'utf8').trim();
  const update = JSON.stringify({
    update_id: 1,
    message: {
      message_id: 1,
      from: { id: 1001, is_bot: false, first_name: 'Ani', language_code: 'id' },
      chat: { id: 1001, type: 'private' },
      date: 1767225600,
      text: 'printer macet',
    },
  });
  const lines = [
    'Telegram (a stand-in for the Bot API; it records what the bot sends):',
    `  curl -s -X POST ${telegram.endpoint}/_sandbox/updates -H 'content-type: application/json' -d '{"from":1001,"name":"Ani","text":"lupa kata sandi wifi"}'`,
    `  curl -s '${telegram.endpoint}/_sandbox/messages?chat_id=1001'`,
    '  or as Telegram posts it, with the webhook secret:',
    `  curl -s -X POST ${running.apiUrl}/channels/telegram -H 'content-type: application/json' \\`,
    `    -H 'X-Telegram-Bot-Api-Secret-Token: ${secret('telegram-webhook-secret')}' -d '${update}'`,
  ];
  if (whatsapp) {
    const notification = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '6281100000000', phone_number_id: loadConfig().channels.whatsapp?.phoneNumberId },
                contacts: [{ profile: { name: 'Ani' }, wa_id: '6281234567890' }],
                messages: [
                  { from: '6281234567890', id: 'wamid.curl1', timestamp: '1767225600', type: 'text', text: { body: 'printer macet' } },
                ],
              },
            },
          ],
        },
      ],
    });
    lines.push(
      'WhatsApp (a stand-in for the Cloud API; it records what the desk sends):',
      `  curl -s -X POST ${whatsapp.endpoint}/_sandbox/messages -H 'content-type: application/json' -d '{"from":"6281234567890","name":"Ani","text":"printer macet"}'`,
      `  curl -s '${whatsapp.endpoint}/_sandbox/sent?to=6281234567890'`,
      '  or as Meta posts it, signed with the app secret:',
      `  BODY='${notification}'`,
      `  curl -s -X POST ${running.apiUrl}/channels/whatsapp -H 'content-type: application/json' \\`,
      `    -H "X-Hub-Signature-256: sha256=$(printf %s "$BODY" | openssl dgst -sha256 -hmac '${secret('whatsapp-app-secret')}' -r | cut -d' ' -f1)" -d "$BODY"`,
    );
  }
  return `\n${lines.join('\n')}\n`;
};

const sandbox = await startSandbox({
  port,
  mailViewerPort,
  smtpPort,
  dir,
  host,
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
${chatLines(sandbox)}
Press Ctrl-C to stop.
`);
if (!onLoopback)
  console.warn(`! HOST=${host}: the API, the console and SMTP (ports ${new URL(sandbox.apiUrl).port}, ${new URL(sandbox.consoleUrl ?? 'http://x:0').port}, ${sandbox.smtpPort}) are reachable from other machines on this network.
  Anyone who reaches the API can mint an admin token at /_local/token and read every ticket, and anyone who
  reaches SMTP can file tickets. The sandbox has no passwords: use this only on a network you trust, and never
  for real requesters' data. Leave HOST unset to keep everything on 127.0.0.1.
`);
if (!sandbox.dynamoDbOnLoopback)
  console.warn(`! DynamoDB Local (${sandbox.dynamoDbEndpoint}) listens on every interface: only a JRE was found, and keeping it
  on 127.0.0.1 needs a JDK (javac). Install one (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless) on a shared network.
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
