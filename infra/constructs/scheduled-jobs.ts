// Each job of schedules.ts: its function, the schedule rule that invokes it and a dead-letter queue for the
// runs EventBridge could not invoke and the runs that failed.
import { Duration } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Construct } from 'constructs';
import { queueUrlEnv } from '#shared/adapters/queue-redriver.ts';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import { USER_POOL_ID_ENV } from '#shared/adapters/user-pool-staff.ts';
import { EVENT_BUS_NAME_ENV } from '#shared/events/bus-definition.ts';
import { SCHEDULES, type ScheduleSpec } from '#shared/events/schedules.ts';
import { usesTable } from '#shared/http/routes.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HelpdeskFunction } from './helpdesk-function.ts';
import { pascal } from './names.ts';
import type { OutboundMail } from './outbound-mail.ts';
import type { QueueConsumer } from './queue-consumers.ts';
import { grantTableActions } from './table-access.ts';

/** How a schedule invokes its job: a few quick retries, and never a stale tick (the next one is due). */
export const SCHEDULE_TARGET_RETRY = { retryAttempts: 2, maxEventAge: Duration.minutes(1) } as const;

/** A run ends before the next one starts (10 s of margin), and within Lambda's 15 minutes. */
const jobTimeout = (spec: ScheduleSpec) => {
  const seconds = Math.min(900, Math.floor(spec.everyMs / 1000) - 10);
  if (seconds < 10) {
    throw new Error(`schedules.ts: schedule "${spec.name}" runs too often for a job (every ${spec.everyMs} ms)`);
  }
  return Duration.seconds(seconds);
};

export type ScheduledJob = {
  spec: ScheduleSpec;
  rule: events.Rule;
  job: HelpdeskFunction;
  deliveryDeadLetter: DeadLetterQueue;
};

/**
 * Builds its resources in the given scope (EventProcessing's) rather than as a construct of its own, so they
 * keep the logical IDs they were deployed with (docs/decisions.md, "Shape of the code").
 *
 * An aws-events schedule rule (on the default bus) rather than EventBridge Scheduler: the rule invokes the
 * function through a resource policy bound to the rule's ARN, while Scheduler needs an IAM role whose
 * lambda:InvokeFunction grant CDK writes as `<function>` and `<function>:*` (a wildcard cdk-nag flags). A
 * rate expression needs none of Scheduler's extras (time zones, one-off schedules, flexible windows).
 */
export class ScheduledJobs {
  /** By schedule name (schedules.ts). */
  readonly schedules: ReadonlyMap<string, ScheduledJob>;

  constructor(
    scope: Construct,
    props: {
      table: dynamodb.ITableV2;
      eventBus: events.IEventBus;
      mail: OutboundMail;
      userPool: cognito.IUserPool;
      /** The consumers' queues, by name (queues.ts), for the jobs that send to them. */
      queues: ReadonlyMap<string, QueueConsumer>;
    },
  ) {
    const { table, eventBus, mail } = props;
    const schedules = new Map<string, ScheduledJob>();
    // One dead-letter queue for every schedule (docs/decisions.md, "Fewer dead-letter queues"): a failed run is
    // never redriven (the next run is the retry), so the queue only has to say that a run failed, and its
    // records name the function (requestContext.functionArn) or the rule (RULE_ARN) that failed.
    const deliveryDeadLetter = new DeadLetterQueue(scope, 'ScheduleDeadLetterQueue', {
      holds: 'scheduled runs that failed or that EventBridge could not invoke (the record names the job)',
    });
    for (const spec of SCHEDULES) {
      const job = new HelpdeskFunction(scope, `${pascal(spec.handler)}Function`, {
        entry: `functions/schedule/${spec.handler}.ts`,
        description: `Helpdesk scheduled job ${spec.handler} (${spec.expression})`,
        timeout: jobTimeout(spec),
        untraced: spec.untraced,
        environment: usesTable(spec) ? { [TABLE_NAME_ENV]: table.tableName } : {},
        // The next run is the retry: the work is found by what is due (a sparse index), not carried in the
        // event, so a failed run loses nothing, and retrying a stale tick would only overlap the next one.
        // A failed run's record goes to the dead-letter queue, whose alarm is there in every monitoring size
        // (monitoring.ts); SqsDestination grants sqs:SendMessage on that queue only.
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
        onFailure: new SqsDestination(deliveryDeadLetter.queue),
      });
      grantTableActions(job, table, spec);
      if (spec.publishes) {
        // events:PutEvents on the helpdesk bus only (the trend job's TrendDetected).
        eventBus.grantPutEventsTo(job);
        job.addEnvironment(EVENT_BUS_NAME_ENV, eventBus.eventBusName);
      }
      if (spec.mails) mail.grantSend(job);
      if (spec.readsUserPool) {
        // Read the staff groups' members, nothing else: no user's details one by one, no changes.
        job.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['cognito-idp:ListUsersInGroup'], resources: [props.userPool.userPoolArn] }),
        );
        job.addEnvironment(USER_POOL_ID_ENV, props.userPool.userPoolId);
      }
      for (const name of spec.sendsTo ?? []) {
        const target = props.queues.get(name);
        if (!target?.queue)
          throw new Error(`schedules.ts: schedule "${spec.name}" sends to queue "${name}", which queues.ts does not define as a queue`);
        // sqs:SendMessage (and what SendMessageBatch needs) on that queue only.
        target.queue.grantSendMessages(job);
        job.addEnvironment(queueUrlEnv(name), target.queue.queueUrl);
      }
      const rule = new events.Rule(scope, `${pascal(spec.name)}Schedule`, {
        description: `Helpdesk scheduled job ${spec.name}: ${spec.expression}`,
        schedule: events.Schedule.expression(spec.expression),
        targets: [new targets.LambdaFunction(job, { ...SCHEDULE_TARGET_RETRY, deadLetterQueue: deliveryDeadLetter.queue })],
      });
      schedules.set(spec.name, { spec, rule, job, deliveryDeadLetter });
    }
    this.schedules = schedules;
  }
}
