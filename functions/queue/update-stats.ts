// Stats queue consumer: folds each ticket event into the daily counters, once per event id (a replay or a
// redelivery changes nothing), a batch's events in one write when they can be, and emits the business metrics
// of what it counted. A failed write fails the message, which is received again, then dead-lettered.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { emitCounted } from '#shared/business-metrics.ts';
import { recordStatsBatch } from '#shared/domain/reports/stats.ts';
import { ticketEventBatchConsumer } from '#shared/events/sqs-consumer.ts';
import { metrics } from '#shared/metrics.ts';
import { logger } from '#shared/observability.ts';
import { statsDeps } from '#shared/wiring/stats-deps.ts';

export const handler = ticketEventBatchConsumer(async (events) => {
  const results = await recordStatsBatch(
    statsDeps(),
    events.map((event) => event.detail),
  );
  for (const [index, settled] of results.entries()) {
    if (settled.status !== 'fulfilled') continue;
    const { detail } = events[index]!;
    const result = settled.value;
    // Ids, the type and the outcome only.
    const { outcome } = result;
    logger.info('stats', {
      ticketId: detail.ticketId,
      eventId: detail.id,
      type: detail.type,
      outcome,
      ...(outcome === 'counted' ? { items: result.items } : {}),
    });
    if (outcome === 'duplicate') metrics.addMetric('StatsEventReplayed', MetricUnit.Count, 1);
    // New tickets, first-response and resolution times: here, where each event is counted once.
    if (outcome === 'counted') emitCounted(metrics, result.counters, detail);
  }
  return results;
});
