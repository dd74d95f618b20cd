// Notify queue consumer: mails the requester about their ticket (received, a reply, waiting on them,
// resolved), once per event. A failed send fails the message, which is received again, then dead-lettered.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { notifyRequester } from '#shared/domain/mail/notify-requester.ts';
import { ticketEventConsumer } from '#shared/events/sqs-consumer.ts';
import { logger, metrics } from '#shared/observability.ts';
import { notifyDeps } from '#shared/wiring/notify-deps.ts';

export const handler = ticketEventConsumer(async (event) => {
  const result = await notifyRequester(notifyDeps(), event.detail);
  // Ids, kinds and outcomes only: never the address, the subject or the words of the mail.
  const fields = { ticketId: event.detail.ticketId, eventId: event.detail.id, type: event.detail.type, ...result };
  if (result.outcome === 'sent' && !result.recorded) logger.warn('mail sent, but not recorded as sent', fields);
  else logger.info('notification', fields);
  if (result.outcome === 'sent') metrics.addMetric('MailSent', MetricUnit.Count, 1);
  if (result.outcome === 'skipped' && result.reason === 'rate-limited')
    metrics.addMetric('AcknowledgementsSuppressed', MetricUnit.Count, 1);
});
