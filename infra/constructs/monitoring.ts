// How much the stacks alarm on: the CDK context `monitoring` (docs/operations.md, "Monitoring size").
// `small` (the default) keeps what an operator needs to notice a failure at the price of the free tier's
// alarms: the API's 5xx rate (every failing HTTP function), the dead-letter queues (every failing consumer,
// the stream's failures, inbound mail, the schedules' failed runs), SLA breaches and the stream's lag.
// `full` adds an Errors alarm per function, an alarm per dead-letter queue, each main queue's age, stuck work
// and a webhook switched off (docs/cost.md: about USD 10 a month more).
import type { IConstruct } from 'constructs';

export const MONITORING_SIZES = ['small', 'full'] as const;
export type MonitoringSize = (typeof MONITORING_SIZES)[number];

/** The CDK context key (`cdk deploy -c monitoring=full`). */
export const MONITORING_CONTEXT = 'monitoring';

/** The size the app is built with; any other value than the two stops synthesis with a message naming both. */
export const monitoringOf = (scope: IConstruct): MonitoringSize => {
  const value: unknown = scope.node.tryGetContext(MONITORING_CONTEXT);
  if (value === undefined || value === null || value === '') return 'small';
  if (!(MONITORING_SIZES as readonly unknown[]).includes(value)) {
    throw new Error(
      `CDK context "${MONITORING_CONTEXT}" must be one of ${MONITORING_SIZES.map((size) => `"${size}"`).join(', ')}; got "${String(value)}"`,
    );
  }
  return value as MonitoringSize;
};
