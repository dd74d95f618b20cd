// Powertools logger and metrics (EMF): one instance each per process, used by the one middy chain.
// Log lines carry ids, kinds and counts; never bodies, subjects or addresses. No Powertools tracer: Lambda's
// active tracing records every invocation without it, and the tracer brought the X-Ray SDK (with semver and
// cls-hooked, ~120 KiB) into every bundle (docs/decisions.md, "Lean functions").

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'helpdesk';

export const logger = new Logger({ serviceName });

// Most requests record no business metric; Powertools would warn about that on every one of them.
const metricsLogger = {
  trace: (...args: unknown[]) => logger.trace(String(args[0])),
  debug: (...args: unknown[]) => logger.debug(String(args[0])),
  info: (...args: unknown[]) => logger.info(String(args[0])),
  warn: (...args: unknown[]) => {
    if (!String(args[0]).startsWith('No application metrics to publish')) logger.warn(String(args[0]));
  },
  error: (...args: unknown[]) => logger.error(String(args[0])),
};

export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Helpdesk',
  logger: metricsLogger,
});

/** The Powertools middlewares every function starts with, whatever its trigger. */
export const observed = <Event, Result>() =>
  middy<Event, Result, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));

/**
 * An error as it may be logged: its name, the AWS status and request id when there are any, and where it
 * came from. Not its message: an SDK error can echo the values of a request (a subject, an address).
 */
export const errorForLog = (error: unknown): Record<string, unknown> => {
  if (!(error instanceof Error)) return { name: typeof error };
  const aws = error as Error & { $fault?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  return {
    name: error.name,
    ...(aws.$fault ? { fault: aws.$fault } : {}),
    ...(aws.$metadata?.httpStatusCode ? { status: aws.$metadata.httpStatusCode } : {}),
    ...(aws.$metadata?.requestId ? { awsRequestId: aws.$metadata.requestId } : {}),
    frames: (error.stack ?? '')
      .split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .slice(0, 6)
      .map((line) => line.trim()),
  };
};
