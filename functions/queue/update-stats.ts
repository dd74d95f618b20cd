// Stats queue consumer: folds each ticket event into the daily counters, once per event id (a replay or a
// redelivery changes nothing). A failed write fails the message, which is received again, then dead-lettered.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { statsDeps } from '#shared/adapters/stats-deps.ts';
import { recordStats } from '#shared/domain/stats.ts';
import { ticketEventConsumer } from '#shared/events/sqs-consumer.ts';
import { logger, metrics } from '#shared/observability.ts';

export const handler = ticketEventConsumer(async (event) => {
  const result = await recordStats(statsDeps(), event.detail);
  // Ids, the type and the outcome only.
  logger.info('stats', { ticketId: event.detail.ticketId, eventId: event.detail.id, type: event.detail.type, ...result });
  if (result.outcome === 'duplicate') metrics.addMetric('StatsEventReplayed', MetricUnit.Count, 1);
});
