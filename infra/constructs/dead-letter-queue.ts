// DeadLetterQueue: where an async path puts what it finally gave up on, with the alarm that says so. Every
// async path of the helpdesk ends in one (DESIGN §8: "DLQs with alarms on every async path").
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { monitoringOf } from './monitoring.ts';

/** Settings every helpdesk queue has: SSE with SQS-managed keys and a policy that refuses plain HTTP. */
export const SECURE_QUEUE_PROPS = {
  // SQS-managed keys rather than KMS: EventBridge and Lambda can use the queue without key grants or a key
  // policy, and there is no per-request KMS cost. The messages are ids and ticket snapshots.
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
} as const satisfies sqs.QueueProps;

/** SQS's maximum: the most time to notice, fix and redrive. It must exceed every source queue's retention. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

export type DeadLetterQueueProps = {
  /** What lands here, in words an operator reads in the alarm (e.g. "routing messages received 5 times"). */
  holds: string;
};

export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  /**
   * In ALARM as soon as one message waits here. Only with `monitoring=full` (monitoring.ts): in `small`, one
   * alarm of Operations watches every dead-letter queue at once (operations-alarms.ts).
   */
  readonly alarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', { ...SECURE_QUEUE_PROPS, retentionPeriod: DEAD_LETTER_RETENTION });

    // One message is already a lost side effect (a ticket not routed, an event not published), so the
    // threshold is "more than none". Missing data (SQS stops reporting an idle, empty queue) is not a breach.
    // Its action is the alarm topic, which Operations gives every alarm of the stack (alarm-topic.ts).
    if (monitoringOf(this) === 'full')
      this.alarm = new cloudwatch.Alarm(this, 'NotEmptyAlarm', {
        alarmDescription: `Dead-letter queue not empty: ${props.holds}. Find the cause in the consumer's logs, fix it, then redrive the messages.`,
        metric: this.queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });

    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        `This queue is itself a dead-letter queue (${props.holds}): a dead-letter queue behind it would only move ` +
        'the same messages once more. It keeps them 14 days, and its alarm fires on the first one.',
    });
  }
}
