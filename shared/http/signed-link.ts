// The routes behind a signed link (tracking, ratings): a link that leads nowhere — forged, altered, expired
// or for another purpose — is answered like a ticket that does not exist, and counted.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { notFound } from '#shared/domain/errors.ts';
import { metrics } from '#shared/observability.ts';

export const refusedLinkAsNotFound = async <T>(
  refusal: new (...args: never[]) => Error,
  metric: string,
  message: string,
  run: () => Promise<T>,
): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof refusal)) throw error;
    metrics.addMetric(metric, MetricUnit.Count, 1);
    throw notFound(message);
  }
};
