// Notify queue consumer: the mails one ticket event causes, each once: to the requester (received, a reply,
// waiting on them, resolved) and to staff (assigned, the requester replied, SLA warning or breach, an
// escalation, no one available). A failed send fails the message, which is received again (only the unsent
// mails go out then), then dead-lettered.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { NotificationsFailedError, notify } from '#shared/domain/mail/notify.ts';
import { ticketEventConsumer } from '#shared/events/sqs-consumer.ts';
import { errorForLog, logger, metrics } from '#shared/observability.ts';
import { notifyDeps } from '#shared/wiring/notify-deps.ts';

export const handler = ticketEventConsumer(async (event) => {
  // Ids, kinds and outcomes only: never the address, the subject or the words of the mail.
  const fields = { ticketId: event.detail.ticketId, eventId: event.detail.id, type: event.detail.type };
  const outcomes = await notify(notifyDeps(), event.detail).catch((error: unknown) => {
    if (error instanceof NotificationsFailedError) {
      for (const outcome of error.outcomes) logger.info('notification', { ...fields, ...outcome });
      for (const cause of error.causes) logger.warn('mail not sent', { ...fields, error: errorForLog(cause) });
    }
    throw error;
  });
  for (const outcome of outcomes) {
    if (outcome.outcome === 'sent' && !outcome.recorded) logger.warn('mail sent, but not recorded as sent', { ...fields, ...outcome });
    else logger.info('notification', { ...fields, ...outcome });
  }
  // No count of mails sent: SES's own metrics (sends, deliveries, bounces, complaints) are free and exact.
  if (outcomes.some((outcome) => outcome.outcome === 'skipped' && outcome.reason === 'rate-limited'))
    metrics.addMetric('AcknowledgementsSuppressed', MetricUnit.Count, 1);
});
