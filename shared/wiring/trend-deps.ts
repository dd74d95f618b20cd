// Builds the trend job's ports once per cold start: the statistics items (read), the event bus (TrendDetected,
// put directly: a trend belongs to no ticket, so it has no history item for the stream to carry), SES and the staff
// directory for the leads' digest, the wall clock and the configuration.
import { busEntry, putEvents } from '#shared/adapters/bus-publisher.ts';
import { systemClock } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { sesMailer } from '#shared/adapters/mailer.ts';
import { createStaffDirectory } from '#shared/adapters/staff-directory.ts';
import { createStatsStore } from '#shared/adapters/stats-store.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { TrendDeps, TrendPublisher } from '#shared/domain/reports/trends.ts';

/** An entry the bus still refuses after the adapter's retries fails the run (the next week's is the retry). */
const busTrendPublisher: TrendPublisher = {
  async publish(events) {
    const { failed, errors } = await putEvents(events.map(busEntry));
    if (errors.length > 0) throw errors[0];
    if (failed.length > 0) throw new Error(`the bus refused ${failed.length} TrendDetected events`);
  },
};

let deps: TrendDeps | undefined;

export const trendDeps = (): TrendDeps =>
  (deps ??= {
    stats: createStatsStore(dynamoDocumentClient(), tableName()),
    publisher: busTrendPublisher,
    mailer: sesMailer,
    staff: createStaffDirectory(dynamoDocumentClient(), tableName()),
    clock: systemClock,
    config: loadConfig(),
  });
