// The alarms Operations adds (the other constructs own theirs: each function's Errors, each dead-letter
// queue, the stream's lag): the API's 5xx rate, each main queue's oldest message, SLA breaches.
// docs/operations.md gives the reasons for the thresholds and the runbooks.
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { BUSINESS_METRICS, METRICS_NAMESPACE, METRICS_SERVICE } from '#shared/business-metrics.ts';
import { STUCK_KINDS } from '#shared/domain/stuck-work/sweep-stuck-work.ts';

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
  /** Stuck work the sweeper found (and re-drove) in 15 minutes above which the alarm fires: any. */
  stuckWork: 0,
  stuckWorkPeriod: Duration.minutes(15),
} as const;

/** The business metric as CloudWatch stores it (Powertools adds the `service` dimension). */
export const businessMetric = (metricName: string, options: cloudwatch.MetricOptions = {}) =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    ...options,
    dimensionsMap: { service: METRICS_SERVICE, ...options.dimensionsMap },
  });

/** The short name an operator recognises: the construct's id (`CreateTicketFunction`, `RoutingQueue`, …). */
export const labelOf = (construct: IConstruct) => construct.node.id;

/**
 * Builds its alarms in the given scope (Operations') rather than as a construct of its own, so they keep the
 * logical IDs they were deployed with.
 */
export class OperationsAlarms {
  /** Share of API requests that failed with 5xx (also plotted on the dashboard). */
  readonly serverErrorRate: cloudwatch.MathExpression;
  readonly apiServerErrorAlarm: cloudwatch.Alarm;
  /** By queue construct id (`RoutingQueue`, …): its oldest message is too old. */
  readonly queueAgeAlarms: ReadonlyMap<string, cloudwatch.Alarm>;
  /** SLA breaches were recorded. */
  readonly slaBreachAlarm: cloudwatch.Alarm;
  /** The sweeper found work that should have happened and had not. */
  readonly stuckWorkAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, props: { api: apigw.IHttpApi; queues: sqs.Queue[] }) {
    const { api } = props;
    const apiPeriod = OPERATIONS_ALARMS.apiPeriod;
    this.serverErrorRate = new cloudwatch.MathExpression({
      label: 'API 5xx (% of requests)',
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: api.metricServerError({ period: apiPeriod, statistic: cloudwatch.Stats.SUM }),
        requests: api.metricCount({ period: apiPeriod, statistic: cloudwatch.Stats.SUM }),
      },
      period: apiPeriod,
    });
    this.apiServerErrorAlarm = new cloudwatch.Alarm(scope, 'ApiServerErrorRateAlarm', {
      alarmDescription:
        `More than ${OPERATIONS_ALARMS.apiServerErrorPercent}% of API requests failed with 5xx in 5 minutes: ` +
        'requesters and agents see errors. Runbook: docs/operations.md, "API 5xx rate".',
      metric: this.serverErrorRate,
      threshold: OPERATIONS_ALARMS.apiServerErrorPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const queueAgeAlarms = new Map<string, cloudwatch.Alarm>();
    for (const queue of props.queues) {
      const name = labelOf(queue);
      queueAgeAlarms.set(
        name,
        new cloudwatch.Alarm(scope, `${name}AgeAlarm`, {
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

    this.slaBreachAlarm = new cloudwatch.Alarm(scope, 'SlaBreachAlarm', {
      alarmDescription:
        'A ticket breached its SLA in the last 15 minutes (check-sla recorded SlaBreached). ' +
        'Runbook: docs/operations.md, "SLA breaches".',
      metric: businessMetric(BUSINESS_METRICS.slaBreached, { period: OPERATIONS_ALARMS.slaPeriod, statistic: cloudwatch.Stats.SUM }),
      threshold: OPERATIONS_ALARMS.slaBreaches,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.stuckWorkAlarm = new cloudwatch.Alarm(scope, 'StuckWorkAlarm', {
      alarmDescription:
        'The sweeper found work that should have happened by now and had not (a ticket left unrouted, an acknowledgement ' +
        'not sent, an event not counted) and handed it to its consumer again. Runbook: docs/operations.md, "Stuck work".',
      metric: new cloudwatch.MathExpression({
        label: 'stuck work found',
        expression: STUCK_KINDS.join(' + '),
        usingMetrics: Object.fromEntries(
          STUCK_KINDS.map((kind) => [
            kind,
            businessMetric(BUSINESS_METRICS.stuckWorkFound, {
              period: OPERATIONS_ALARMS.stuckWorkPeriod,
              statistic: cloudwatch.Stats.SUM,
              dimensionsMap: { kind },
            }),
          ]),
        ),
        period: OPERATIONS_ALARMS.stuckWorkPeriod,
      }),
      threshold: OPERATIONS_ALARMS.stuckWork,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** This construct's alarms, for the dashboard's alarm widget. */
  all(): cloudwatch.Alarm[] {
    return [this.apiServerErrorAlarm, ...this.queueAgeAlarms.values(), this.slaBreachAlarm, this.stuckWorkAlarm];
  }
}
