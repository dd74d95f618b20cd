// What the synthesized stacks create that is billed by the month or by the clock, whatever the traffic:
// alarms (and the metrics each watches), dashboards, customer managed KMS keys, secrets, schedules and the
// SQS event source mappings whose pollers receive while idle. Synthesized without bundling, as the infra
// tests do; every stack of the app is counted: the receiving region's too, when there is one, and the nested
// stacks (the stateless stack's HttpFunctions, which holds the HTTP routes' functions and their alarms) from
// their own templates, since a parent's template holds only an AWS::CloudFormation::Stack for each.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { HelpdeskFunction } from '#infra/constructs/helpdesk-function.ts';
import { buildTestApp } from '#test/infra/build-test-app.ts';

type Resource = { Type: string; Properties?: Record<string, any> };

export type StackCounts = {
  alarms: number;
  /** Each metric an alarm watches is billed as one alarm metric (a metric-math alarm watches several). */
  alarmMetrics: number;
  dashboards: number;
  kmsKeys: number;
  secrets: number;
  /** Schedule expressions (EventBridge rules): scheduled rules are free; the invocations they start are not. */
  schedules: string[];
  /** SQS event source mappings: each polls its queue while idle. */
  queuePollers: number;
  /** Every function's configured memory, by its construct id without "Function", lower case (`createticket`). */
  memoryMb: Map<string, number>;
  /** The functions with X-Ray active tracing, keyed like memoryMb (PassThrough ones record no trace of their own). */
  traced: Set<string>;
  /** Every function's architecture (the price table prices arm64). */
  architectures: Set<string>;
  /** Resource types created, for the doc's list of what the model prices and what it leaves out. */
  resourceTypes: Map<string, number>;
};

export const countStacks = (context: Record<string, unknown> = {}): StackCounts => {
  const { app } = buildTestApp({ context });
  const resources = app.node
    .findAll()
    .filter((node): node is Stack => Stack.isStack(node))
    .flatMap((stack) => Object.values((Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> }).Resources));
  const of = (type: string) => resources.filter((resource) => resource.Type === type);
  const resourceTypes = new Map<string, number>();
  for (const { Type } of resources) resourceTypes.set(Type, (resourceTypes.get(Type) ?? 0) + 1);
  const alarms = of('AWS::CloudWatch::Alarm');
  const functions = app.node.findAll().filter((node) => node instanceof HelpdeskFunction);
  const cfn = (fn: HelpdeskFunction) => fn.node.defaultChild as CfnFunction;
  return {
    alarms: alarms.length,
    alarmMetrics: alarms.reduce(
      (sum, alarm) =>
        sum + (alarm.Properties?.Metrics ? (alarm.Properties.Metrics as { MetricStat?: unknown }[]).filter((m) => m.MetricStat).length : 1),
      0,
    ),
    dashboards: of('AWS::CloudWatch::Dashboard').length,
    kmsKeys: of('AWS::KMS::Key').length,
    secrets: of('AWS::SecretsManager::Secret').length,
    schedules: of('AWS::Events::Rule')
      .map((rule) => rule.Properties?.ScheduleExpression as string | undefined)
      .filter((expression): expression is string => Boolean(expression)),
    queuePollers: of('AWS::Lambda::EventSourceMapping').filter((mapping) =>
      JSON.stringify(mapping.Properties?.EventSourceArn ?? '').includes('Queue'),
    ).length,
    memoryMb: new Map(functions.map((fn) => [fn.node.id.replace(/Function$/, '').toLowerCase(), Number(cfn(fn).memorySize ?? 128)])),
    traced: new Set(
      functions
        .filter((fn) => (cfn(fn).tracingConfig as CfnFunction.TracingConfigProperty | undefined)?.mode === 'Active')
        .map((fn) => fn.node.id.replace(/Function$/, '').toLowerCase()),
    ),
    architectures: new Set(functions.map((fn) => String(cfn(fn).architectures?.[0] ?? 'x86_64'))),
    resourceTypes,
  };
};
