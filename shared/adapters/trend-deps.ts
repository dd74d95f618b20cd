// Builds the trend job's ports once per cold start: the statistics items (read), the event bus (TrendDetected,
// put directly: a trend belongs to no ticket, so it has no history item for the stream to carry), SES for the
// digest, the wall clock and the configuration.
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { loadConfig } from '#shared/config/load-config.ts';
import type { TrendDeps, TrendPublisher } from '#shared/domain/trends.ts';
import { EVENT_BUS_NAME, EVENT_BUS_NAME_ENV, EVENT_SOURCE } from '#shared/events/event-bus.ts';
import { systemClock } from './clock.ts';
import { dynamoDocumentClient, tableName } from './dynamodb.ts';
import { eventBridgeClient } from './event-bus.ts';
import { sesMailer } from './mailer.ts';
import { createStatsStore } from './stats-store.ts';

/** PutEvents takes at most 10 entries a call; an entry the bus refuses fails the run (the next week's is the retry). */
export const busTrendPublisher: TrendPublisher = {
  async publish(events) {
    for (let start = 0; start < events.length; start += 10) {
      const chunk = events.slice(start, start + 10);
      const result = await eventBridgeClient().send(
        new PutEventsCommand({
          Entries: chunk.map((event) => ({
            Source: EVENT_SOURCE,
            DetailType: event.type,
            Detail: JSON.stringify(event),
            EventBusName: process.env[EVENT_BUS_NAME_ENV] ?? EVENT_BUS_NAME,
            Time: new Date(event.at),
          })),
        }),
      );
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
    clock: systemClock,
    config: loadConfig(),
  });
