// SES receiving in the sandbox: an SMTP server on SMTP_PORT (2525) that accepts real SMTP, stores the raw
// mail in the mail bucket under `<prefix><message id>` as SES's S3 action does, then invokes the inbound
// handler with SES's receipt notification (the Lambda action's event shape), asynchronously, as SES does:
// a failed invocation is retried twice (Lambda's async retries), then reported. Loopback unless HOST widens it.
// It stamps the verdicts SES puts on every mail from a local rule (`authenticationVerdicts`), so tests cover
// both authenticated and forged senders.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, SESEvent } from 'aws-lambda';
import { SMTPServer } from 'smtp-server';
import { domainsAligned } from '#shared/domain/mail/inbound-mail.ts';
import { invokeLocally } from './lambda-context.ts';

/** SES rejects larger mail; the handler reports anything over 10 MB without parsing it. */
const MAX_SMTP_BYTES = 40 * 1024 * 1024;
const RETRY_DELAYS_MS = [1_000, 2_000];

export type LocalSmtp = { port: number /** Still accepting connections. */; running(): boolean; stop(): Promise<void> };

type InboundHandler = (event: SESEvent, context: Context) => Promise<void>;

const sesMessageId = () => randomBytes(20).toString('hex').slice(0, 32) + randomUUID().replace(/-/g, '').slice(0, 8);

const header = (raw: string, name: string) =>
  new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im')
    .exec(raw.slice(0, raw.search(/\r?\n\r?\n/) >>> 0))?.[1]
    ?.replace(/\r?\n[ \t]+/g, ' ')
    .trim();

/** The header a test (or a person trying the sandbox) sets to say how the mail's sender should be judged. */
export const SANDBOX_VERDICT_HEADER = 'X-Sandbox-Verdict';

const isLoopback = (address: string) => /^(127\.|::1$|::ffff:127\.)/.test(address);

type Verdict = 'PASS' | 'FAIL' | 'GRAY';
const domainOf = (address: string) =>
  address
    .slice(address.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
const fromAddress = (raw: string) => {
  const from = header(raw, 'from') ?? '';
  return (/<([^<>]*)>\s*$/.exec(from)?.[1] ?? from).trim();
};

/**
 * SPF, DKIM and DMARC as SES would judge them, from a local rule. A mail sent from this machine passes SPF
 * (this machine may send for any domain) and has no DKIM signature checked; DMARC then passes when the
 * envelope sender's domain is aligned with `From:`'s and fails when not (as if every domain published a
 * policy), so a `From:` that is not the envelope sender's is caught as on AWS. `X-Sandbox-Verdict: forged`
 * makes all three FAIL, `unverified` all three GRAY (a domain that publishes nothing); a mail from another
 * machine (HOST widened) is GRAY.
 */
export const authenticationVerdicts = (
  remoteAddress: string,
  envelopeSender: string,
  raw: string,
): { spf: Verdict; dkim: Verdict; dmarc: Verdict } => {
  const marked = header(raw, SANDBOX_VERDICT_HEADER)?.toLowerCase();
  if (marked === 'forged') return { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' };
  if (marked === 'unverified' || !isLoopback(remoteAddress)) return { spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY' };
  const aligned = envelopeSender !== '' && domainsAligned(domainOf(envelopeSender), domainOf(fromAddress(raw)));
  return { spf: 'PASS', dkim: 'GRAY', dmarc: aligned ? 'PASS' : 'FAIL' };
};

export const startLocalSmtp = async (options: {
  port: number;
  /** The interface to listen on (default 127.0.0.1: this machine only). */
  host?: string;
  bucket: string;
  prefix: string;
  region: string;
  log?: ((line: string) => void) | undefined;
}): Promise<LocalSmtp> => {
  const s3 = new S3Client({ region: options.region, forcePathStyle: true });
  const retries = new Set<NodeJS.Timeout>();
  const invoke = async (event: SESEvent, attempt = 0): Promise<void> => {
    const { handler } = (await import('../functions/email/inbound-mail.ts')) as { handler: InboundHandler };
    const messageId = event.Records[0]?.ses.mail.messageId;
    try {
      await invokeLocally('inbound-mail', randomUUID(), 60_000, (context) => handler(event, context));
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      // The reason, not the mail: what a person needs to see why their test mail went nowhere.
      options.log?.(`! inbound mail ${messageId}, attempt ${attempt + 1}: ${(error as Error).name}: ${(error as Error).message}`);
      if (delay === undefined) return options.log?.(`inbound mail ${messageId}: failed three times, dropped`);
      const timer = setTimeout(() => {
        retries.delete(timer);
        void invoke(event, attempt + 1);
      }, delay);
      timer.unref();
      retries.add(timer);
    }
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_SMTP_BYTES,
    banner: 'helpdesk sandbox (SES receiving stand-in)',
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const messageId = sesMessageId();
        const text = raw.toString('latin1');
        const source = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        s3.send(new PutObjectCommand({ Bucket: options.bucket, Key: `${options.prefix}${messageId}`, Body: raw }))
          .then(() => {
            callback(null, `Ok: queued as ${messageId}`);
            const verdict = { status: 'PASS' };
            const { spf, dkim, dmarc } = authenticationVerdicts(session.remoteAddress, source, text);
            const event = {
              Records: [
                {
                  eventSource: 'aws:ses',
                  eventVersion: '1.0',
                  ses: {
                    mail: {
                      timestamp: new Date().toISOString(),
                      source,
                      messageId,
                      destination: recipients,
                      headersTruncated: false,
                      headers: [],
                      commonHeaders: {
                        returnPath: source,
                        from: header(text, 'from') ? [header(text, 'from')!] : [],
                        date: header(text, 'date') ?? '',
                        to: header(text, 'to') ? [header(text, 'to')!] : [],
                        messageId: header(text, 'message-id') ?? '',
                        subject: header(text, 'subject') ?? '',
                      },
                    },
                    receipt: {
                      timestamp: new Date().toISOString(),
                      processingTimeMillis: 1,
                      recipients,
                      spamVerdict: verdict,
                      virusVerdict: verdict,
                      spfVerdict: { status: spf },
                      dkimVerdict: { status: dkim },
                      dmarcVerdict: { status: dmarc },
                      action: {
                        type: 'Lambda',
                        functionArn: 'arn:aws:lambda:local:000000000000:function:inbound-mail',
                        invocationType: 'Event',
                      },
                    },
                  },
                },
              ],
            } as unknown as SESEvent;
            void invoke(event);
          })
          .catch(() => callback(new Error('mail could not be stored; try again later')));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    running: () => server.server.listening,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of retries) clearTimeout(timer);
        s3.destroy();
        server.close(() => resolve());
      }),
  };
};
