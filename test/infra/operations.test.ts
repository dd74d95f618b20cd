// The operations construct: the alarm topic and who it reaches, every alarm of the stateless stack and of its
// nested HttpFunctions stack (what it watches, its threshold and comparison, and that it notifies the topic),
// and the dashboard's widgets read back from the synthesized DashboardBody.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { DeadLetterQueue } from '#infra/constructs/dead-letter-queue.ts';
import { HelpdeskFunction } from '#infra/constructs/helpdesk-function.ts';
import { Operations } from '#infra/constructs/operations.ts';
import { PRIORITIES } from '#shared/config/config-values.ts';
import defaultConfig from '#shared/config/helpdesk.config.json' with { type: 'json' };
import { ConfigError, parseConfig } from '#shared/config/load-config.ts';
import { CHANNELS } from '#shared/domain/tickets/ticket.ts';
import { buildTestApp, SKIP_BUNDLING, sharedOutdir, synthTemplates } from './build-test-app.ts';
import { describeRow, placeholder, widgetsOf } from './dashboard-queries.ts';
import { logicalIdOf, type Resource, resourcesOfType } from './template-queries.ts';

describe('StatelessStack: operations (alarm topic, alarms, dashboard)', () => {
  // Arrange (shared): one synthesis for the whole describe.
  const { stateless, statelessTemplate: template, httpFunctionsTemplate, monitoring } = synthTemplates();
  const stack = stateless;
  const ops = stateless.operations;
  /** Its logical id in its own stack's template (the stateless stack's, or the nested HttpFunctions stack's). */
  const idOf = (construct: Parameters<typeof logicalIdOf>[1]) => logicalIdOf(Stack.of(construct), construct);
  const topicRef = { Ref: idOf(ops.topic) };
  const parentAlarms = template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>;
  const nestedAlarms = httpFunctionsTemplate.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>;
  const alarms = { ...parentAlarms, ...nestedAlarms };
  /** How the dashboard body names a value: a Ref, an attribute, or an output of the nested stack. */
  const shown = (value: string) => placeholder(stack.resolve(value) as Record<string, unknown>);
  const all = stack.node.findAll();
  const functions = all.filter((node): node is HelpdeskFunction => node instanceof HelpdeskFunction);
  const deadLetters = all.filter((node): node is DeadLetterQueue => node instanceof DeadLetterQueue);
  // The queues a consumer polls (a bus-invoked consumer has none).
  const mainQueues = [...stateless.events.queues.values()].flatMap((consumer) => (consumer.queue ? [consumer.queue] : []));

  describe('the topic', () => {
    it('monitoring=small: is not encrypted (alarm names, no personal data; no USD 1 key), with its one cdk-nag acknowledgement', () => {
      const [topic] = resourcesOfType(template, 'AWS::SNS::Topic');
      expect(topic!.Properties).not.toHaveProperty('KmsMasterKeyId');
      expect(ops.key).toBeUndefined();
      expect(
        resourcesOfType(template, 'AWS::KMS::Key').filter((key) => key.Properties.Description === 'Helpdesk: encrypts the alarm topic'),
      ).toEqual([]);
      const acknowledged = JSON.stringify(ops.topic.node.metadata);
      expect(acknowledged).toContain('AwsSolutions-SNS2');
      expect(acknowledged).toContain('no personal data');
    });

    it('refuses requests that are not over TLS', () => {
      const [policy] = resourcesOfType(template, 'AWS::SNS::TopicPolicy');
      expect(policy!.Properties.Topics).toEqual([topicRef]);
      expect(policy!.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    });

    it('has no subscription when the configuration names no address (the bundled one)', () => {
      expect(resourcesOfType(template, 'AWS::SNS::Subscription')).toEqual([]);
    });

    it('mails operations.alarmEmail when it is set', () => {
      const app = new App({ context: SKIP_BUNDLING, outdir: sharedOutdir() });
      const testStack = new Stack(app, 'OpsTest');
      const api = new apigw.HttpApi(testStack, 'Api');
      const table = new dynamodb.TableV2(testStack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
      const operations = new Operations(testStack, 'Operations', { api, table, alarmEmail: 'ops@school.example' });
      const subscriptions = resourcesOfType(Template.fromStack(testStack), 'AWS::SNS::Subscription');
      expect(subscriptions.map((subscription) => subscription.Properties)).toEqual([
        {
          Protocol: 'email',
          Endpoint: 'ops@school.example',
          TopicArn: { Ref: testStack.getLogicalId(operations.topic.node.defaultChild as never) },
        },
      ]);
    });

    it('takes the address from the configuration, validated as an e-mail address, and defaults to none', () => {
      expect(parseConfig(defaultConfig).operations).toEqual({});
      expect(parseConfig({ ...defaultConfig, operations: { alarmEmail: 'ops@school.example' } }).operations.alarmEmail).toBe(
        'ops@school.example',
      );
      const { operations: _omitted, ...withoutOperations } = defaultConfig;
      expect(parseConfig(withoutOperations).operations).toEqual({});
      expect(() => parseConfig({ ...defaultConfig, operations: { alarmEmail: 'not an address' } })).toThrow(ConfigError);
      expect(() => parseConfig({ ...defaultConfig, operations: { alarmEmail: 'not an address' } })).toThrow(/operations\.alarmEmail/);
      expect(() => parseConfig({ ...defaultConfig, operations: { pager: 'x' } })).toThrow(/operations/);
    });
  });

  describe('the alarms, monitoring=small (the default)', () => {
    it('is the default, and the context accepts small or full only', () => {
      expect(stateless.node.tryGetContext('monitoring')).toBeUndefined();
      expect(monitoring).toBe('small');
      expect(() => buildTestApp({ context: { monitoring: 'medium' } })).toThrow(
        'CDK context "monitoring" must be one of "small", "full"; got "medium"',
      );
    });

    it('every alarm is in the stateless stack (none in the nested HttpFunctions stack) and notifies the topic, on ALARM and on OK, once', () => {
      expect(Object.keys(nestedAlarms)).toEqual([]);
      expect(Object.keys(parentAlarms).length).toBeGreaterThan(0);
      for (const [id, alarm] of Object.entries(parentAlarms)) {
        expect(alarm.Properties.AlarmActions, id).toEqual([topicRef]);
        expect(alarm.Properties.OKActions, id).toEqual([topicRef]);
      }
    });

    it('has exactly: the API 5xx rate, SLA breaches, the stream lag, and the dead-letter queues in alarms of up to 10', () => {
      const expected = [ops.apiServerErrorAlarm, ops.slaBreachAlarm, stateless.events.publishLagAlarm, ...ops.deadLetterAlarms].map(idOf);
      expect(Object.keys(alarms).sort()).toEqual([...new Set(expected)].sort());
      expect(functions.every((fn) => fn.errorsAlarm === undefined)).toBe(true);
      expect(deadLetters.every((deadLetter) => deadLetter.alarm === undefined)).toBe(true);
      expect(ops.queueAgeAlarms.size).toBe(0);
      expect(ops.stuckWorkAlarm).toBeUndefined();
      expect(stateless.events.webhookDisabledAlarm).toBeUndefined();
    });

    it('watches each dead-letter queue in exactly one alarm: the sum of their visible messages (maximum per minute) > 0', () => {
      expect(ops.deadLetterAlarms).toHaveLength(Math.ceil(deadLetters.length / 10));
      const watched = new Map<string, number>();
      for (const alarm of ops.deadLetterAlarms) {
        const props = alarms[idOf(alarm)]!.Properties;
        expect(props).toMatchObject({
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
        const queries = props.Metrics as {
          Id: string;
          Expression?: string;
          MetricStat?: {
            Metric: { Namespace: string; MetricName: string; Dimensions: { Value: unknown }[] };
            Period: number;
            Stat: string;
          };
        }[];
        const stats = queries.filter((query) => query.MetricStat);
        expect(stats.length).toBeLessThanOrEqual(10);
        expect(queries.find((query) => query.Expression)?.Expression).toBe(`SUM([${stats.map((query) => query.Id).join(', ')}])`);
        for (const { MetricStat } of stats) {
          expect(MetricStat).toMatchObject({
            Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' },
            Period: 60,
            Stat: 'Maximum',
          });
          const queue = JSON.stringify(MetricStat!.Metric.Dimensions[0]!.Value);
          watched.set(queue, (watched.get(queue) ?? 0) + 1);
        }
      }
      expect([...watched.keys()].sort()).toEqual(
        deadLetters.map((deadLetter) => JSON.stringify({ 'Fn::GetAtt': [idOf(deadLetter.queue), 'QueueName'] })).sort(),
      );
      expect([...watched.values()].every((count) => count === 1)).toBe(true);
    });

    it('names the dead-letter queues each alarm watches in its description, with the runbook', () => {
      const described = ops.deadLetterAlarms.map((alarm) => String(alarms[idOf(alarm)]!.Properties.AlarmDescription));
      const named = described.flatMap((text) => /dead-letter queues: ([^.]+)\./.exec(text)![1]!.split(', '));
      expect(named.sort()).toEqual(deadLetters.map((deadLetter) => deadLetter.node.id).sort());
      for (const text of described) expect(text).toContain('docs/operations.md, "Dead-letter queue not empty"');
    });

    it('SLA breaches: Helpdesk SlaBreached (service helpdesk) sum > 0 over 15 minutes', () => {
      expect(alarms[idOf(ops.slaBreachAlarm)]!.Properties).toMatchObject({
        Namespace: 'Helpdesk',
        MetricName: 'SlaBreached',
        Dimensions: [{ Name: 'service', Value: 'helpdesk' }],
        Statistic: 'Sum',
        Period: 900,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    it('watches at most 10 metrics more than the API 5xx rate (2), SLA breaches and the stream lag: the dead-letter queues', () => {
      const metricCount = Object.values(alarms).reduce(
        (sum, alarm) =>
          sum +
          (alarm.Properties.Metrics ? (alarm.Properties.Metrics as { MetricStat?: unknown }[]).filter((m) => m.MetricStat).length : 1),
        0,
      );
      expect(metricCount).toBe(2 + 1 + 1 + deadLetters.length);
      // CloudWatch's free alarm metrics (issue 13: the idle desk within the free tier's alarms)
      expect(metricCount).toBeLessThanOrEqual(10);
    });
  });

  describe('the alarms, monitoring=full', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'helpdesk-cdk-'));
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));
    const full = synthTemplates({ outdir, context: { monitoring: 'full' } });
    full.app.synth();
    const fullStack = full.stateless;
    const fullOps = fullStack.operations;
    const fullIdOf = (construct: Parameters<typeof logicalIdOf>[1]) => logicalIdOf(Stack.of(construct), construct);
    const fullTopicRef = { Ref: fullIdOf(fullOps.topic) };
    const fullNestedTopicRef = fullStack.httpFunctions.resolve(fullOps.topic.topicArn) as { Ref: string };
    const fullParentAlarms = full.statelessTemplate.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>;
    const fullNestedAlarms = full.httpFunctionsTemplate.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>;
    const fullAlarms = { ...fullParentAlarms, ...fullNestedAlarms };
    const fullAll = fullStack.node.findAll();
    const fullFunctions = fullAll.filter((node): node is HelpdeskFunction => node instanceof HelpdeskFunction);
    const fullDeadLetters = fullAll.filter((node): node is DeadLetterQueue => node instanceof DeadLetterQueue);
    const fullMainQueues = [...fullStack.events.queues.values()].flatMap((consumer) => (consumer.queue ? [consumer.queue] : []));

    it('every alarm of the stack and of its nested HttpFunctions stack notifies the topic, on ALARM and on OK, once', () => {
      expect(Object.keys(fullParentAlarms).length).toBeGreaterThan(0);
      expect(Object.keys(fullNestedAlarms).length).toBeGreaterThan(0);
      for (const [id, alarm] of Object.entries(fullParentAlarms)) {
        expect(alarm.Properties.AlarmActions, id).toEqual([fullTopicRef]);
        expect(alarm.Properties.OKActions, id).toEqual([fullTopicRef]);
      }
      for (const [id, alarm] of Object.entries(fullNestedAlarms)) {
        expect(alarm.Properties.AlarmActions, id).toEqual([fullNestedTopicRef]);
        expect(alarm.Properties.OKActions, id).toEqual([fullNestedTopicRef]);
      }
      // The parameter the nested alarms notify is the topic.
      const [nestedStack] = resourcesOfType(full.statelessTemplate, 'AWS::CloudFormation::Stack');
      expect(nestedStack!.Properties.Parameters[fullNestedTopicRef.Ref]).toEqual(fullTopicRef);
    });

    it('has exactly: one Errors alarm per function, one per dead-letter queue, the stream lag, API 5xx, one age alarm per queue, SLA breaches, a webhook switched off, stuck work', () => {
      const expected = [
        ...fullFunctions.map((fn) => fn.errorsAlarm!),
        ...fullDeadLetters.map((deadLetter) => deadLetter.alarm!),
        fullStack.events.publishLagAlarm,
        fullOps.apiServerErrorAlarm,
        ...fullOps.queueAgeAlarms.values(),
        fullOps.slaBreachAlarm,
        fullStack.events.webhookDisabledAlarm!,
        fullOps.stuckWorkAlarm!,
      ].map(fullIdOf);
      expect(expected.every(Boolean)).toBe(true);
      expect(Object.keys(fullAlarms).sort()).toEqual([...new Set(expected)].sort());
      expect(fullOps.deadLetterAlarms).toEqual([]);
    });

    it('the topic is encrypted with its own rotating key, which CloudWatch (of this account) may use', () => {
      const [topic] = resourcesOfType(full.statelessTemplate, 'AWS::SNS::Topic');
      expect(topic!.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [fullIdOf(fullOps.key!), 'Arn'] });
      // The same logical ids as before the monitoring context: switching sizes updates the topic in place (its
      // subscription stays confirmed), and full keeps the key it had.
      expect([fullIdOf(fullOps.topic), fullIdOf(fullOps.key!)]).toEqual(['OperationsAlarmTopic909EF7A3', 'OperationsTopicKey50BA7F3B']);
      const key = resourcesOfType(full.statelessTemplate, 'AWS::KMS::Key').find(
        (resource) => resource.Properties.Description === 'Helpdesk: encrypts the alarm topic',
      );
      expect(key!.Properties.EnableKeyRotation).toBe(true);
      const statements = key!.Properties.KeyPolicy.Statement as {
        Principal?: { Service?: string };
        Action: string[];
        Condition?: unknown;
      }[];
      const cloudWatch = statements.find((statement) => statement.Principal?.Service === 'cloudwatch.amazonaws.com');
      expect(cloudWatch!.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
      expect(cloudWatch!.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
    });

    it('has no unacknowledged cdk-nag finding', () => {
      const file = path.join(outdir, VALIDATION_REPORT_FILE);
      const report = existsSync(file)
        ? (JSON.parse(readFileSync(file, 'utf8')) as { pluginReports: { violations: unknown[] }[] })
        : { pluginReports: [] };
      expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
    });

    it('each function: Errors sum > 0 over 1 minute', () => {
      for (const fn of fullFunctions) {
        expect(fullAlarms[fullIdOf(fn.errorsAlarm!)]!.Properties, fn.node.id).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: fullIdOf(fn) } }],
          Statistic: 'Sum',
          Period: 60,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        });
      }
    });

    it('each dead-letter queue: messages visible (maximum) > 0 over 1 minute', () => {
      // Every consumer's (two shared), the rules', the schedules', the stream's and inbound mail's
      expect(fullDeadLetters.length).toBe(6);
      for (const deadLetter of fullDeadLetters) {
        expect(fullAlarms[fullIdOf(deadLetter.alarm!)]!.Properties, deadLetter.node.id).toMatchObject({
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(deadLetter.queue), 'QueueName'] } }],
          Statistic: 'Maximum',
          Period: 60,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      }
    });

    it('API 5xx rate: 100 × 5xx / Count of the HTTP API over 5 minutes > 1 (%)', () => {
      const props = fullAlarms[fullIdOf(fullOps.apiServerErrorAlarm)]!.Properties;
      expect(props).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      const queries = props.Metrics as {
        Id: string;
        Expression?: string;
        ReturnData?: boolean;
        MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown[] }; Period: number; Stat: string };
      }[];
      expect(queries.find((query) => query.Expression)).toMatchObject({ Expression: 'IF(requests > 0, 100 * errors / requests, 0)' });
      const byId = Object.fromEntries(queries.filter((query) => query.MetricStat).map((query) => [query.Id, query.MetricStat!]));
      const apiDimension = [{ Name: 'ApiId', Value: { Ref: fullIdOf(fullStack.api) } }];
      expect(byId.errors).toEqual({
        Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: apiDimension },
        Period: 300,
        Stat: 'Sum',
      });
      expect(byId.requests).toEqual({
        Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: apiDimension },
        Period: 300,
        Stat: 'Sum',
      });
    });

    it('queue age: each main queue (not the dead-letter queues), oldest message (maximum) > 300 s over 5 minutes', () => {
      expect([...fullOps.queueAgeAlarms.keys()].sort()).toEqual(fullMainQueues.map((queue) => queue.node.id).sort());
      for (const queue of fullMainQueues) {
        expect(fullAlarms[fullIdOf(fullOps.queueAgeAlarms.get(queue.node.id)!)]!.Properties, queue.node.id).toMatchObject({
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateAgeOfOldestMessage',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(queue), 'QueueName'] } }],
          Statistic: 'Maximum',
          Period: 300,
          Threshold: 300,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        });
      }
    });

    it('stuck work: Helpdesk StuckWorkFound of every kind (service helpdesk), summed, > 0 over 15 minutes', () => {
      const props = fullAlarms[fullIdOf(fullOps.stuckWorkAlarm!)]!.Properties;
      expect(props).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
      const metrics = props.Metrics as { Id: string; Expression?: string; MetricStat?: Record<string, unknown> }[];
      expect(metrics.find((metric) => metric.Expression)?.Expression).toBe('routing + acknowledgement + stats');
      expect(metrics.filter((metric) => metric.MetricStat).map((metric) => [metric.Id, metric.MetricStat])).toEqual(
        ['routing', 'acknowledgement', 'stats'].map((kind) => [
          kind,
          {
            Metric: {
              Namespace: 'Helpdesk',
              MetricName: 'StuckWorkFound',
              Dimensions: [
                { Name: 'kind', Value: kind },
                { Name: 'service', Value: 'helpdesk' },
              ],
            },
            Period: 900,
            Stat: 'Sum',
          },
        ]),
      );
    });
  });

  describe('the dashboard', () => {
    const [dashboard] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard');
    const widgets = widgetsOf(dashboard!);
    const byTitle = new Map(widgets.filter((widget) => widget.properties.title).map((widget) => [widget.properties.title!, widget]));
    const rows = (title: string) => {
      const widget = byTitle.get(title);
      if (!widget) throw new Error(`no widget "${title}"; titles: ${[...byTitle.keys()].join(' | ')}`);
      return (widget.properties.metrics ?? []).map(describeRow);
    };
    const labels = (title: string) =>
      rows(title)
        .filter((row) => row.visible !== false)
        .map((row) => row.label);

    it('opens with the status of every alarm', () => {
      const alarmWidget = byTitle.get('Alarms')!;
      expect(alarmWidget.type).toBe('alarm');
      expect([...alarmWidget.properties.alarms!].sort()).toEqual(
        all
          .filter((node): node is cloudwatch.Alarm => node instanceof cloudwatch.Alarm)
          .map((alarm) => shown(alarm.alarmArn))
          .sort(),
      );
    });

    it('API: requests, latency p50 and p99, 4xx and 5xx (with the alarmed rate)', () => {
      const api = { ApiId: `{{Ref:${idOf(stateless.api)}}}` };
      expect(rows('API requests')).toEqual([expect.objectContaining({ metric: 'AWS/ApiGateway/Count', dimensions: api, stat: 'Sum' })]);
      expect(rows('API latency p50 / p99').map((row) => [row.metric, row.stat])).toEqual([
        ['AWS/ApiGateway/Latency', 'p50'],
        ['AWS/ApiGateway/Latency', 'p99'],
      ]);
      const errors = rows('API 4xx / 5xx');
      expect(errors.map((row) => row.metric ?? row.expression)).toEqual([
        'AWS/ApiGateway/4xx',
        'AWS/ApiGateway/5xx',
        'IF(requests > 0, 100 * errors / requests, 0)',
        'AWS/ApiGateway/Count',
      ]);
    });

    it('Lambda: errors, throttles, duration p50 and p99 for every function, in one group per construct', () => {
      const groups = new Map<string, HelpdeskFunction[]>();
      for (const fn of functions) {
        const group = fn.node.scope === stateless.httpFunctions ? 'HTTP' : fn.node.scope!.node.id;
        groups.set(group, [...(groups.get(group) ?? []), fn]);
      }
      expect([...groups.keys()]).toEqual(expect.arrayContaining(['HTTP', 'Events']));
      for (const [group, members] of groups) {
        for (const [title, metric, stat] of [
          [`Lambda errors (${group})`, 'AWS/Lambda/Errors', 'Sum'],
          [`Lambda throttles (${group})`, 'AWS/Lambda/Throttles', 'Sum'],
          [`Lambda duration p50 (${group})`, 'AWS/Lambda/Duration', 'p50'],
          [`Lambda duration p99 (${group})`, 'AWS/Lambda/Duration', 'p99'],
        ] as const) {
          expect(rows(title)).toEqual(
            members.map((fn) =>
              expect.objectContaining({ metric, stat, label: fn.node.id, dimensions: { FunctionName: shown(fn.functionName) } }),
            ),
          );
        }
      }
    });

    it('queues: depth and oldest message age per main queue; depth of every dead-letter queue', () => {
      const queueName = (queue: Parameters<typeof idOf>[0]) => ({ QueueName: `{{${idOf(queue)}.QueueName}}` });
      expect(rows('Queue depth (messages visible)')).toEqual(
        mainQueues.map((queue) =>
          expect.objectContaining({ metric: 'AWS/SQS/ApproximateNumberOfMessagesVisible', dimensions: queueName(queue) }),
        ),
      );
      expect(rows('Oldest message age (seconds)')).toEqual(
        mainQueues.map((queue) =>
          expect.objectContaining({ metric: 'AWS/SQS/ApproximateAgeOfOldestMessage', dimensions: queueName(queue) }),
        ),
      );
      expect(rows('Dead-letter queue depth')).toEqual(
        deadLetters.map((deadLetter) =>
          expect.objectContaining({
            metric: 'AWS/SQS/ApproximateNumberOfMessagesVisible',
            dimensions: queueName(deadLetter.queue),
            label: deadLetter.node.id,
          }),
        ),
      );
      expect(rows('Stuck work re-driven by the sweeper')).toEqual(
        ['routing', 'acknowledgement', 'stats'].map((kind) =>
          expect.objectContaining({
            metric: 'Helpdesk/StuckWorkFound',
            dimensions: { kind, service: 'helpdesk' },
            stat: 'Sum',
            label: kind,
          }),
        ),
      );
    });

    it('DynamoDB: read and write throttle events and system errors of the table', () => {
      const metrics = rows('DynamoDB throttles and system errors');
      const names = metrics.map((row) => row.metric).filter(Boolean);
      expect(names).toEqual(
        expect.arrayContaining(['AWS/DynamoDB/ReadThrottleEvents', 'AWS/DynamoDB/WriteThrottleEvents', 'AWS/DynamoDB/SystemErrors']),
      );
      // System errors are reported per operation: one visible sum over them (CDK's own label).
      expect(labels('DynamoDB throttles and system errors')).toEqual([
        'read throttle events',
        'write throttle events',
        'Sum of errors across all operations',
      ]);
    });

    it('the desk: SLA warnings, breaches and escalations; tickets by channel; CSAT; handling times by priority', () => {
      const service = { service: 'helpdesk' };
      expect(rows('SLA warnings and breaches')).toEqual(
        ['SlaWarning', 'SlaBreached', 'SlaEscalated'].map((name) =>
          expect.objectContaining({ metric: `Helpdesk/${name}`, dimensions: service, stat: 'Sum' }),
        ),
      );
      const channels = rows('Tickets created by channel');
      expect(channels.map((row) => row.label)).toEqual([...CHANNELS.filter((channel) => channel !== 'email'), 'email']);
      for (const row of channels.slice(0, -1))
        expect(row.expression).toMatch(
          new RegExp(`^SUM\\(SEARCH\\('\\{Helpdesk,channel,service\\} MetricName="TicketCreated" channel="${row.label}"`),
        );
      expect(channels.at(-1)).toMatchObject({ metric: 'Helpdesk/InboundMailCreated', dimensions: service });
      // Average is CloudWatch's default statistic, which the body leaves out.
      expect(rows('CSAT (mean rating, 1–5)').map((row) => [row.metric, row.stat ?? 'Average'])).toEqual([
        ['Helpdesk/CsatRating', 'Average'],
        ['Helpdesk/CsatRating', 'SampleCount'],
      ]);
      for (const title of ['First response time, median (s, wall clock)', 'Resolution time, median (s, wall clock)'])
        expect(rows(title).map((row) => row.dimensions)).toEqual(PRIORITIES.map((priority) => ({ service: 'helpdesk', priority })));
    });
  });
});
