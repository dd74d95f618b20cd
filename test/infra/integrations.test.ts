// The integrations' resources with a configuration that has webhooks: the webhooks' rule and queue, the
// consumer's exact grants (its secrets, its own queue's visibility), the export's queue, worker and routes,
// and cdk-nag with nothing left unacknowledged. One synthesis (with cdk-nag) for the file.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import bundled from '#shared/config/helpdesk.config.json' with { type: 'json' };
import { SANDBOX_CONFIG_FILE_ENV } from '#shared/config/load-config.ts';
import { buildTestApp } from './build-test-app.ts';
import {
  asList,
  getAtt,
  logicalIdOf,
  resourceOf,
  resourcesOfType,
  type Statement,
  statementsOfRole,
  visibleMessagesAlarmsOf,
} from './template-queries.ts';

const withWebhooks = {
  ...structuredClone(bundled),
  webhooks: [
    {
      id: 'erp',
      url: 'https://erp.sekolah.example/hooks/helpdesk',
      events: ['TicketCreated', 'StatusChanged'],
      secret: 'helpdesk/webhooks/erp',
    },
    {
      id: 'chat',
      url: 'https://chat.example/hook',
      events: ['SlaBreached', 'StatusChanged'],
      filter: { teams: ['it-support'] },
      secret: 'helpdesk/webhooks/chat',
    },
  ],
};

describe('StatelessStack: webhooks and exports', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'helpdesk-cdk-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  // Arrange (shared): one synthesis, with cdk-nag, of an app whose configuration has two subscriptions.
  const built = buildTestApp({ outdir, config: withWebhooks });
  built.app.synth();
  const { stateless } = built;
  const template = Template.fromStack(stateless);
  // The HTTP routes' functions and roles are in the nested HttpFunctions stack.
  const httpFunctionsTemplate = Template.fromStack(stateless.httpFunctions);
  const idOf = (construct: Parameters<typeof logicalIdOf>[1]) => logicalIdOf(Stack.of(construct), construct);
  const roleStatements = (fn: { role?: unknown }): Statement[] => {
    const role = fn.role as Parameters<typeof logicalIdOf>[1];
    return statementsOfRole(Stack.of(role) === stateless.httpFunctions ? httpFunctionsTemplate : template, idOf(role));
  };
  const webhooks = stateless.events.queues.get('webhooks')!;
  const exports = stateless.events.queues.get('exports')!;

  it('has the webhooks queue and its consumer under the logical ids they were first deployed with, dead-lettering to the shared queue', () => {
    // Act
    const ids = [
      idOf(webhooks.queue!),
      idOf(webhooks.deadLetter.queue),
      idOf(webhooks.consumer.functionLogGroup as unknown as Parameters<typeof logicalIdOf>[1]),
    ];

    // Assert: a desk without subscriptions has none of them (event-processing.test.ts); one with them keeps them. Its
    // dead letters share the consumers' dead-letter queue (docs/decisions.md, "Two dead-letter queues for the consumers").
    expect(ids).toEqual([
      'EventsWebhooksQueue5D405332',
      'EventsConsumersDlqQueueDBF93448',
      'EventsDeliverWebhooksFunctionLogGroup78DA84B1',
    ]);
  });

  it('routes every event type a subscription asks for, and nothing else, to the webhooks queue', () => {
    // Act
    const rule = resourceOf(template, idOf(stateless.events.rules.get('deliver-webhooks')!.rule));

    // Assert
    expect(rule.Properties.EventPattern).toEqual({
      source: ['helpdesk'],
      'detail-type': ['SlaBreached', 'StatusChanged', 'TicketCreated'],
    });
    expect(rule.Properties.Targets).toHaveLength(1);
    expect(rule.Properties.Targets[0].Arn).toEqual(getAtt(idOf(webhooks.queue!)));
  });

  it('lets the webhook consumer read exactly the named secrets and delay its own queue’s messages', () => {
    // Act
    const statements = roleStatements(webhooks.consumer);
    const secretReads = statements.filter((statement) => asList(statement.Action).includes('secretsmanager:GetSecretValue'));
    const visibility = statements.filter((statement) => asList(statement.Action).includes('sqs:ChangeMessageVisibility'));

    // Assert
    expect(secretReads).toHaveLength(1);
    expect(JSON.stringify(secretReads[0]!.Resource)).toContain(':secret:helpdesk/webhooks/chat-??????');
    expect(JSON.stringify(secretReads[0]!.Resource)).toContain(':secret:helpdesk/webhooks/erp-??????');
    expect(asList(secretReads[0]!.Resource)).toHaveLength(2);
    expect(visibility.length).toBeGreaterThan(0);
    for (const statement of visibility) expect(statement.Resource).toEqual(getAtt(idOf(webhooks.queue!)));
    expect(webhooks.spec.maxReceiveCount).toBe(8);
    const environment = resourceOf(template, idOf(webhooks.consumer)).Properties.Environment.Variables;
    expect(environment.WEBHOOK_QUEUE_URL).toEqual({ Ref: idOf(webhooks.queue!) });
  });

  it('lets the export start invoke the export worker only, and the poll sign links under exports/ only', () => {
    // Act
    const start = roleStatements(stateless.functions.get('start-export')!);
    const poll = roleStatements(stateless.functions.get('get-export')!);
    const startFunction = resourceOf(httpFunctionsTemplate, logicalIdOf(stateless.httpFunctions, stateless.functions.get('start-export')!));

    // Assert: no queue in between (docs/decisions.md, "The export worker is invoked, not polled")
    expect(exports.queue).toBeUndefined();
    const invokes = start.filter((statement) => asList(statement.Action).some((action) => action.startsWith('lambda:')));
    // The worker's ARN and name, which the stateless stack passes its nested stack as parameters; the function only,
    // not its versions.
    expect(invokes).toEqual([
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: stateless.httpFunctions.resolve(exports.consumer.functionArn) }),
    ]);
    expect(startFunction.Properties.Environment.Variables.EXPORT_FUNCTION_NAME).toEqual(
      stateless.httpFunctions.resolve(exports.consumer.functionName),
    );
    expect(Object.values(resourcesOfType(template, 'AWS::CloudFormation::Stack')[0]!.Properties.Parameters)).toContainEqual(
      getAtt(idOf(exports.consumer), 'Arn'),
    );
    expect(JSON.stringify(start)).not.toContain('sqs:');
    expect(poll.filter((statement) => JSON.stringify(statement.Action).includes('s3:'))).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [expect.anything(), '/exports/*']] } }),
    ]);
    expect(JSON.stringify(start)).not.toContain('s3:');
  });

  it('lets the export worker invoke itself (the next run), and nothing else, in a policy of its own', () => {
    // Act
    const invokes = roleStatements(exports.consumer).filter((statement) =>
      asList(statement.Action).some((action) => action.startsWith('lambda:')),
    );

    // Assert
    expect(invokes).toEqual([
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: getAtt(idOf(exports.consumer), 'Arn') }),
    ]);
  });

  it('gives the export worker 15 minutes a run, Scan on the table, and writes under exports/', () => {
    // Act
    const worker = resourceOf(template, idOf(exports.consumer));
    const statements = roleStatements(exports.consumer);

    // Assert
    expect(worker.Properties.Timeout).toBe(900);
    expect(statements.flatMap((statement) => asList(statement.Action))).toContain('dynamodb:Scan');
    const writes = statements.filter((statement) => JSON.stringify(statement.Action).includes('s3:'));
    expect(writes).toEqual([
      expect.objectContaining({
        Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
        Resource: { 'Fn::Join': ['', [expect.anything(), '/exports/*']] },
      }),
    ]);
  });

  it('dead-letters a webhook event after 8 receives, and alarms on the first one there', () => {
    // Act
    const queue = resourceOf(template, idOf(webhooks.queue!));
    const alarms = visibleMessagesAlarmsOf(template, idOf(webhooks.deadLetter.queue));

    // Assert: the names docs/operations.md gives an operator (the alarm over the DLQs with the default monitoring
    // size; EventsWebhooksDlqNotEmptyAlarm and EventsWebhookDisabledAlarm with monitoring=full, operations.test.ts).
    expect(queue.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: getAtt(idOf(webhooks.deadLetter.queue)), maxReceiveCount: 8 });
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarms[0]!.Properties.AlarmActions).toHaveLength(1);
  });

  it('has no unacknowledged cdk-nag finding', () => {
    // Act
    const file = path.join(outdir, VALIDATION_REPORT_FILE);
    const report = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as { pluginReports: { violations: unknown[] }[] })
      : { pluginReports: [] };

    // Assert
    expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
    expect(resourcesOfType(template, 'AWS::SQS::Queue').length).toBeGreaterThan(0);
  });
});

describe('refusals at synth', () => {
  it('refuses a webhook on plain http (the sandbox’s localhost receivers only)', () => {
    // Arrange
    const config = {
      ...structuredClone(bundled),
      webhooks: [{ id: 'local', url: 'http://localhost:9999/h', events: ['TicketCreated'], secret: 's' }],
    };

    // Act / Assert
    expect(() => buildTestApp({ config })).toThrow('webhooks.0.url: must be https:// in AWS');
  });

  it('refuses to synthesize while the sandbox’s configuration file is set', () => {
    // Arrange
    process.env[SANDBOX_CONFIG_FILE_ENV] = '/tmp/other.json';

    // Act / Assert
    try {
      expect(() => buildTestApp()).toThrow(`${SANDBOX_CONFIG_FILE_ENV} is set`);
    } finally {
      delete process.env[SANDBOX_CONFIG_FILE_ENV];
    }
  });
});
