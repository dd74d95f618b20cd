// The alarms Operations adds (the other constructs own theirs: the stream's lag and, with `monitoring=full`,
// each function's Errors and each dead-letter queue): the API's 5xx rate and SLA breaches always; with `full`,
// each main queue's oldest message and stuck work; with `small`, the dead-letter queues watched together.
// docs/operations.md gives the reasons for the thresholds and the runbooks.
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { BUSINESS_METRICS, METRICS_NAMESPACE, METRICS_SERVICE } from '#shared/business-metrics.ts';
import { STUCK_KINDS } from '#shared/domain/stuck-work/sweep-stuck-work.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import type { MonitoringSize } from './monitoring.ts';

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
  /** Messages in the dead-letter queues (`small`: watched together) above which the alarm fires: any. */
  deadLetterMessages: 0,
  deadLetterPeriod: Duration.minutes(1),
} as const;

/** CloudWatch's most metrics in one metric-math alarm. */
export const METRICS_PER_ALARM = 10;

/** `items` in the fewest groups of at most `size`, as even as possible (22 → 8, 7, 7). */
export const evenGroups = <T>(items: readonly T[], size: number): T[][] => {
  const count = Math.ceil(items.length / size);
  return Array.from({ length: count }, (_, group) =>
    items.slice(Math.floor((group * items.length) / count), Math.floor(((group + 1) * items.length) / count)),
  );
};

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
  /** By queue construct id (`RoutingQueue`, …): its oldest message is too old (`full`; none in `small`). */
  readonly queueAgeAlarms: ReadonlyMap<string, cloudwatch.Alarm>;
  /** SLA breaches were recorded. */
  readonly slaBreachAlarm: cloudwatch.Alarm;
  /** The sweeper found work that should have happened and had not (`full` only). */
  readonly stuckWorkAlarm?: cloudwatch.Alarm;
  /** `small`: a message waits in one of the dead-letter queues, each alarm watching up to 10 of them (none in `full`,
   *  where each DeadLetterQueue has its own). */
  readonly deadLetterAlarms: cloudwatch.Alarm[];

  constructor(
    scope: Construct,
    props: { api: apigw.IHttpApi; queues: sqs.Queue[]; deadLetters: DeadLetterQueue[]; monitoring: MonitoringSize },
  ) {
    const { api } = props;
    const full = props.monitoring === 'full';
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
    for (const queue of full ? props.queues : []) {
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

    // `small` has neither dead-letter queue alarms of its own nor this: a consumer that keeps failing ends in its
    // dead-letter queue, which the alarms below watch; a slow one shows on the dashboard's queue age.
    this.deadLetterAlarms = full
      ? []
      : evenGroups(props.deadLetters, METRICS_PER_ALARM).map((group, index) => this.deadLetterAlarm(scope, group, index));

    if (full)
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
    return [
      this.apiServerErrorAlarm,
      ...this.queueAgeAlarms.values(),
      this.slaBreachAlarm,
      ...(this.stuckWorkAlarm ? [this.stuckWorkAlarm] : []),
      ...this.deadLetterAlarms,
    ];
  }

  /**
   * One alarm over up to 10 dead-letter queues: the sum of their visible messages. Each queue's metric is still
   * billed as an alarm metric; what `small` saves is the per-function and per-queue alarms (docs/cost.md).
   */
  private deadLetterAlarm(scope: Construct, group: DeadLetterQueue[], index: number) {
    const names = group.map(labelOf);
    return new cloudwatch.Alarm(scope, `DeadLetterQueues${index === 0 ? '' : index + 1}Alarm`, {
      alarmDescription:
        `A message waits in one of these dead-letter queues: ${names.join(', ')}. The dashboard's "Dead-letter queue ` +
        'depth" says which. Runbook: docs/operations.md, "Dead-letter queue not empty".',
      metric: new cloudwatch.MathExpression({
        label: 'messages in dead-letter queues',
        expression: `SUM([${group.map((_, position) => `q${position}`).join(', ')}])`,
        usingMetrics: Object.fromEntries(
          group.map((deadLetter, position) => [
            `q${position}`,
            deadLetter.queue.metricApproximateNumberOfMessagesVisible({
              period: OPERATIONS_ALARMS.deadLetterPeriod,
              statistic: cloudwatch.Stats.MAXIMUM,
              label: labelOf(deadLetter),
            }),
          ]),
        ),
        period: OPERATIONS_ALARMS.deadLetterPeriod,
      }),
      threshold: OPERATIONS_ALARMS.deadLetterMessages,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
