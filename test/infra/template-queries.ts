// Small readers over synthesized templates shared by the infra tests: logical ids of constructs, and the
// IAM statements a role ends up with (whatever construct added them).
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

export type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
};
export type Resource = { Type: string; Properties: Record<string, any> };

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The ARN CDK writes for an SSM parameter of this stack's account and region (`name` without its leading slash). */
export const ssmParameterArn = (name: string) => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:parameter/${name}`],
  ],
});

/** The logical id of a construct's CloudFormation resource (an L2's default child, or the L1 itself). */
export const logicalIdOf = (stack: Stack, construct: IConstruct): string =>
  stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);

export const resourceOf = (template: Template, logicalId: string): Resource => {
  const resource = template.toJSON().Resources[logicalId] as Resource | undefined;
  if (!resource) throw new Error(`no resource ${logicalId} in the template`);
  return resource;
};

/** Every resource of a type, as a list. */
export const resourcesOfType = (template: Template, type: string, props?: Record<string, unknown>): Resource[] =>
  Object.values(template.findResources(type, props ? { Properties: props } : undefined)) as Resource[];

/** Every statement of every IAM policy attached to the role. */
export const statementsOfRole = (template: Template, roleLogicalId: string): Statement[] =>
  resourcesOfType(template, 'AWS::IAM::Policy', { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) }).flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );

/** `{ 'Fn::GetAtt': [id, attribute] }`, as templates write a reference to a resource's attribute. */
export const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });

/**
 * The alarms that fire on the first message in a queue (a dead-letter queue): its own alarm on
 * ApproximateNumberOfMessagesVisible (`monitoring=full`), or a metric-math alarm over several queues that
 * includes it (`small`, operations-alarms.ts).
 */
export const visibleMessagesAlarmsOf = (template: Template, queueId: string): Resource[] => {
  const watches = (metric: { Namespace?: string; MetricName?: string; Dimensions?: unknown }) =>
    metric.Namespace === 'AWS/SQS' &&
    metric.MetricName === 'ApproximateNumberOfMessagesVisible' &&
    JSON.stringify(metric.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: getAtt(queueId, 'QueueName') }]);
  return resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(
    ({ Properties: alarm }) =>
      watches(alarm) ||
      (alarm.Metrics as { MetricStat?: { Metric: Record<string, unknown> } }[] | undefined)?.some(
        (query) => query.MetricStat && watches(query.MetricStat.Metric),
      ),
  );
};
