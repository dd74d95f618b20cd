// SES receipt rule → S3 (the raw mail) → this function, invoked with SES's receipt notification. Each
// record's mail is read from the bucket, parsed, screened and turned into a ticket, a comment, a bounce
// note or nothing (shared/domain/mail/inbound-mail.ts). A malformed or oversized mail stays in the bucket and is
// reported (metric + log with ids only), never retried. A fault worth retrying (DynamoDB or S3 down) fails
// the invocation after every record was tried: Lambda retries it (twice, then the on-failure queue), and
// the Message-ID claims make the records that did succeed do nothing the second time.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SESEvent, SESEventRecord } from 'aws-lambda';
import { readRawMail } from '#shared/adapters/mail-bucket.ts';
import { parseMail } from '#shared/adapters/parse-mail.ts';
import { type InboundOutcome, receiveMail } from '#shared/domain/mail/inbound-mail.ts';
import { errorForLog, logger, metrics, observed } from '#shared/observability.ts';
import { inboundDeps } from '#shared/wiring/inbound-mail-deps.ts';

type RecordOutcome = InboundOutcome | { outcome: 'rejected'; reason: 'oversized' | 'malformed' };

const countOutcome = (result: RecordOutcome) => {
  const reason = 'reason' in result ? result.reason : undefined;
  const metric = metrics.singleMetric();
  if (reason) metric.addDimension('reason', reason);
  metric.addMetric(`InboundMail${result.outcome.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`, MetricUnit.Count, 1);
};

const receive = async (record: SESEventRecord): Promise<RecordOutcome> => {
  const { mail, receipt } = record.ses;
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

export const handler = observed<SESEvent, void>().handler(async (event) => {
  let failed = 0;
  for (const record of event.Records ?? []) {
    const sesMessageId = record.ses?.mail?.messageId;
    try {
      if (!sesMessageId || !/^[\w.+-]{1,200}$/.test(sesMessageId)) {
        logger.warn('inbound mail: not an SES receipt record', { eventSource: String(record.eventSource) });
        continue;
      }
      const result = await receive(record);
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
