// Every minute: record the SLA warnings and breaches that are due, and walk the escalation ladder.
import type { ScheduledEvent } from 'aws-lambda';
import { emitSkippedEscalations, emitSlaEvents } from '#shared/business-metrics.ts';
import { checkSla, type SlaCheckResult } from '#shared/domain/sla/check-sla.ts';
import { metrics } from '#shared/metrics.ts';
import { logger, observed } from '#shared/observability.ts';
import { ticketDeps } from '#shared/wiring/ticket-deps.ts';

export const handler = observed<ScheduledEvent, SlaCheckResult>().handler(async () => {
  const deps = ticketDeps();
  const result = await checkSla(deps, deps.clock.now());
  // How many tickets were checked is in the log line, not a metric sent every minute.
  emitSlaEvents(metrics, result.recorded);
  emitSkippedEscalations(metrics, result.skipped);
  for (const step of result.skipped) logger.warn('escalation step skipped', step);
  logger.info('SLA check done', { checked: result.checked, events: result.events, skipped: result.skipped.length, ...result.recorded });
  return result;
});
