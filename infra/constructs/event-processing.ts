// EventProcessing: everything that runs off the request path, built from the same shared definitions the
// sandbox runs: the table stream → publish-events → the bus; each rule of rules.ts → its queue of
// queues.ts → that queue's consumer; each job of schedules.ts on its schedule. Every async hop ends in a
// dead-letter queue with an alarm (DESIGN §8), and every function has only the permissions its spec lists.
// The notify consumer also gets what mail needs: an SES configuration set, send rights on the sender's
// identity only, and read access to the signing key.
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SES_CONFIGURATION_SET_ENV } from '#shared/adapters/mailer.ts';
import { CONSOLE_URL_ENV, PUBLIC_URL_ENV } from '#shared/adapters/public-links.ts';
import { SIGNING_KEY_SECRET_ENV } from '#shared/adapters/signing-key.ts';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import { USER_POOL_ID_ENV } from '#shared/adapters/user-pool-staff.ts';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { EVENT_BUS_NAME_ENV } from '#shared/events/bus-definition.ts';
import { deadLetterQueueName, QUEUES, type QueueSpec } from '#shared/events/queues.ts';
import { RULES, type RuleSpec } from '#shared/events/rules.ts';
import { SCHEDULES, type ScheduleSpec } from '#shared/events/schedules.ts';
import { type TableAccess, usesTable } from '#shared/http/routes.ts';
import { DeadLetterQueue, SECURE_QUEUE_PROPS } from './dead-letter-queue.ts';
import { HelpdeskFunction } from './helpdesk-function.ts';
import { pascal } from './names.ts';
import { grantTableActions } from './table-access.ts';

export type EventProcessingProps = {
  table: dynamodb.ITableV2;
  eventBus: events.IEventBus;
  /** The key the notify consumer signs tracking links and reply addresses with (the stateful stack's). */
  signingKey: secretsmanager.ISecret;
  /** The configuration whose sender address mails go out from. Default: the bundled one, which the functions run with. */
  config?: HelpdeskConfig;
  /** The user pool whose staff groups the sync-staff job mirrors into the staff directory. */
  userPool: cognito.IUserPool;
  /** Where links in mail point: the API's public base URL and the console's (PUBLIC_URL, CONSOLE_URL). */
  links: { publicUrl: string; consoleUrl: string };
};

/** The queue (queues.ts) whose consumer sends mail. */
export const MAIL_QUEUE = 'notify';

/** What the notify consumer sends with. */
export type Mail = {
  configurationSet: ses.ConfigurationSet;
  /** The SES identities mail may be sent from: the sender's domain and the address itself. */
  identityArns: string[];
  /** The one From address the functions may use (organisation.senderAddress). */
  sender: string;
  signingKey: secretsmanager.ISecret;
};

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

/** How a rule delivers to its queue: EventBridge's own maximum, since a queue refusing is transient (a
 *  throttle, an outage), and an event that still cannot be delivered goes to the rule's dead-letter queue. */
export const RULE_TARGET_RETRY = { retryAttempts: 185, maxEventAge: Duration.hours(24) } as const;

/** How a schedule invokes its job: a few quick retries, and never a stale tick (the next one is due). */
export const SCHEDULE_TARGET_RETRY = { retryAttempts: 2, maxEventAge: Duration.minutes(1) } as const;

/** AWS advises a queue's visibility timeout of six times its consumer's timeout (queues.ts keeps that). */
const consumerTimeout = (spec: QueueSpec) => {
  const seconds = Math.floor(spec.visibilityTimeoutSeconds / 6);
  if (seconds < 1) throw new Error(`queues.ts: queue "${spec.name}" needs a visibility timeout of at least 6 s`);
  return Duration.seconds(seconds);
};

/** A run ends before the next one starts (10 s of margin), and within Lambda's 15 minutes. */
const jobTimeout = (spec: ScheduleSpec) => {
  const seconds = Math.min(900, Math.floor(spec.everyMs / 1000) - 10);
  if (seconds < 10) {
    throw new Error(`schedules.ts: schedule "${spec.name}" runs too often for a job (every ${spec.everyMs} ms)`);
  }
  return Duration.seconds(seconds);
};

/** rules.ts writes patterns as EventBridge does (`detail-type`); events.EventPattern names them in camelCase. */
const ENVELOPE_FIELDS: Record<string, keyof events.EventPattern> = {
  version: 'version',
  id: 'id',
  'detail-type': 'detailType',
  source: 'source',
  account: 'account',
  time: 'time',
  region: 'region',
  resources: 'resources',
  detail: 'detail',
};

export const toEventPattern = (spec: RuleSpec): events.EventPattern => {
  const pattern: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec.pattern)) {
    const field = ENVELOPE_FIELDS[key];
    if (!field) {
      throw new Error(`rules.ts: rule "${spec.name}" matches on "${key}", which is not an EventBridge event field`);
    }
    pattern[field] = value;
  }
  return pattern as events.EventPattern;
};

export type QueueConsumer = {
  spec: QueueSpec;
  queue: sqs.Queue;
  deadLetter: DeadLetterQueue;
  consumer: HelpdeskFunction;
};
export type BusRule = { spec: RuleSpec; rule: events.Rule; target: QueueConsumer; deliveryDeadLetter: DeadLetterQueue };
export type ScheduledJob = {
  spec: ScheduleSpec;
  rule: events.Rule;
  job: HelpdeskFunction;
  deliveryDeadLetter: DeadLetterQueue;
};

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
  /** What the notify consumer sends mail with. */
  readonly mail: Mail;

  constructor(scope: Construct, id: string, props: EventProcessingProps) {
    super(scope, id);
    const { table, eventBus } = props;
    const functions = new Map<string, HelpdeskFunction>();

    const tableEnvironment = (access: TableAccess): Record<string, string> =>
      usesTable(access) ? { [TABLE_NAME_ENV]: table.tableName } : {};

    // --- table stream → publish-events → bus ---------------------------------------------------------------
    this.publisher = new HelpdeskFunction(this, 'PublishEventsFunction', {
      entry: 'functions/stream/publish-events.ts',
      description: 'Helpdesk: puts each new history item from the table stream on the event bus',
      // Up to 10 PutEvents calls of 10 entries per batch of 100, each with the SDK's retries.
      timeout: Duration.seconds(30),
      environment: { [EVENT_BUS_NAME_ENV]: eventBus.eventBusName },
    });
    functions.set('stream/publish-events', this.publisher);
    // events:PutEvents on this bus only; no table item actions (the stream carries the items).
    eventBus.grantPutEventsTo(this.publisher);

    this.publishFailures = new DeadLetterQueue(this, 'PublishEventsFailures', {
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
    // Late events mean late routing and notifications even when nothing fails. No action yet (see DLQs).
    this.publishLagAlarm = new cloudwatch.Alarm(this, 'PublishEventsIteratorAgeAlarm', {
      alarmDescription:
        'Ticket events reach the bus more than a minute after they were written (publish-events is failing, ' +
        'throttled or slow); routing and notifications are late.',
      metric: this.publisher.metric('IteratorAge', { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 60_000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // --- queues and their consumers ------------------------------------------------------------------------
    const queues = new Map<string, QueueConsumer>();
    for (const spec of QUEUES) {
      const deadLetter = new DeadLetterQueue(this, pascal(deadLetterQueueName(spec)), {
        holds: `${spec.name} queue messages that failed ${spec.maxReceiveCount} times in ${spec.handler}`,
      });
      const queue = new sqs.Queue(this, `${pascal(spec.name)}Queue`, {
        ...SECURE_QUEUE_PROPS,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: deadLetter.queue, maxReceiveCount: spec.maxReceiveCount },
      });
      const consumer = new HelpdeskFunction(this, `${pascal(spec.handler)}Function`, {
        entry: `functions/queue/${spec.handler}.ts`,
        description: `Helpdesk queue consumer ${spec.handler} (${spec.name} queue)`,
        // A sixth of the visibility timeout: a message is never visible again while a consumer still works on it.
        timeout: consumerTimeout(spec),
        environment: tableEnvironment(spec),
      });
      grantTableActions(consumer, table, spec);
      // Partial batch responses: a failed message is retried (then dead-lettered) on its own, the rest of its
      // batch is deleted. The event source grants receive/delete on this queue only.
      consumer.addEventSource(
        new SqsEventSource(queue, {
          batchSize: spec.batchSize,
          reportBatchItemFailures: true,
          ...(spec.maxConcurrency ? { maxConcurrency: spec.maxConcurrency } : {}),
        }),
      );
      queues.set(spec.name, { spec, queue, deadLetter, consumer });
      functions.set(`queue/${spec.handler}`, consumer);
    }
    this.queues = queues;

    // --- mail (the notify consumer) ----------------------------------------------------------------------------
    const notifier = queues.get(MAIL_QUEUE);
    if (!notifier) throw new Error(`queues.ts: the mail queue "${MAIL_QUEUE}" is missing`);
    this.mail = this.wireMail(notifier.consumer, props);

    // --- bus rules → queues ----------------------------------------------------------------------------------
    const rules = new Map<string, BusRule>();
    for (const spec of RULES) {
      const target = queues.get(spec.queue);
      if (!target) {
        throw new Error(`rules.ts: rule "${spec.name}" targets queue "${spec.queue}", which queues.ts does not define`);
      }
      const deliveryDeadLetter = new DeadLetterQueue(this, `${pascal(spec.name)}RuleDeadLetterQueue`, {
        holds:
          `events the ${spec.name} rule could not deliver to the ${spec.queue} queue ` + `in ${RULE_TARGET_RETRY.maxEventAge.toHours()} h`,
      });
      // targets.SqsQueue adds to the queue's policy: events.amazonaws.com may send, on condition that the
      // sender is this rule (aws:SourceArn); the same for the delivery dead-letter queue.
      const rule = new events.Rule(this, `${pascal(spec.name)}Rule`, {
        eventBus,
        description: spec.description,
        eventPattern: toEventPattern(spec),
        targets: [new targets.SqsQueue(target.queue, { ...RULE_TARGET_RETRY, deadLetterQueue: deliveryDeadLetter.queue })],
      });
      rules.set(spec.name, { spec, rule, target, deliveryDeadLetter });
    }
    this.rules = rules;

    // --- scheduled jobs --------------------------------------------------------------------------------------
    // An aws-events schedule rule (on the default bus) rather than EventBridge Scheduler: the rule invokes the
    // function through a resource policy bound to the rule's ARN, while Scheduler needs an IAM role whose
    // lambda:InvokeFunction grant CDK writes as `<function>` and `<function>:*` (a wildcard cdk-nag flags).
    // A rate expression needs none of Scheduler's extras (time zones, one-off schedules, flexible windows).
    const schedules = new Map<string, ScheduledJob>();
    for (const spec of SCHEDULES) {
      const job = new HelpdeskFunction(this, `${pascal(spec.handler)}Function`, {
        entry: `functions/schedule/${spec.handler}.ts`,
        description: `Helpdesk scheduled job ${spec.handler} (${spec.expression})`,
        timeout: jobTimeout(spec),
        environment: tableEnvironment(spec),
        // The next run is the retry: the work is found by what is due (a sparse index), not carried in the
        // event, so a failed run loses nothing, and retrying a stale tick would only overlap the next one.
        // Failures show on the function's Errors alarm.
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
      });
      grantTableActions(job, table, spec);
      if (spec.publishes) {
        // events:PutEvents on the helpdesk bus only (the trend job's TrendDetected).
        eventBus.grantPutEventsTo(job);
        job.addEnvironment(EVENT_BUS_NAME_ENV, eventBus.eventBusName);
      }
      if (spec.mails) {
        this.grantSendMail(job);
        this.addLinks(job, props.links);
      }
      if (spec.readsUserPool) {
        // Read the staff groups' members, nothing else: no user's details one by one, no changes.
        job.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['cognito-idp:ListUsersInGroup'], resources: [props.userPool.userPoolArn] }),
        );
        job.addEnvironment(USER_POOL_ID_ENV, props.userPool.userPoolId);
      }
      const deliveryDeadLetter = new DeadLetterQueue(this, `${pascal(spec.name)}ScheduleDeadLetterQueue`, {
        holds: `${spec.name} runs (${spec.expression}) EventBridge could not invoke: the job did not run`,
      });
      const rule = new events.Rule(this, `${pascal(spec.name)}Schedule`, {
        description: `Helpdesk scheduled job ${spec.name}: ${spec.expression}`,
        schedule: events.Schedule.expression(spec.expression),
        targets: [new targets.LambdaFunction(job, { ...SCHEDULE_TARGET_RETRY, deadLetterQueue: deliveryDeadLetter.queue })],
      });
      schedules.set(spec.name, { spec, rule, job, deliveryDeadLetter });
      functions.set(`schedule/${spec.handler}`, job);
    }
    this.schedules = schedules;

    this.functions = functions;
  }

  /** Where a mailing function's links point. */
  private addLinks(fn: HelpdeskFunction, links: EventProcessingProps['links']): void {
    fn.addEnvironment(PUBLIC_URL_ENV, links.publicUrl);
    fn.addEnvironment(CONSOLE_URL_ENV, links.consoleUrl);
  }

  /** ses:SendEmail from the sender's identities with the configuration set, as the notify consumer has it. */
  private grantSendMail(job: HelpdeskFunction): void {
    const stack = Stack.of(this);
    job.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          ...this.mail.identityArns,
          stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.mail.configurationSet.configurationSetName }),
        ],
        // From the helpdesk's own address only, not any address of the school's verified domain.
        conditions: { StringEquals: { 'ses:FromAddress': this.mail.sender } },
      }),
    );
    job.addEnvironment(SES_CONFIGURATION_SET_ENV, this.mail.configurationSet.configurationSetName);
  }

  private wireMail(consumer: HelpdeskFunction, props: EventProcessingProps): Mail {
    const stack = Stack.of(this);
    const { signingKey } = props;
    const sender = (props.config ?? loadConfig()).organisation.senderAddress.toLowerCase();
    const domain = sender.slice(sender.lastIndexOf('@') + 1);

    // Every mail goes out with this set: SES's account-level suppression list keeps addresses that bounced or
    // complained from being mailed again (repeat bounces hurt the account's reputation), reputation metrics
    // are on, and sends, deliveries, bounces, complaints and rejects are counted in CloudWatch per kind of
    // notification (the `kind` tag the mailer sets).
    const configurationSet = new ses.ConfigurationSet(this, 'MailConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    configurationSet.addEventDestination('MailMetrics', {
      destination: ses.EventDestination.cloudWatchDimensions([
        { name: 'kind', source: ses.CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'other' },
      ]),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
      ],
    });

    // SES authorises a send against the identity the From address belongs to (the verified domain, or the
    // address when it is verified on its own) and the configuration set used: exactly those, nothing else.
    const identityArns = [domain, sender].map((identity) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
    );
    consumer.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          ...identityArns,
          stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName }),
        ],
        // From the helpdesk's own address only, not any address of the school's verified domain.
        conditions: { StringEquals: { 'ses:FromAddress': sender } },
      }),
    );
    // Read the key, nothing more (not DescribeSecret, not the versions).
    consumer.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [signingKey.secretArn] }));
    consumer.addEnvironment(SES_CONFIGURATION_SET_ENV, configurationSet.configurationSetName);
    consumer.addEnvironment(SIGNING_KEY_SECRET_ENV, signingKey.secretArn);
    this.addLinks(consumer, props.links);
    return { configurationSet, identityArns, sender, signingKey };
  }
}
