// The operations dashboard: alarms, the API, each group of functions, the queues, the table, and the desk's
// business metrics (shared/business-metrics.ts). docs/operations.md explains each widget.
import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BUSINESS_METRICS, METRICS_NAMESPACE, METRICS_SERVICE } from '#shared/business-metrics.ts';
import { PRIORITIES } from '#shared/config/config-values.ts';
import { CHAT_CHANNELS } from '#shared/domain/channels/chat-account.ts';
import { STUCK_KINDS } from '#shared/domain/stuck-work/sweep-stuck-work.ts';
import { CHANNELS } from '#shared/domain/tickets/ticket.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import type { HelpdeskFunction } from './helpdesk-function.ts';
import { businessMetric, labelOf, OPERATIONS_ALARMS } from './operations-alarms.ts';

const DASHBOARD_PERIOD = Duration.minutes(5);
const WIDTH = 24;

export type OperationsDashboardProps = {
  api: apigw.IHttpApi;
  table: dynamodb.ITableV2;
  functions: HelpdeskFunction[];
  queues: sqs.Queue[];
  deadLetters: DeadLetterQueue[];
  /** Every alarm of the stack, for the status widget at the top. */
  alarms: cloudwatch.IAlarm[];
  /** The API's 5xx rate the alarm watches, plotted beside the counts. */
  serverErrorRate: cloudwatch.IMetric;
};

/**
 * Builds the dashboard in the given scope (Operations') rather than as a construct of its own, so it keeps the
 * logical ID it was deployed with (its name is fixed: a second dashboard resource would take it over, and
 * deleting the first would then delete both).
 */
export class OperationsDashboard {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, stack: Stack, props: OperationsDashboardProps) {
    const { api, table, functions, queues, deadLetters } = props;
    const period = DASHBOARD_PERIOD;
    const sum = { period, statistic: cloudwatch.Stats.SUM };
    const graph = (title: string, left: cloudwatch.IMetric[], options: Partial<cloudwatch.GraphWidgetProps> = {}) =>
      new cloudwatch.GraphWidget({ title, left, width: 8, height: 6, period, ...options });
    const text = (markdown: string) => new cloudwatch.TextWidget({ markdown, width: WIDTH, height: 1 });

    this.dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
      dashboardName: `${stack.stackName}-operations`,
      defaultInterval: Duration.hours(6),
    });

    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: WIDTH, height: 4 }));

    // API
    this.dashboard.addWidgets(
      text('## API (HTTP API, all routes)'),
      graph('API requests', [api.metricCount({ ...sum, label: 'requests' })]),
      graph('API latency p50 / p99', [
        api.metricLatency({ period, statistic: cloudwatch.Stats.p(50), label: 'p50' }),
        api.metricLatency({ period, statistic: cloudwatch.Stats.p(99), label: 'p99' }),
      ]),
      graph('API 4xx / 5xx', [api.metricClientError({ ...sum, label: '4xx' }), api.metricServerError({ ...sum, label: '5xx' })], {
        right: [props.serverErrorRate],
        rightAnnotations: [{ value: OPERATIONS_ALARMS.apiServerErrorPercent, label: '5xx alarm (%)' }],
      }),
    );

    // Lambda, per function, grouped by where the function lives: HTTP routes (straight in a stack: the nested
    // HttpFunctions stack), Events, InboundMail, …
    const groups = new Map<string, HelpdeskFunction[]>();
    for (const fn of functions) {
      const group = Stack.isStack(fn.node.scope) ? 'HTTP' : labelOf(fn.node.scope!);
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
      graph(
        'Stuck work re-driven by the sweeper',
        STUCK_KINDS.map((kind) => businessMetric(BUSINESS_METRICS.stuckWorkFound, { ...sum, dimensionsMap: { kind }, label: kind })),
        { width: WIDTH },
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
          `SUM(SEARCH('{${METRICS_NAMESPACE},channel,service} MetricName="${BUSINESS_METRICS.ticketCreated}" ` +
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
    // Chat channels: what went out per channel, and every attempt a platform refused or could not take.
    const chatLine = (metricName: string, channel: string | undefined, label: string) =>
      new cloudwatch.MathExpression({
        label,
        expression:
          `SUM(SEARCH('{${METRICS_NAMESPACE},channel,service} MetricName="${metricName}" ` +
          `${channel ? `channel="${channel}" ` : ''}service="${METRICS_SERVICE}"', 'Sum', ${period.toSeconds()}))`,
        usingMetrics: {},
        period,
      });
    this.dashboard.addWidgets(
      graph(
        'Chat messages sent, and failed attempts (Telegram, WhatsApp)',
        CHAT_CHANNELS.map((channel) => chatLine(BUSINESS_METRICS.chatMessageSent, channel, `sent: ${channel}`)),
        { right: [chatLine(BUSINESS_METRICS.chatDeliveryFailed, undefined, 'failed attempts (retried, or given up)')], width: WIDTH },
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
  }
}
