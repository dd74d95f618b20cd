// The table stream → publish-events → the bus: the one function that turns written history into events,
// its failure queue and the alarm that says events are late.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { EVENT_BUS_NAME_ENV } from '#shared/events/bus-definition.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HelpdeskFunction } from './helpdesk-function.ts';

/** How publish-events reads the table stream. */
export const STREAM_SETTINGS = {
  batchSize: 100,
  // Bounded: a record that still fails after this many retries (bisected down to itself) goes to the
  // on-failure queue instead of blocking its shard until the stream drops it 24 h later.
  retryAttempts: 10,
  // A record this old is given up on (and reported to the on-failure queue) while at least 18 of the
  // stream's 24 hours remain, in which an operator can still read the reported range from the stream.
  maxRecordAge: Duration.hours(6),
} as const;

/** Only inserted history items are events (`entity: "event"`); every other stream record is filtered out
 *  by Lambda before it costs an invocation. publish-events checks the same thing itself. */
export const HISTORY_ITEM_FILTER = lambda.FilterCriteria.filter({
  eventName: lambda.FilterRule.isEqual('INSERT'),
  dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual('event') } } },
});

/**
 * Builds its resources in the given scope (EventProcessing's) rather than as a construct of its own, so they
 * keep the logical IDs they were deployed with (docs/decisions.md, "Shape of the code").
 */
export class StreamPublisher {
  readonly publisher: HelpdeskFunction;
  /** Where the stream's event source mapping reports the batches publish-events gave up on. */
  readonly publishFailures: DeadLetterQueue;
  /** In ALARM while events reach the bus more than a minute after they were written. */
  readonly publishLagAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, props: { table: dynamodb.ITableV2; eventBus: events.IEventBus }) {
    const { table, eventBus } = props;
    this.publisher = new HelpdeskFunction(scope, 'PublishEventsFunction', {
      entry: 'functions/stream/publish-events.ts',
      description: 'Helpdesk: puts each new history item from the table stream on the event bus',
      // Up to 10 PutEvents calls of 10 entries per batch of 100, each with the SDK's retries.
      timeout: Duration.seconds(30),
      untraced:
        "about 20 runs a ticket, each one PutEvents (a third of the desk's traces); the stream's lag alarm and the failure queue say when it is behind or failing",
      environment: { [EVENT_BUS_NAME_ENV]: eventBus.eventBusName },
    });
    // events:PutEvents on this bus only; no table item actions (the stream carries the items).
    eventBus.grantPutEventsTo(this.publisher);

    this.publishFailures = new DeadLetterQueue(scope, 'PublishEventsFailures', {
      holds:
        'stream batches publish-events could not put on the bus (shard and sequence range only: re-read them ' +
        'from the stream within its 24 h, or from the history items in the table)',
    });
    // DynamoEventSource grants stream read (DescribeStream, GetRecords, GetShardIterator on the table's
    // stream, ListStreams) and sqs:SendMessage on the failure queue; nothing on the table's items.
    this.publisher.addEventSource(
      new DynamoEventSource(table, {
        // From the oldest record still in the stream: a mapping that is (re)created after writes happened
        // publishes them rather than skipping them; consumers are idempotent on the event id.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: STREAM_SETTINGS.batchSize,
        // One batch per shard at a time, so a ticket's events reach the bus in the order they were written.
        parallelizationFactor: 1,
        // publish-events reports the earliest record the bus refused; the stream retries from there.
        reportBatchItemFailures: true,
        // A batch that keeps failing is split in two until the failing record stands alone, so one poison
        // record does not hold back its neighbours.
        bisectBatchOnError: true,
        retryAttempts: STREAM_SETTINGS.retryAttempts,
        maxRecordAge: STREAM_SETTINGS.maxRecordAge,
        onFailure: new SqsDlq(this.publishFailures.queue),
        filters: [HISTORY_ITEM_FILTER],
      }),
    );
    // Late events mean late routing and notifications even when nothing fails. Like every alarm of the stack
    // it notifies the alarm topic (operations.ts adds the action to all of them).
    this.publishLagAlarm = new cloudwatch.Alarm(scope, 'PublishEventsIteratorAgeAlarm', {
      alarmDescription:
        'Ticket events reach the bus more than a minute after they were written (publish-events is failing, ' +
        'throttled or slow); routing and notifications are late.',
      metric: this.publisher.metric('IteratorAge', { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 60_000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
