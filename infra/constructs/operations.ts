// Operations: what tells people the helpdesk is unwell. One SNS topic that every CloudWatch alarm of the
// stack notifies (on ALARM and on OK), with an optional e-mail subscription from the configuration
// (`operations.alarmEmail`); the alarms this construct adds (API 5xx rate, queue age, SLA breaches); and one
// dashboard. docs/operations.md explains each widget and alarm and holds the runbooks.
//
// The alarms the other constructs already own (each function's Errors, each dead-letter queue, the stream's
// iterator age, and any added later) get the topic through an aspect over the whole stack, so an alarm
// cannot be forgotten. The dashboard and the per-queue alarms are built from what the stack holds when this
// construct is created: create it last in the stack.
import { Aspects, CfnOutput, Duration, type IAspect, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { BUSINESS_METRICS, METRICS_NAMESPACE, METRICS_SERVICE } from '#shared/business-metrics.ts';
import { PRIORITIES } from '#shared/config/config-schema.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { CHANNELS } from '#shared/domain/tickets/ticket.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HelpdeskFunction } from './helpdesk-function.ts';

export type OperationsProps = {
  /** The HTTP API whose requests, latency and errors are watched. */
  api: apigw.IHttpApi;
  /** The helpdesk table (its throttles and system errors). */
  table: dynamodb.ITableV2;
  /** Who is mailed the alarms. Default: `operations.alarmEmail` of the bundled configuration; none when unset. */
  alarmEmail?: string;
};

/** Thresholds of the alarms this construct adds (docs/operations.md gives the reasons). */
export const OPERATIONS_ALARMS = {
  /** Share of API requests answered 5xx, in percent, over one 5-minute period. */
  apiServerErrorPercent: 1,
  apiPeriod: Duration.minutes(5),
  /** Age of a main queue's oldest message, in seconds (5 minutes), over one 5-minute period. */
  queueAgeSeconds: 300,
  queuePeriod: Duration.minutes(5),
  /** SLA breaches recorded in 15 minutes above which the alarm fires: any. */
  slaBreaches: 0,
  slaPeriod: Duration.minutes(15),
} as const;

/** The business metric as CloudWatch stores it (Powertools adds the `service` dimension). */
export const businessMetric = (metricName: string, options: cloudwatch.MetricOptions = {}) =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    ...options,
    dimensionsMap: { service: METRICS_SERVICE, ...options.dimensionsMap },
  });

const DASHBOARD_PERIOD = Duration.minutes(5);
const WIDTH = 24;

/** The short name an operator recognises: the construct's id (`CreateTicketFunction`, `RoutingQueue`, …). */
const labelOf = (construct: IConstruct) => construct.node.id;

/** Adds the topic to every alarm of the stack, those created after this construct included, once each. */
class NotifyEveryAlarm implements IAspect {
  private readonly done = new WeakSet<cloudwatch.Alarm>();
  constructor(private readonly action: cloudwatch.IAlarmAction) {}
  visit(node: IConstruct): void {
    if (!(node instanceof cloudwatch.Alarm) || this.done.has(node)) return;
    this.done.add(node);
    node.addAlarmAction(this.action);
    node.addOkAction(this.action);
  }
}

export class Operations extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  readonly dashboard: cloudwatch.Dashboard;
  /** Share of API requests that failed with 5xx. */
  readonly apiServerErrorAlarm: cloudwatch.Alarm;
  /** By queue construct id (`RoutingQueue`, …): its oldest message is too old. */
  readonly queueAgeAlarms: ReadonlyMap<string, cloudwatch.Alarm>;
  /** SLA breaches were recorded. */
  readonly slaBreachAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { api, table } = props;
    const alarmEmail = props.alarmEmail ?? loadConfig().operations.alarmEmail;

    // --- the topic ------------------------------------------------------------------------------------------
    // A customer managed key: CloudWatch can publish to an encrypted topic only when its service principal may
    // use the key, which the AWS managed aws/sns key does not allow. Alarm messages are transient, so the key
    // goes with the stack (after KMS's 7-day waiting period) instead of costing a month's fee forever.
    this.key = new kms.Key(this, 'TopicKey', {
      description: 'Helpdesk: encrypts the alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Helpdesk alarms',
      masterKey: this.key,
      // A policy that refuses every request not made over TLS (cdk-nag AwsSolutions-SNS3).
      enforceSSL: true,
    });
    if (alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(alarmEmail));
    const action = new actions.SnsAction(this.topic);
    Aspects.of(stack).add(new NotifyEveryAlarm(action));

    // --- what the stack holds ----------------------------------------------------------------------------------
    const all = stack.node.findAll();
    const functions = all.filter((node): node is HelpdeskFunction => node instanceof HelpdeskFunction);
    const deadLetters = all.filter((node): node is DeadLetterQueue => node instanceof DeadLetterQueue);
    const deadLetterQueues = new Set<sqs.Queue>(deadLetters.map((deadLetter) => deadLetter.queue));
    const queues = all.filter((node): node is sqs.Queue => node instanceof sqs.Queue && !deadLetterQueues.has(node));

    // --- alarms ------------------------------------------------------------------------------------------------
    const apiPeriod = OPERATIONS_ALARMS.apiPeriod;
    const serverErrorRate = new cloudwatch.MathExpression({
      label: 'API 5xx (% of requests)',
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: api.metricServerError({ period: apiPeriod, statistic: cloudwatch.Stats.SUM }),
        requests: api.metricCount({ period: apiPeriod, statistic: cloudwatch.Stats.SUM }),
      },
      period: apiPeriod,
    });
    this.apiServerErrorAlarm = new cloudwatch.Alarm(this, 'ApiServerErrorRateAlarm', {
      alarmDescription:
        `More than ${OPERATIONS_ALARMS.apiServerErrorPercent}% of API requests failed with 5xx in 5 minutes: ` +
        'requesters and agents see errors. Runbook: docs/operations.md, "API 5xx rate".',
      metric: serverErrorRate,
      threshold: OPERATIONS_ALARMS.apiServerErrorPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const queueAgeAlarms = new Map<string, cloudwatch.Alarm>();
    for (const queue of queues) {
      const name = labelOf(queue);
      queueAgeAlarms.set(
        name,
        new cloudwatch.Alarm(this, `${name}AgeAlarm`, {
          alarmDescription:
            `${name}: a message has waited more than ${OPERATIONS_ALARMS.queueAgeSeconds / 60} minutes (its consumer is ` +
            'failing, throttled or too slow). Runbook: docs/operations.md, "Queue age".',
          metric: queue.metricApproximateAgeOfOldestMessage({
            period: OPERATIONS_ALARMS.queuePeriod,
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
          threshold: OPERATIONS_ALARMS.queueAgeSeconds,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    this.queueAgeAlarms = queueAgeAlarms;

    this.slaBreachAlarm = new cloudwatch.Alarm(this, 'SlaBreachAlarm', {
      alarmDescription:
        'A ticket breached its SLA in the last 15 minutes (check-sla recorded SlaBreached). ' +
        'Runbook: docs/operations.md, "SLA breaches".',
      metric: businessMetric(BUSINESS_METRICS.slaBreached, { period: OPERATIONS_ALARMS.slaPeriod, statistic: cloudwatch.Stats.SUM }),
      threshold: OPERATIONS_ALARMS.slaBreaches,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // --- the dashboard -----------------------------------------------------------------------------------------
    const period = DASHBOARD_PERIOD;
    const sum = { period, statistic: cloudwatch.Stats.SUM };
    const graph = (title: string, left: cloudwatch.IMetric[], options: Partial<cloudwatch.GraphWidgetProps> = {}) =>
      new cloudwatch.GraphWidget({ title, left, width: 8, height: 6, period, ...options });
    const text = (markdown: string) => new cloudwatch.TextWidget({ markdown, width: WIDTH, height: 1 });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-operations`,
      defaultInterval: Duration.hours(6),
    });

    const ownAlarms = [this.apiServerErrorAlarm, ...queueAgeAlarms.values(), this.slaBreachAlarm];
    const otherAlarms = all.filter((node): node is cloudwatch.Alarm => node instanceof cloudwatch.Alarm);
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...ownAlarms, ...otherAlarms], width: WIDTH, height: 4 }),
    );

    // API
    this.dashboard.addWidgets(
      text('## API (HTTP API, all routes)'),
      graph('API requests', [api.metricCount({ ...sum, label: 'requests' })]),
      graph('API latency p50 / p99', [
        api.metricLatency({ period, statistic: cloudwatch.Stats.p(50), label: 'p50' }),
        api.metricLatency({ period, statistic: cloudwatch.Stats.p(99), label: 'p99' }),
      ]),
      graph('API 4xx / 5xx', [api.metricClientError({ ...sum, label: '4xx' }), api.metricServerError({ ...sum, label: '5xx' })], {
        right: [serverErrorRate],
        rightAnnotations: [{ value: OPERATIONS_ALARMS.apiServerErrorPercent, label: '5xx alarm (%)' }],
      }),
    );

    // Lambda, per function, grouped by where the function lives (HTTP routes, Events, InboundMail, …)
    const groups = new Map<string, HelpdeskFunction[]>();
    for (const fn of functions) {
      const group = fn.node.scope === stack ? 'HTTP' : labelOf(fn.node.scope!);
      groups.set(group, [...(groups.get(group) ?? []), fn]);
    }
    for (const [group, members] of groups) {
      const perFunction = (metric: (fn: HelpdeskFunction) => cloudwatch.IMetric) => members.map(metric);
      this.dashboard.addWidgets(
        text(`## Lambda: ${group} functions`),
        graph(
          `Lambda errors (${group})`,
          perFunction((fn) => fn.metricErrors({ ...sum, label: labelOf(fn) })),
          { width: 6 },
        ),
        graph(
          `Lambda throttles (${group})`,
          perFunction((fn) => fn.metricThrottles({ ...sum, label: labelOf(fn) })),
          { width: 6 },
        ),
        graph(
          `Lambda duration p50 (${group})`,
          perFunction((fn) => fn.metricDuration({ period, statistic: cloudwatch.Stats.p(50), label: labelOf(fn) })),
          { width: 6 },
        ),
        graph(
          `Lambda duration p99 (${group})`,
          perFunction((fn) => fn.metricDuration({ period, statistic: cloudwatch.Stats.p(99), label: labelOf(fn) })),
          { width: 6 },
        ),
      );
    }

    // Queues and dead-letter queues
    this.dashboard.addWidgets(
      text('## Queues'),
      graph(
        'Queue depth (messages visible)',
        queues.map((queue) =>
          queue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM, label: labelOf(queue) }),
        ),
      ),
      graph(
        'Oldest message age (seconds)',
        queues.map((queue) =>
          queue.metricApproximateAgeOfOldestMessage({ period, statistic: cloudwatch.Stats.MAXIMUM, label: labelOf(queue) }),
        ),
        { leftAnnotations: [{ value: OPERATIONS_ALARMS.queueAgeSeconds, label: 'queue age alarm' }] },
      ),
      graph(
        'Dead-letter queue depth',
        deadLetters.map((deadLetter) =>
          deadLetter.queue.metricApproximateNumberOfMessagesVisible({
            period,
            statistic: cloudwatch.Stats.MAXIMUM,
            label: labelOf(deadLetter),
          }),
        ),
      ),
    );

    // DynamoDB
    this.dashboard.addWidgets(
      text('## DynamoDB (the helpdesk table)'),
      graph(
        'DynamoDB throttles and system errors',
        [
          table.metric('ReadThrottleEvents', { ...sum, label: 'read throttle events' }),
          table.metric('WriteThrottleEvents', { ...sum, label: 'write throttle events' }),
          table.metricSystemErrorsForOperations(sum),
        ],
        { width: WIDTH },
      ),
    );

    // The desk
    const channelLine = (channel: string) =>
      new cloudwatch.MathExpression({
        label: channel,
        expression:
          `SUM(SEARCH('{${METRICS_NAMESPACE},category,channel,service} MetricName="${BUSINESS_METRICS.ticketCreated}" ` +
          `channel="${channel}" service="${METRICS_SERVICE}"', 'Sum', ${period.toSeconds()}))`,
        usingMetrics: {},
        period,
      });
    const timeByPriority = (metricName: string, statistic: string) =>
      PRIORITIES.map((priority) =>
        businessMetric(metricName, {
          period: Duration.hours(1),
          statistic,
          dimensionsMap: { priority },
          label: `${priority} ${statistic}`,
        }),
      );
    this.dashboard.addWidgets(
      text('## The desk (business metrics, namespace Helpdesk)'),
      graph('SLA warnings and breaches', [
        businessMetric(BUSINESS_METRICS.slaWarning, { ...sum, label: 'warnings' }),
        businessMetric(BUSINESS_METRICS.slaBreached, { ...sum, label: 'breaches' }),
        businessMetric(BUSINESS_METRICS.slaEscalated, { ...sum, label: 'escalation steps' }),
      ]),
      graph(
        'Tickets created by channel',
        [
          ...CHANNELS.filter((channel) => channel !== 'email').map(channelLine),
          businessMetric(BUSINESS_METRICS.mailTicketCreated, { ...sum, label: 'email' }),
        ],
        { stacked: true },
      ),
      graph(
        'CSAT (mean rating, 1–5)',
        [businessMetric(BUSINESS_METRICS.csatRating, { period: Duration.hours(1), statistic: cloudwatch.Stats.AVERAGE, label: 'mean' })],
        {
          right: [
            businessMetric(BUSINESS_METRICS.csatRating, {
              period: Duration.hours(1),
              statistic: cloudwatch.Stats.SAMPLE_COUNT,
              label: 'ratings',
            }),
          ],
          leftYAxis: { min: 1, max: 5 },
        },
      ),
    );
    this.dashboard.addWidgets(
      graph('First response time, median (s, wall clock)', timeByPriority(BUSINESS_METRICS.firstResponseTime, cloudwatch.Stats.p(50)), {
        width: 12,
        period: Duration.hours(1),
      }),
      graph('Resolution time, median (s, wall clock)', timeByPriority(BUSINESS_METRICS.resolutionTime, cloudwatch.Stats.p(50)), {
        width: 12,
        period: Duration.hours(1),
      }),
    );

    new CfnOutput(stack, 'AlarmTopicArn', { value: this.topic.topicArn, description: 'SNS topic every helpdesk alarm notifies' });
    new CfnOutput(stack, 'DashboardName', { value: this.dashboard.dashboardName, description: 'CloudWatch dashboard of the helpdesk' });
  }
}
