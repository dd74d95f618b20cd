// Builds the statistics ports once per cold start: the table (counters, markers, queue index), the wall
// clock and the validated configuration.

import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { Clock } from '#shared/domain/ports.ts';
import type { StatsReader } from '#shared/domain/reports.ts';
import type { StatsStore } from '#shared/domain/stats.ts';
import { systemClock } from './clock.ts';
import { dynamoDocumentClient, tableName } from './dynamodb.ts';
import { createStatsStore } from './stats-store.ts';

export type StatsDeps = { store: StatsStore; stats: StatsReader; clock: Clock; config: HelpdeskConfig };

let deps: StatsDeps | undefined;

export const statsDeps = (): StatsDeps => {
  if (!deps) {
    const store = createStatsStore(dynamoDocumentClient(), tableName());
    deps = { store, stats: store, clock: systemClock, config: loadConfig() };
  }
  return deps;
};
