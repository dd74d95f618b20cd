// Stats queue consumer: folds each ticket event into the daily counters, once per event id (a replay or a
// redelivery changes nothing). A failed write fails the message, which is received again, then dead-lettered.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { emitHandlingTimes } from '#shared/business-metrics.ts';
import { recordStats } from '#shared/domain/reports/stats.ts';
import { ticketEventConsumer } from '#shared/events/sqs-consumer.ts';
import { logger, metrics } from '#shared/observability.ts';
import { statsDeps } from '#shared/wiring/stats-deps.ts';

export const handler = ticketEventConsumer(async (event) => {
  const result = await recordStats(statsDeps(), event.detail);
  // Ids, the type and the outcome only.
  const { outcome } = result;
  logger.info('stats', {
    ticketId: event.detail.ticketId,
    eventId: event.detail.id,
    type: event.detail.type,
    outcome,
    ...(outcome === 'counted' ? { items: result.items } : {}),
  });
  if (outcome === 'duplicate') metrics.addMetric('StatsEventReplayed', MetricUnit.Count, 1);
  // First-response and resolution times: here, where each event is counted once from the stopped SLA clock.
  if (outcome === 'counted') emitHandlingTimes(metrics, result.counters, event.detail.ticket.priority);
});
