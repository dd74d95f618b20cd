// Builds the trend job's ports once per cold start: the statistics items (read), the event bus (TrendDetected,
// put directly: a trend belongs to no ticket, so it has no history item for the stream to carry), SES and the staff
// directory for the leads' digest, the wall clock and the configuration.
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { busEntry, eventBridgeClient, PUT_EVENTS_MAX } from '#shared/adapters/bus-publisher.ts';
import { systemClock } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { sesMailer } from '#shared/adapters/mailer.ts';
import { createStaffDirectory } from '#shared/adapters/staff-directory.ts';
import { createStatsStore } from '#shared/adapters/stats-store.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { TrendDeps, TrendPublisher } from '#shared/domain/reports/trends.ts';

/** In chunks PutEvents takes; an entry the bus refuses fails the run (the next week's is the retry). */
export const busTrendPublisher: TrendPublisher = {
  async publish(events) {
    for (let start = 0; start < events.length; start += PUT_EVENTS_MAX) {
      const chunk = events.slice(start, start + PUT_EVENTS_MAX);
      const result = await eventBridgeClient().send(new PutEventsCommand({ Entries: chunk.map(busEntry) }));
      if ((result.FailedEntryCount ?? 0) > 0) throw new Error(`the bus refused ${result.FailedEntryCount} TrendDetected events`);
    }
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
