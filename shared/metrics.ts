// The business metrics' writer: Powertools Metrics (CloudWatch EMF), one instance per process, flushed at the end of
// every invocation of a function whose bundle imports this module. Only the functions that record a metric import
// it, so the others carry neither Metrics nor its flush (docs/decisions.md, "Lean functions"). The names, units and
// dimensions are in business-metrics.ts.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logger, useInEveryChain } from './observability.ts';

const text = (args: unknown[]) => String(args[0]);

export const metrics = new Metrics({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'helpdesk',
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Helpdesk',
  logger: {
    trace: (...args: unknown[]) => logger.trace(text(args)),
    debug: (...args: unknown[]) => logger.debug(text(args)),
    info: (...args: unknown[]) => logger.info(text(args)),
    warn: (...args: unknown[]) => logger.warn(text(args)),
    error: (...args: unknown[]) => logger.error(text(args)),
  },
});

/**
 * Publishes what the invocation stored, at its end, as Powertools' logMetrics does, but only when there is
 * something: Powertools serialises an empty set every time, which was ~1.5% of the sandbox's busy CPU answering
 * GETs (its functions share one process, so every chain there flushes). Single metrics publish themselves.
 */
const flush = () => {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
};

useInEveryChain({ after: flush, onError: flush });
