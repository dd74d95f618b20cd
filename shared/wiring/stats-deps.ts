// Builds the statistics ports once per cold start: the table (counters, markers, queue index), the wall
// clock and the validated configuration.

import { systemClock } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { createStatsStore } from '#shared/adapters/stats-store.ts';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { StatsReader } from '#shared/domain/reports/reports.ts';
import type { StatsStore } from '#shared/domain/reports/stats.ts';
import type { Clock } from '#shared/domain/tickets/ports.ts';

export type StatsDeps = { store: StatsStore; stats: StatsReader; clock: Clock; config: HelpdeskConfig };

let deps: StatsDeps | undefined;

export const statsDeps = (): StatsDeps => {
  if (!deps) {
    const store = createStatsStore(dynamoDocumentClient(), tableName());
    deps = { store, stats: store, clock: systemClock, config: loadConfig() };
  }
  return deps;
};
