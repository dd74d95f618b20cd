// EventProcessing: everything that runs off the request path, built from the same shared definitions the
// sandbox runs, in three parts: the stream publisher (table stream → publish-events → the bus), the queue
// consumers (each rule of rules.ts → its queue of queues.ts → that queue's consumer) and the scheduled jobs
// (schedules.ts). Every async hop ends in a dead-letter queue with an alarm (DESIGN §8), and every function
// has only the permissions its spec lists. Functions that mail get what mail needs (outbound-mail.ts).
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { BUSINESS_METRICS } from '#shared/business-metrics.ts';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import type { HelpdeskFunction } from './helpdesk-function.ts';
import type { MailBucket } from './inbound-mail.ts';
import { monitoringOf } from './monitoring.ts';
import { businessMetric } from './operations-alarms.ts';
import { OutboundMail } from './outbound-mail.ts';
import { type BusRule, type QueueConsumer, QueueConsumers } from './queue-consumers.ts';
import { type ScheduledJob, ScheduledJobs } from './scheduled-jobs.ts';
import type { SecretSources } from './secret-access.ts';
import { StreamPublisher } from './stream-publisher.ts';

export type EventProcessingProps = {
  table: dynamodb.ITableV2;
  eventBus: events.IEventBus;
  /** The secrets a queue's consumer may list (queues.ts `secrets`: the chat platforms' tokens), and the key the
   *  notify consumer signs tracking links and reply addresses with (the stateful stack's). */
  secrets: SecretSources;
  /** The configuration whose sender address mails go out from. Default: the bundled one, which the functions run with. */
  config?: HelpdeskConfig;
  /** The user pool whose staff groups the sync-staff job mirrors into the staff directory. */
  userPool: cognito.IUserPool;
  /** Where links in mail point: the API's public base URL and the console's (PUBLIC_URL, CONSOLE_URL). */
  links: { publicUrl: string; consoleUrl: string };
  /** The stacks' bucket: full exports are written under exports/ there. */
  mail: MailBucket;
};

/** The consumer (queues.ts) that writes full exports; GET /admin/export invokes it for the first run. */
export const EXPORT_QUEUE = 'exports';

/** The queue (queues.ts) whose consumer sends mail. */
export const MAIL_QUEUE = 'notify';
/** The queue (queues.ts) whose consumer sends to Telegram and WhatsApp chats, and where the webhooks put answers. */
export const CHAT_QUEUE = 'chat';

export class EventProcessing extends Construct {
  readonly publisher: HelpdeskFunction;
  /** Where the stream's event source mapping reports the batches publish-events gave up on. */
  readonly publishFailures: DeadLetterQueue;
  /** In ALARM while events reach the bus more than a minute after they were written. */
  readonly publishLagAlarm: cloudwatch.Alarm;
  /** By queue name (queues.ts). */
  readonly queues: ReadonlyMap<string, QueueConsumer>;
  /** By rule name (rules.ts). */
  readonly rules: ReadonlyMap<string, BusRule>;
  /** By schedule name (schedules.ts). */
  readonly schedules: ReadonlyMap<string, ScheduledJob>;
  /** Every function, by `<trigger>/<handler>` (`stream/publish-events`, `queue/route-ticket`, …). */
  readonly functions: ReadonlyMap<string, HelpdeskFunction>;
  /** What the functions that mail send with. */
  readonly mail: OutboundMail;
  /** In ALARM when a webhook receiver answered 410 Gone and its subscription was switched off (`monitoring=full` only). */
  readonly webhookDisabledAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: EventProcessingProps) {
    super(scope, id);
    const { table, eventBus } = props;
    // The parts build into this construct's scope, in the order the resources were always created.
    const stream = new StreamPublisher(this, { table, eventBus });
    const config = props.config ?? loadConfig();
    const consumers = new QueueConsumers(this, { table, config, mail: props.mail, secrets: props.secrets });
    const notifier = consumers.queues.get(MAIL_QUEUE);
    if (!notifier) throw new Error(`queues.ts: the mail queue "${MAIL_QUEUE}" is missing`);
    this.mail = new OutboundMail(this, Stack.of(this), {
      senderAddress: config.organisation.senderAddress,
      signingKey: props.secrets.signingKey,
      links: props.links,
    });
    this.mail.grantSend(notifier.consumer);
    this.mail.grantSigningKey(notifier.consumer);
    this.rules = consumers.addRules(this, eventBus);
    const jobs = new ScheduledJobs(this, { table, eventBus, mail: this.mail, userPool: props.userPool, queues: consumers.queues });

    // A 410 is a receiver saying "this address is gone for good": someone must point the subscription elsewhere.
    // In `small`, the receiver's owner notices first; the log and the dashboard say which subscription.
    if (monitoringOf(this) === 'full')
      this.webhookDisabledAlarm = new cloudwatch.Alarm(this, 'WebhookDisabledAlarm', {
        alarmDescription:
          'A webhook receiver answered 410 Gone and its subscription was switched off: events are no longer sent to it. ' +
          'Runbook: docs/operations.md, "Webhook switched off".',
        metric: businessMetric(BUSINESS_METRICS.webhookDisabled, { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });

    this.publisher = stream.publisher;
    this.publishFailures = stream.publishFailures;
    this.publishLagAlarm = stream.publishLagAlarm;
    this.queues = consumers.queues;
    this.schedules = jobs.schedules;
    this.functions = new Map<string, HelpdeskFunction>([
      ['stream/publish-events', stream.publisher],
      ...[...consumers.queues.values()].map(({ spec, consumer }) => [`queue/${spec.handler}`, consumer] as const),
      ...[...jobs.schedules.values()].map(({ spec, job }) => [`schedule/${spec.handler}`, job] as const),
    ]);
  }
}
