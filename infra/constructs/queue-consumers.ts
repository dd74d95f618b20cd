// Each queue of queues.ts with its dead-letter queue and its consumer, and each rule of rules.ts that
// delivers bus events to one of those queues (with a dead-letter queue of its own for what it cannot deliver).
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { MAIL_BUCKET_ENV } from '#shared/adapters/mail-bucket.ts';
import { WEBHOOK_QUEUE_URL_ENV } from '#shared/adapters/queue-retry.ts';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { EXPORT_PREFIX } from '#shared/domain/portability/export-tickets.ts';
import {
  busRetryAttempts,
  consumerDescription,
  consumerTimeoutSeconds,
  deadLetterQueueName,
  deployedQueues,
  type QueueSpec,
} from '#shared/events/queues.ts';
import { busRules, type RuleSpec } from '#shared/events/rules.ts';
import { usesTable } from '#shared/http/routes.ts';
import { DeadLetterQueue, SECURE_QUEUE_PROPS } from './dead-letter-queue.ts';
import { HelpdeskFunction } from './helpdesk-function.ts';
import type { MailBucket } from './inbound-mail.ts';
import { pascal } from './names.ts';
import { grantSecrets, type SecretSources, secretEnvironment } from './secret-access.ts';
import { grantTableActions } from './table-access.ts';

/** How a rule delivers to its queue: EventBridge's own maximum, since a queue refusing is transient (a
 *  throttle, an outage), and an event that still cannot be delivered goes to the rule's dead-letter queue. */
export const RULE_TARGET_RETRY = { retryAttempts: 185, maxEventAge: Duration.hours(24) } as const;

/** How long Lambda keeps retrying a bus-invoked consumer's event (its retries come a minute, then two, apart; the
 *  rest of the time covers throttling). */
export const BUS_CONSUMER_MAX_EVENT_AGE = Duration.hours(6);

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
  /** None for a consumer the bus invokes itself (queues.ts `invocation: 'async'`). */
  queue?: sqs.Queue;
  deadLetter: DeadLetterQueue;
  consumer: HelpdeskFunction;
};
export type BusRule = { spec: RuleSpec; rule: events.Rule; target: QueueConsumer; deliveryDeadLetter: DeadLetterQueue };

/**
 * Builds its resources in the given scope (EventProcessing's) rather than as a construct of its own, so they
 * keep the logical IDs they were deployed with (docs/decisions.md, "Shape of the code").
 */
export class QueueConsumers {
  /** By queue name (queues.ts). */
  readonly queues: ReadonlyMap<string, QueueConsumer>;

  private readonly config: HelpdeskConfig;

  constructor(scope: Construct, props: { table: dynamodb.ITableV2; config: HelpdeskConfig; mail: MailBucket; secrets: SecretSources }) {
    const { table } = props;
    this.config = props.config;
    const queues = new Map<string, QueueConsumer>();
    const deployed = deployedQueues(props.config);
    // Two dead-letter queues for every consumer (queues.ts, docs/decisions.md "Two dead-letter queues for the
    // consumers"), each made only when a deployed consumer uses it.
    const deadLetters = new Map<string, DeadLetterQueue>();
    const deadLetterOf = (spec: QueueSpec) => {
      const name = deadLetterQueueName(spec);
      const existing = deadLetters.get(name);
      if (existing) return existing;
      const users = deployed.filter((other) => deadLetterQueueName(other) === name);
      const made = new DeadLetterQueue(scope, pascal(name), {
        holds:
          spec.invocation === 'async'
            ? `Lambda's on-failure records of ${users.map((user) => `${user.handler} (${user.maxReceiveCount} tries)`).join(', ')}; requestContext.functionArn names the function`
            : `messages of the ${users.map((user) => `${user.name} (${user.maxReceiveCount} receives)`).join(', ')} queues; the DeadLetterQueueSourceArn attribute names the queue`,
      });
      deadLetters.set(name, made);
      return made;
    };
    for (const spec of deployed) {
      const bus = spec.invocation === 'async';
      const deadLetter = deadLetterOf(spec);
      // A bus-invoked consumer has no queue: nothing polls while the desk is idle (docs/decisions.md, "Idle cost").
      const queue = bus
        ? undefined
        : new sqs.Queue(scope, `${pascal(spec.name)}Queue`, {
            ...SECURE_QUEUE_PROPS,
            visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
            deadLetterQueue: { queue: deadLetter.queue, maxReceiveCount: spec.maxReceiveCount },
          });
      const consumer = new HelpdeskFunction(scope, `${pascal(spec.handler)}Function`, {
        entry: `functions/queue/${spec.handler}.ts`,
        description: consumerDescription(spec),
        // A sixth of the visibility timeout: a message is never visible again while a consumer still works on it.
        timeout: Duration.seconds(consumerTimeoutSeconds(spec)),
        untraced: spec.untraced,
        environment: {
          ...(usesTable(spec) ? { [TABLE_NAME_ENV]: table.tableName } : {}),
          ...secretEnvironment(spec.secrets ?? [], props.secrets),
        },
        // Bus-invoked: Lambda's own retries of the asynchronous invocation, then the record (with the event) to the
        // dead-letter queue; SqsDestination grants sqs:SendMessage on that queue only.
        ...(bus
          ? {
              retryAttempts: busRetryAttempts(spec),
              maxEventAge: BUS_CONSUMER_MAX_EVENT_AGE,
              onFailure: new SqsDestination(deadLetter.queue),
            }
          : {}),
      });
      grantTableActions(consumer, table, spec);
      grantSecrets(consumer, spec.secrets ?? [], props.secrets);
      // Partial batch responses: a failed message is retried (then dead-lettered) on its own, the rest of its
      // batch is deleted. The event source grants receive/delete on this queue only.
      if (queue)
        consumer.addEventSource(
          new SqsEventSource(queue, {
            batchSize: spec.batchSize,
            reportBatchItemFailures: true,
            ...(spec.maxConcurrency ? { maxConcurrency: spec.maxConcurrency } : {}),
          }),
        );
      if (spec.webhooks) grantWebhooks(consumer, queueOf(spec, queue), props.config);
      if (spec.exports) grantExports(scope, consumer, props.mail);
      queues.set(spec.name, { spec, queue, deadLetter, consumer });
    }
    this.queues = queues;
  }

  /** Each rule of rules.ts (the webhooks' too, when subscriptions are configured), on the helpdesk bus, delivering to its queue. */
  addRules(scope: Construct, eventBus: events.IEventBus): ReadonlyMap<string, BusRule> {
    const rules = new Map<string, BusRule>();
    // One dead-letter queue for every rule's deliveries (docs/decisions.md, "Fewer dead-letter queues"): what lands
    // here is rare (the bus could not reach a queue for a day) and carries its rule's ARN in the message's
    // attributes (RULE_ARN, TARGET_ARN), so one queue, one alarm metric, says as much as one per rule did.
    const deliveryDeadLetter = new DeadLetterQueue(scope, 'RuleDeliveryDeadLetterQueue', {
      holds:
        `events a rule of the bus could not deliver to its queue in ${RULE_TARGET_RETRY.maxEventAge.toHours()} h ` +
        '(the RULE_ARN attribute names the rule)',
    });
    for (const spec of busRules(this.config)) {
      const target = this.queues.get(spec.queue);
      if (!target) {
        throw new Error(`rules.ts: rule "${spec.name}" targets queue "${spec.queue}", which queues.ts does not define`);
      }
      // targets.SqsQueue adds to the queue's policy: events.amazonaws.com may send, on condition that the
      // sender is this rule (aws:SourceArn); the same for the delivery dead-letter queue. targets.LambdaFunction
      // (a bus-invoked consumer) adds a permission for this rule alone to invoke the function.
      const retry = { ...RULE_TARGET_RETRY, deadLetterQueue: deliveryDeadLetter.queue };
      const rule = new events.Rule(scope, `${pascal(spec.name)}Rule`, {
        eventBus,
        description: spec.description,
        eventPattern: toEventPattern(spec),
        targets: [target.queue ? new targets.SqsQueue(target.queue, retry) : new targets.LambdaFunction(target.consumer, retry)],
      });
      rules.set(spec.name, { spec, rule, target, deliveryDeadLetter });
    }
    return rules;
  }
}

const queueOf = (spec: QueueSpec, queue: sqs.Queue | undefined): sqs.Queue => {
  if (!queue) throw new Error(`queues.ts: queue "${spec.name}" needs its queue (webhooks), so it cannot be invoked asynchronously`);
  return queue;
};

/** A webhook subscription's secret: its ARN with the six characters Secrets Manager appends to a name. */
const secretArnOf = (stack: Stack, name: string) =>
  stack.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${name}-??????`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });

/**
 * The webhook consumer: its own queue's URL (backoff by ChangeMessageVisibility), and GetSecretValue on
 * exactly the secrets the subscriptions name. Subscriptions must use https here (http://localhost is the sandbox's).
 */
const grantWebhooks = (consumer: HelpdeskFunction, queue: sqs.Queue, config: HelpdeskConfig) => {
  config.webhooks.forEach((webhook, index) => {
    if (!webhook.url.startsWith('https://'))
      throw new Error(`webhooks.${index}.url: must be https:// in AWS (plain http to localhost is for the sandbox only)`);
  });
  // ChangeMessageVisibility on this queue comes with the event source's consume grant.
  consumer.addEnvironment(WEBHOOK_QUEUE_URL_ENV, queue.queueUrl);
  const names = [...new Set(config.webhooks.map((webhook) => webhook.secret))].sort();
  if (names.length === 0) return;
  const stack = Stack.of(consumer);
  consumer.addToRolePolicy(
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: names.map((name) => secretArnOf(stack, name)) }),
  );
  for (const name of names)
    Validations.of(consumer.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${name}-??????]`,
      reason:
        `GetSecretValue on the one secret the webhook configuration names (${name}); the -?????? stands for the six ` +
        'characters Secrets Manager appends to every secret name, which the configuration cannot know.',
    });
};

/**
 * The export worker: multipart uploads under exports/ in the mail bucket, and invoking itself for the next run (its
 * own name, AWS_LAMBDA_FUNCTION_NAME, which Lambda sets). The permission to invoke itself is a policy of its own: in
 * the role's default policy, which the function depends on, naming the function would be a dependency cycle.
 */
const grantExports = (scope: Construct, consumer: HelpdeskFunction, mail: MailBucket) => {
  consumer.addEnvironment(MAIL_BUCKET_ENV, mail.bucket.bucketName);
  new iam.Policy(scope, 'ExportTicketsInvokeItself', {
    roles: [consumer.role!],
    statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [consumer.functionArn] })],
  });
  consumer.addToRolePolicy(
    new iam.PolicyStatement({
      // PutObject covers CreateMultipartUpload, UploadPart and CompleteMultipartUpload.
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resources: [`${mail.exportedBucketArn}/${EXPORT_PREFIX}*`],
    }),
  );
  Validations.of(consumer.role!).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${mail.bucketArnExportName}/${EXPORT_PREFIX}*]`,
    reason: `Writes under ${EXPORT_PREFIX} only: each export is a new object named by its id at run time; no other key, no reading.`,
  });
};
