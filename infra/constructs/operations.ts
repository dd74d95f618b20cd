// Operations: what tells people the helpdesk is unwell, in three parts: the alarm topic every CloudWatch alarm
// of the stack notifies (alarm-topic.ts, with an optional e-mail subscription from `operations.alarmEmail`),
// the alarms this construct adds (operations-alarms.ts: API 5xx rate, queue age, SLA breaches) and one
// dashboard (operations-dashboard.ts). docs/operations.md explains each widget and alarm and holds the runbooks.
//
// The alarms the other constructs already own (each function's Errors, each dead-letter queue, the stream's
// iterator age, and any added later) get the topic through an aspect over the whole stack, so an alarm
// cannot be forgotten. The dashboard and the per-queue alarms are built from what the stack holds when this
// construct is created: create it last in the stack.
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { loadConfig } from '#shared/config/load-config.ts';
import { AlarmTopic } from './alarm-topic.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HelpdeskFunction } from './helpdesk-function.ts';
import { monitoringOf } from './monitoring.ts';
import { OperationsAlarms } from './operations-alarms.ts';
import { OperationsDashboard } from './operations-dashboard.ts';

export type OperationsProps = {
  /** The HTTP API whose requests, latency and errors are watched. */
  api: apigw.IHttpApi;
  /** The helpdesk table (its throttles and system errors). */
  table: dynamodb.ITableV2;
  /** Who is mailed the alarms. Default: `operations.alarmEmail` of the bundled configuration; none when unset. */
  alarmEmail?: string;
};

export class Operations extends Construct {
  readonly topic: sns.Topic;
  /** The alarm topic's key (`monitoring=full`; none in `small`). */
  readonly key?: kms.Key;
  readonly dashboard: cloudwatch.Dashboard;
  /** Share of API requests that failed with 5xx. */
  readonly apiServerErrorAlarm: cloudwatch.Alarm;
  /** By queue construct id (`RoutingQueue`, …): its oldest message is too old. */
  readonly queueAgeAlarms: ReadonlyMap<string, cloudwatch.Alarm>;
  /** SLA breaches were recorded. */
  readonly slaBreachAlarm: cloudwatch.Alarm;
  /** The sweeper found stuck work (`monitoring=full` only). */
  readonly stuckWorkAlarm?: cloudwatch.Alarm;
  /** `monitoring=small`: the dead-letter queues, up to 10 an alarm (none in `full`: each queue has its own). */
  readonly deadLetterAlarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { api, table } = props;

    const monitoring = monitoringOf(this);
    const alarmTopic = new AlarmTopic(this, stack, { alarmEmail: props.alarmEmail ?? loadConfig().operations.alarmEmail, monitoring });
    this.topic = alarmTopic.topic;
    if (alarmTopic.key) this.key = alarmTopic.key;

    // What the stack holds before this construct adds its own alarms.
    const all = stack.node.findAll();
    const functions = all.filter((node): node is HelpdeskFunction => node instanceof HelpdeskFunction);
    const deadLetters = all.filter((node): node is DeadLetterQueue => node instanceof DeadLetterQueue);
    const deadLetterQueues = new Set<sqs.Queue>(deadLetters.map((deadLetter) => deadLetter.queue));
    const queues = all.filter((node): node is sqs.Queue => node instanceof sqs.Queue && !deadLetterQueues.has(node));
    const otherAlarms = all.filter((node): node is cloudwatch.Alarm => node instanceof cloudwatch.Alarm);

    const alarms = new OperationsAlarms(this, { api, queues, deadLetters, monitoring });
    this.apiServerErrorAlarm = alarms.apiServerErrorAlarm;
    this.queueAgeAlarms = alarms.queueAgeAlarms;
    this.slaBreachAlarm = alarms.slaBreachAlarm;
    if (alarms.stuckWorkAlarm) this.stuckWorkAlarm = alarms.stuckWorkAlarm;
    this.deadLetterAlarms = alarms.deadLetterAlarms;

    this.dashboard = new OperationsDashboard(this, stack, {
      api,
      table,
      functions,
      queues,
      deadLetters,
      alarms: [...alarms.all(), ...otherAlarms],
      serverErrorRate: alarms.serverErrorRate,
    }).dashboard;

    new CfnOutput(stack, 'AlarmTopicArn', { value: this.topic.topicArn, description: 'SNS topic every helpdesk alarm notifies' });
    new CfnOutput(stack, 'DashboardName', { value: this.dashboard.dashboardName, description: 'CloudWatch dashboard of the helpdesk' });
  }
}
