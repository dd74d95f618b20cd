// HelpdeskFunction: a Lambda function with the helpdesk's defaults, so every handler is built and run the
// same way (runtime, architecture, the build in function-bundling.ts, logs, tracing, permissions for its own log
// group only).
import path from 'node:path';
import { AssetHashType, DockerImage, Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FunctionBundling, PROJECT_ROOT } from './function-bundling.ts';
import { monitoringOf } from './monitoring.ts';

/**
 * The one place that decides X-Ray tracing. Active tracing records nearly every invocation (Lambda's own sampling,
 * the first request each second and 5 % after, cannot be changed: X-Ray sampling rules do not apply to it), so it
 * is on only with `monitoring=full`, and there not for frequent background work that names a reason (`untraced`).
 * Everything else runs PassThrough: nothing recorded of its own, only a trace an upstream caller already sampled
 * continued. docs/decisions.md, "X-Ray only with monitoring=full".
 */
const tracingOf = (scope: Construct, untraced: string | undefined) =>
  monitoringOf(scope) === 'full' && !untraced ? lambda.Tracing.ACTIVE : lambda.Tracing.PASS_THROUGH;

export type HelpdeskFunctionProps = Omit<lambda.FunctionProps, 'code' | 'handler' | 'runtime' | 'logGroup' | 'tracing'> & {
  /** Path of the handler module (exporting `handler`), absolute or relative to the repository root. */
  entry: string;
  /** Log group to use instead of the function's own. */
  logGroup?: logs.ILogGroup;
  /** How long the function's logs are kept. Default: one month. */
  logRetention?: logs.RetentionDays;
  /**
   * Why the function needs no active tracing even with `monitoring=full` (frequent work nobody waits on, watched
   * by its log lines, alarms and dead-letter queue). Without a reason it traces in `full`; in `small` nothing does.
   */
  untraced?: string;
};

export class HelpdeskFunction extends lambda.Function {
  /** The function's own log group (explicit, with retention; the function may write to it and nowhere else). */
  readonly functionLogGroup: logs.ILogGroup;
  /**
   * In ALARM when an invocation failed (an uncaught error, a timeout, running out of memory). Only with
   * `monitoring=full` (monitoring.ts): in `small`, a failing HTTP function shows on the API's 5xx rate and a
   * failing consumer or job in its dead-letter queue.
   */
  readonly errorsAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: HelpdeskFunctionProps) {
    const { logRetention, environment, entry, untraced, ...rest } = props;
    // A subclass cannot create children before super(), so the log group and role are siblings named after
    // the function. Both are explicit so that: the retention is ours (not "never expire"), and the role gets
    // write access to this one log group instead of AWSLambdaBasicExecutionRole's logs:* on every group.
    const logGroup =
      props.logGroup ?? new logs.LogGroup(scope, `${id}LogGroup`, { retention: logRetention ?? logs.RetentionDays.ONE_MONTH });
    const role =
      props.role ??
      new iam.Role(scope, `${id}ServiceRole`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Execution role of the ${id} function`,
      });

    super(scope, id, {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      // 256 MB: Lambda allocates CPU in proportion to memory, so at 128 MB loading and initialising a
      // ~600 KB bundle (SDK client, middy, Powertools, zod) makes cold starts noticeably slower. 256 MB
      // buys that CPU for a cost that stays a fraction of a cent per thousand ~100 ms requests on arm64.
      memorySize: 256,
      // Well under API Gateway's 30 s integration limit: a request that has not finished in 10 s (DynamoDB
      // retries included) should fail and be retried by the client, not hold a connection. Functions on
      // other triggers pass a timeout that fits theirs (a queue's visibility timeout, a schedule's period).
      timeout: Duration.seconds(10),
      tracing: tracingOf(scope, untraced),
      handler: 'index.handler',
      ...rest,
      // Built by esbuild on this machine (function-bundling.ts); the asset's hash is the build's, so a change in
      // anything the handler imports deploys it again and nothing else does. The image is never pulled: local
      // bundling always runs (it needs only Node and the project's own packages).
      code: lambda.Code.fromAsset(PROJECT_ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
          // Relative entries are relative to the repository root, whatever the current directory.
          local: new FunctionBundling(path.resolve(PROJECT_ROOT, entry)),
        },
      }),
      logGroup,
      role,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'helpdesk',
        POWERTOOLS_METRICS_NAMESPACE: 'Helpdesk',
        ...environment,
      },
    });

    this.functionLogGroup = logGroup;
    logGroup.grantWrite(role);

    // Handlers catch what they expect (HTTP errors become problem+json, a bad message becomes a batch item
    // failure), so Lambda's Errors metric counts only the unexpected: any one of them is worth a look.
    // Its action is the alarm topic, which Operations gives every alarm of the stack (alarm-topic.ts).
    if (monitoringOf(this) === 'full')
      this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
        alarmDescription: `${id}: an invocation failed (uncaught error, timeout or out of memory); see its log group.`,
        metric: this.metricErrors({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is the runtime the design fixes (section 3): the code is written for Node 20 locally and ' +
        'verified on 22; moving to a newer runtime is a deliberate change with its own test run, not a default.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only xray:PutTraceSegments and xray:PutTelemetryRecords (added by tracing, Active or PassThrough) use Resource "*": ' +
        'these X-Ray actions do not support resource-level permissions.',
    });
  }
}
