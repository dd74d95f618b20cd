// Each queue of queues.ts with its dead-letter queue and its consumer, and each rule of rules.ts that
// delivers bus events to one of those queues (with a dead-letter queue of its own for what it cannot deliver).
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import { deadLetterQueueName, QUEUES, type QueueSpec } from '#shared/events/queues.ts';
import { RULES, type RuleSpec } from '#shared/events/rules.ts';
import { type SecretName, usesTable } from '#shared/http/routes.ts';
import { DeadLetterQueue, SECURE_QUEUE_PROPS } from './dead-letter-queue.ts';
import { HelpdeskFunction } from './helpdesk-function.ts';
import { pascal } from './names.ts';
import { grantSecrets, secretEnvironment } from './secret-access.ts';
import { grantTableActions } from './table-access.ts';

/** How a rule delivers to its queue: EventBridge's own maximum, since a queue refusing is transient (a
 *  throttle, an outage), and an event that still cannot be delivered goes to the rule's dead-letter queue. */
export const RULE_TARGET_RETRY = { retryAttempts: 185, maxEventAge: Duration.hours(24) } as const;

/** AWS advises a queue's visibility timeout of six times its consumer's timeout (queues.ts keeps that). */
const consumerTimeout = (spec: QueueSpec) => {
  const seconds = Math.floor(spec.visibilityTimeoutSeconds / 6);
  if (seconds < 1) throw new Error(`queues.ts: queue "${spec.name}" needs a visibility timeout of at least 6 s`);
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

/**
 * Builds its resources in the given scope (EventProcessing's) rather than as a construct of its own, so they
 * keep the logical IDs they were deployed with (docs/decisions.md, "Shape of the code").
 */
export class QueueConsumers {
  /** By queue name (queues.ts). */
  readonly queues: ReadonlyMap<string, QueueConsumer>;

  constructor(scope: Construct, props: { table: dynamodb.ITableV2; secrets: Record<SecretName, secretsmanager.ISecret> }) {
    const { table } = props;
    const queues = new Map<string, QueueConsumer>();
    for (const spec of QUEUES) {
      const deadLetter = new DeadLetterQueue(scope, pascal(deadLetterQueueName(spec)), {
        holds: `${spec.name} queue messages that failed ${spec.maxReceiveCount} times in ${spec.handler}`,
      });
      const queue = new sqs.Queue(scope, `${pascal(spec.name)}Queue`, {
        ...SECURE_QUEUE_PROPS,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: deadLetter.queue, maxReceiveCount: spec.maxReceiveCount },
      });
      const consumer = new HelpdeskFunction(scope, `${pascal(spec.handler)}Function`, {
        entry: `functions/queue/${spec.handler}.ts`,
        description: `Helpdesk queue consumer ${spec.handler} (${spec.name} queue)`,
        // A sixth of the visibility timeout: a message is never visible again while a consumer still works on it.
        timeout: consumerTimeout(spec),
        environment: {
          ...(usesTable(spec) ? { [TABLE_NAME_ENV]: table.tableName } : {}),
          ...secretEnvironment(spec.secrets ?? [], props.secrets),
        },
      });
      grantTableActions(consumer, table, spec);
      grantSecrets(consumer, spec.secrets ?? [], props.secrets);
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
    }
    this.queues = queues;
  }

  /** Each rule of rules.ts, on the helpdesk bus, delivering to its queue. */
  addRules(scope: Construct, eventBus: events.IEventBus): ReadonlyMap<string, BusRule> {
    const rules = new Map<string, BusRule>();
    for (const spec of RULES) {
      const target = this.queues.get(spec.queue);
      if (!target) {
        throw new Error(`rules.ts: rule "${spec.name}" targets queue "${spec.queue}", which queues.ts does not define`);
      }
      const deliveryDeadLetter = new DeadLetterQueue(scope, `${pascal(spec.name)}RuleDeadLetterQueue`, {
        holds:
          `events the ${spec.name} rule could not deliver to the ${spec.queue} queue ` + `in ${RULE_TARGET_RETRY.maxEventAge.toHours()} h`,
      });
      // targets.SqsQueue adds to the queue's policy: events.amazonaws.com may send, on condition that the
      // sender is this rule (aws:SourceArn); the same for the delivery dead-letter queue.
      const rule = new events.Rule(scope, `${pascal(spec.name)}Rule`, {
        eventBus,
        description: spec.description,
        eventPattern: toEventPattern(spec),
        targets: [new targets.SqsQueue(target.queue, { ...RULE_TARGET_RETRY, deadLetterQueue: deliveryDeadLetter.queue })],
      });
      rules.set(spec.name, { spec, rule, target, deliveryDeadLetter });
    }
    return rules;
  }
}
