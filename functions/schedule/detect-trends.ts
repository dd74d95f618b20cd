// Weekly (Monday 01:00 UTC, 08:00 WIB): categories with an unusual volume last week → TrendDetected on the
// bus, and a digest with recommendations to each team lead.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { detectTrends, type TrendRun } from '#shared/domain/reports/trends.ts';
import { metrics } from '#shared/metrics.ts';
import { logger, observed } from '#shared/observability.ts';
import { trendDeps } from '#shared/wiring/trend-deps.ts';

export const handler = observed<ScheduledEvent, Pick<TrendRun, 'week' | 'categories' | 'digests'> & { trends: number }>().handler(
  async () => {
    const run = await detectTrends(trendDeps());
    if (run.trends.length > 0) metrics.addMetric('TrendsDetected', MetricUnit.Count, run.trends.length);
    // Categories and figures only: no addresses.
    logger.info('trends', {
      week: run.week,
      categories: run.categories,
      trends: run.trends.map(({ category, direction, z }) => ({ category, direction, z })),
      digests: run.digests,
    });
    return { week: run.week, categories: run.categories, trends: run.trends.length, digests: run.digests };
  },
);
