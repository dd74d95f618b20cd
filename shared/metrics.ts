// The business metrics' writer: Powertools Metrics (CloudWatch EMF), one instance per process, flushed at the end of
// every invocation of a function whose bundle imports this module. Only the functions that record a metric import
// it, so the others carry neither Metrics nor its flush (docs/decisions.md, "Lean functions"). The names, units and
// dimensions are in business-metrics.ts.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { logger, useInEveryChain } from './observability.ts';

const text = (args: unknown[]) => String(args[0]);

export const metrics = new Metrics({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'helpdesk',
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Helpdesk',
  logger: {
    trace: (...args: unknown[]) => logger.trace(text(args)),
    debug: (...args: unknown[]) => logger.debug(text(args)),
    info: (...args: unknown[]) => logger.info(text(args)),
    // Most invocations record no business metric; Powertools would warn about that on every one of them.
    warn: (...args: unknown[]) => {
      if (!text(args).startsWith('No application metrics to publish')) logger.warn(text(args));
    },
    error: (...args: unknown[]) => logger.error(text(args)),
  },
});

useInEveryChain(logMetrics(metrics) as Parameters<typeof useInEveryChain>[0]);
