// Webhooks queue consumer: each ticket event to the subscriptions that want it, signed, each once. A failed
// delivery fails the message, which comes back after a growing delay (30 s, doubling, at most 15 minutes) and
// delivers only what did not arrive; after the queue's maxReceiveCount it is dead-lettered (alarm). A receiver
// answering 410 switches its subscription off (metric WebhookDisabled, alarm). This queue is the webhooks'
// own: a slow or unreachable receiver delays nothing else.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { delayRetry, WEBHOOK_QUEUE_URL_ENV } from '#shared/adapters/queue-retry.ts';
import { BUSINESS_METRICS } from '#shared/business-metrics.ts';
import { deliverWebhooks, retryDelaySeconds, WebhookDeliveryError, type WebhookOutcome } from '#shared/domain/webhooks/webhooks.ts';
import { ticketEventConsumer } from '#shared/events/sqs-consumer.ts';
import { metrics } from '#shared/metrics.ts';
import { errorForLog, logger } from '#shared/observability.ts';
import { webhookDeps } from '#shared/wiring/webhook-deps.ts';

const record = (fields: Record<string, string>, outcomes: WebhookOutcome[]) => {
  // Ids, outcomes and statuses only: never the body, the URL's query or the secret.
  for (const outcome of outcomes) logger.info('webhook', { ...fields, ...outcome });
  const count = (kind: WebhookOutcome['outcome']) => outcomes.filter((outcome) => outcome.outcome === kind).length;
  if (count('delivered') > 0) metrics.addMetric(BUSINESS_METRICS.webhookDelivered, MetricUnit.Count, count('delivered'));
  if (count('failed') > 0) metrics.addMetric(BUSINESS_METRICS.webhookFailed, MetricUnit.Count, count('failed'));
  for (const gone of outcomes.filter((outcome) => outcome.outcome === 'gone')) {
    logger.error('webhook subscription switched off: its receiver answered 410 Gone', { ...fields, subscription: gone.subscription });
    metrics.addMetric(BUSINESS_METRICS.webhookDisabled, MetricUnit.Count, 1);
  }
};

export const handler = ticketEventConsumer(async (event, message) => {
  const fields = { ticketId: event.detail.ticketId, eventId: event.detail.id, type: event.detail.type };
  try {
    record(fields, await deliverWebhooks(webhookDeps(), event.detail));
  } catch (error) {
    if (!(error instanceof WebhookDeliveryError)) throw error;
    record(fields, error.outcomes);
    const receives = Number(message.attributes.ApproximateReceiveCount);
    const queueUrl = process.env[WEBHOOK_QUEUE_URL_ENV];
    // Back off; if that fails the queue's own visibility timeout is the delay, which is still a retry.
    if (queueUrl)
      await delayRetry(queueUrl, message.receiptHandle, retryDelaySeconds(receives)).catch((cause: unknown) =>
        logger.warn('could not delay the retry', { ...fields, error: errorForLog(cause) }),
      );
    throw error;
  }
});
