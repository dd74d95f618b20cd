// SES receipt rule → S3 (the raw mail) → this function, invoked with SES's receipt notification: directly
// by the rule's Lambda action when SES receives mail in the function's region, or through the SNS topic the
// rule's S3 action notifies when SES receives in another region (CDK context `mailReceiving=<region>`: SES
// invokes functions of its own region only). Each record's mail is read from the bucket, parsed, screened and turned into a ticket, a comment, a bounce
// note or nothing (shared/domain/mail/inbound-mail.ts). A malformed or oversized mail stays in the bucket and is
// reported (metric + log with ids only), never retried. A fault worth retrying (DynamoDB or S3 down) fails
// the invocation after every record was tried: Lambda retries it (twice, then the on-failure queue), and
// the Message-ID claims make the records that did succeed do nothing the second time.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SESEvent, SNSEvent, SNSEventRecord } from 'aws-lambda';
import { rawMailBucket, readRawMail } from '#shared/adapters/mail-bucket.ts';
import { parseMail } from '#shared/adapters/parse-mail.ts';
import { type InboundOutcome, receiveMail } from '#shared/domain/mail/inbound-mail.ts';
import * as z from '#shared/domain/zod.ts';
import { metrics } from '#shared/metrics.ts';
import { errorForLog, logger, observed } from '#shared/observability.ts';
import { inboundDeps } from '#shared/wiring/inbound-mail-deps.ts';

type RecordOutcome = InboundOutcome | { outcome: 'rejected'; reason: 'oversized' | 'malformed' };

const countOutcome = (result: RecordOutcome) => {
  const reason = 'reason' in result ? result.reason : undefined;
  const metric = metrics.singleMetric();
  if (reason) metric.addDimension('reason', reason);
  metric.addMetric(`InboundMail${result.outcome.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`, MetricUnit.Count, 1);
};

/** What the handler reads of a receipt, whichever way it came. */
type Receipt = {
  mail: { messageId: string; source: string };
  receipt: { recipients: string[] } & Partial<
    Record<'spamVerdict' | 'virusVerdict' | 'spfVerdict' | 'dkimVerdict' | 'dmarcVerdict', { status: string } | undefined>
  >;
};
type InboundRecord = SESEvent['Records'][number] | SNSEventRecord;

const SES_MESSAGE_ID = /^[\w.+-]{1,200}$/;
const verdict = /* @__PURE__ */ z.schema(() => z.optional(z.object({ status: z.string() })));
/** SES's notification from the S3 action, as SNS delivers it (only the fields the handler reads). */
const s3ActionNotification = /* @__PURE__ */ z.schema(() =>
  z.object({
    notificationType: z.literal('Received'),
    mail: z.object({ messageId: z.string().check(z.regex(SES_MESSAGE_ID)), source: z.string() }),
    receipt: z.object({
      recipients: z.array(z.string()),
      spamVerdict: verdict,
      virusVerdict: verdict,
      spfVerdict: verdict,
      dkimVerdict: verdict,
      dmarcVerdict: verdict,
      action: z.object({ type: z.literal('S3'), bucketName: z.string(), objectKey: z.string() }),
    }),
  }),
);

/** The receipt a record carries, or why it is not one to act on. SNS-delivered notifications must name the
 *  raw-mail bucket and key this function reads: anything else is not a mail SES stored for the helpdesk. */
const receiptOf = (record: InboundRecord): Receipt | { notReceipt: string } => {
  if ('ses' in record && record.ses?.mail) return record.ses;
  if ('Sns' in record && record.Sns?.Message !== undefined) {
    let body: unknown;
    try {
      body = JSON.parse(record.Sns.Message);
    } catch {
      return { notReceipt: 'sns-not-json' };
    }
    const parsed = s3ActionNotification.safeParse(body);
    if (!parsed.success) return { notReceipt: 'sns-not-receipt' };
    const { bucket, prefix } = rawMailBucket();
    const { action } = parsed.data.receipt;
    if (action.bucketName !== bucket || action.objectKey !== `${prefix}${parsed.data.mail.messageId}`) {
      return { notReceipt: 'sns-other-bucket' };
    }
    return parsed.data;
  }
  return { notReceipt: 'unknown-source' };
};

const receive = async ({ mail, receipt }: Receipt): Promise<RecordOutcome> => {
  const stored = await readRawMail(mail.messageId);
  if ('tooLarge' in stored) return { outcome: 'rejected', reason: 'oversized' };
  let parsed: Awaited<ReturnType<typeof parseMail>>;
  try {
    parsed = await parseMail(stored.raw, { source: mail.source, recipients: receipt.recipients });
  } catch {
    return { outcome: 'rejected', reason: 'malformed' };
  }
  return receiveMail(inboundDeps(), parsed, stored.raw, {
    spam: receipt.spamVerdict?.status,
    virus: receipt.virusVerdict?.status,
    spf: receipt.spfVerdict?.status,
    dkim: receipt.dkimVerdict?.status,
    dmarc: receipt.dmarcVerdict?.status,
  });
};

export const handler = observed<SESEvent | SNSEvent, void>().handler(async (event) => {
  let failed = 0;
  for (const record of (event.Records ?? []) as InboundRecord[]) {
    const found = receiptOf(record);
    const sesMessageId = 'notReceipt' in found ? undefined : found.mail.messageId;
    try {
      if (!sesMessageId || !SES_MESSAGE_ID.test(sesMessageId)) {
        const eventSource = 'EventSource' in record ? record.EventSource : record.eventSource;
        logger.warn('inbound mail: not an SES receipt record', {
          eventSource: String(eventSource),
          ...('notReceipt' in found ? { reason: found.notReceipt } : {}),
        });
        continue;
      }
      const result = await receive(found as Receipt);
      // Ids, kinds and outcomes only: never an address, a subject or the words of the mail.
      const fields = { sesMessageId, ...result };
      if (result.outcome === 'rejected') logger.warn('inbound mail rejected', fields);
      else logger.info('inbound mail', fields);
      countOutcome(result);
    } catch (error) {
      failed++;
      logger.error('inbound mail failed; the invocation will be retried', { sesMessageId, error: errorForLog(error) });
    }
  }
  if (failed > 0) throw new Error(`${failed} of ${event.Records.length} inbound mails failed`);
});
