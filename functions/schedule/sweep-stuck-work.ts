// Every five minutes: find work that should have happened and did not (a ticket left unrouted, an
// acknowledgement not sent, an event not counted), hand it to its consumer again, and say so: the metric
// StuckWorkFound (by kind, 0 included) has an alarm, and the log names the tickets.
import type { ScheduledEvent } from 'aws-lambda';
import { emitStuckWork } from '#shared/business-metrics.ts';
import { type SweepResult, sweepStuckWork } from '#shared/domain/stuck-work/sweep-stuck-work.ts';
import { metrics } from '#shared/metrics.ts';
import { logger, observed } from '#shared/observability.ts';
import { sweepDeps } from '#shared/wiring/sweep-deps.ts';

export const handler = observed<ScheduledEvent, SweepResult>().handler(async () => {
  const result = await sweepStuckWork(sweepDeps());
  emitStuckWork(metrics, result.found);
  const total = Object.values(result.found).reduce((sum, count) => sum + count, 0);
  // Ticket ids and kinds only.
  if (total > 0) logger.warn('stuck work re-driven', { ...result.found, tickets: result.tickets });
  else logger.info('no stuck work');
  return result;
});
