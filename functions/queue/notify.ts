// Notify queue consumer: the mails one ticket event causes, each once: to the requester (received, a reply,
// waiting on them, resolved) and to staff (assigned, the requester replied, SLA warning or breach, an
// escalation, no one available). A batch's events are handled one after the other, with one read of the staff
// directory and of their tickets. A failed send fails its message, which is received again (only the unsent
// mails go out then), then dead-lettered.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type MailOutcome, NotificationsFailedError, notifyBatch } from '#shared/domain/mail/notify.ts';
import type { TicketEvent } from '#shared/domain/tickets/ticket.ts';
import { ticketEventBatchConsumer } from '#shared/events/sqs-consumer.ts';
import { metrics } from '#shared/metrics.ts';
import { errorForLog, logger } from '#shared/observability.ts';
import { notifyDeps } from '#shared/wiring/notify-deps.ts';

/** What became of one event's mails, in the log. Ids, kinds and outcomes only: never the address, the subject or the words. */
const logOutcomes = (event: TicketEvent, result: PromiseSettledResult<MailOutcome[]>) => {
  const fields = { ticketId: event.ticketId, eventId: event.id, type: event.type };
  if (result.status === 'rejected') {
    const error = result.reason;
    if (error instanceof NotificationsFailedError) {
      for (const outcome of error.outcomes) logger.info('notification', { ...fields, ...outcome });
      for (const cause of error.causes) logger.warn('mail not sent', { ...fields, error: errorForLog(cause) });
    }
    return;
  }
  const outcomes = result.value;
  for (const outcome of outcomes) {
    if (outcome.outcome === 'sent' && !outcome.recorded) logger.warn('mail sent, but not recorded as sent', { ...fields, ...outcome });
    else logger.info('notification', { ...fields, ...outcome });
  }
  // No count of mails sent: SES's own metrics (sends, deliveries, bounces, complaints) are free and exact.
  if (outcomes.some((outcome) => outcome.outcome === 'skipped' && outcome.reason === 'rate-limited'))
    metrics.addMetric('AcknowledgementsSuppressed', MetricUnit.Count, 1);
};

export const handler = ticketEventBatchConsumer(async (events) => {
  const details = events.map((event) => event.detail);
  const results = await notifyBatch(notifyDeps(), details);
  for (const [index, result] of results.entries()) logOutcomes(details[index]!, result);
  return results;
});
