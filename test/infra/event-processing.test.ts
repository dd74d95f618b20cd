import { existsSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual as isEqual } from 'node:util';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#infra/constructs/function-bundling.ts';
import { toEventPattern } from '#infra/constructs/queue-consumers.ts';
import { queueUrlEnv } from '#shared/adapters/queue-redriver.ts';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { EVENT_BUS_NAME_ENV } from '#shared/events/bus-definition.ts';
import { deployedQueues, QUEUES, type QueueSpec } from '#shared/events/queues.ts';
import { RULES } from '#shared/events/rules.ts';
import { SCHEDULES } from '#shared/events/schedules.ts';
import type { TableAccess } from '#shared/http/routes.ts';
import { synthTemplates } from './build-test-app.ts';
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

const FOURTEEN_DAYS = 14 * 24 * 60 * 60;
/** The shipped configuration's consumers: all but the webhooks' (no subscription is configured). */
const DEPLOYED = deployedQueues(loadConfig());
/** Those with a queue their event source mapping polls, and those the bus invokes itself. */
const POLLED = DEPLOYED.filter((spec) => spec.invocation !== 'async');
const BUS_INVOKED = DEPLOYED.filter((spec) => spec.invocation === 'async');
const STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];

describe('StatelessStack: events, queues and schedules', () => {
  // Arrange (shared): one synthesis for the whole file.
  const { stateless, stateful, statelessTemplate: template } = synthTemplates();
  const processing = stateless.events;
  const idOf = (construct: Parameters<typeof logicalIdOf>[1]) => logicalIdOf(stateless, construct);
  const fnId = (key: string) => {
    const fn = processing.functions.get(key);
    if (!fn) throw new Error(`no function ${key}`);
    return idOf(fn);
  };
  const roleStatements = (key: string): Statement[] => statementsOfRole(template, idOf(processing.functions.get(key)!.role!));
  const actionsOf = (statements: Statement[]) => statements.flatMap((statement) => asList(statement.Action));
  const envOf = (key: string) =>
    (resourceOf(template, fnId(key)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;

  // References the stateless stack makes to the stateful one (imports of its exports).
  const tableArn = stateless.resolve(stateful.table.tableArn) as unknown;
  const tableName = stateless.resolve(stateful.table.tableName) as unknown;
  const streamArn = stateless.resolve(stateful.table.tableStreamArn) as unknown;
  const busArn = stateless.resolve(stateful.eventBus.eventBusArn) as unknown;
  const busName = stateless.resolve(stateful.eventBus.eventBusName) as unknown;
  const indexArnsOf = (indexes: readonly string[]) => indexes.map((index) => ({ 'Fn::Join': ['', [tableArn, `/index/${index}`]] }));

  /** The alarm on a queue's visible messages, if any (the DLQ's own, or the one over several DLQs). */
  const visibleMessagesAlarms = (queueId: string) => visibleMessagesAlarmsOf(template, queueId);

  const queuePolicyStatements = (queueId: string): Statement[] =>
    resourcesOfType(template, 'AWS::SQS::QueuePolicy', { Queues: [{ Ref: queueId }] }).flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );

  describe('publish-events (table stream → bus)', () => {
    const mapping = () => {
      const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fnId('stream/publish-events') },
      });
      expect(mappings).toHaveLength(1);
      return mappings[0]!.Properties;
    };

    it("reads the table's stream from the oldest record, one batch per shard at a time", () => {
      // Act / Assert
      expect(mapping()).toMatchObject({
        EventSourceArn: streamArn,
        StartingPosition: 'TRIM_HORIZON',
        ParallelizationFactor: 1,
      });
    });

    it('receives only inserted history items (FilterCriteria: INSERT and entity = event)', () => {
      // Act
      const filters = (mapping().FilterCriteria as { Filters: { Pattern: string }[] }).Filters;

      // Assert
      expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([
        { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['event'] } } } },
      ]);
    });

    it('reports batch item failures, bisects failing batches, and gives up after bounded retries and age', () => {
      // Act
      const properties = mapping();

      // Assert
      expect(properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(properties.BisectBatchOnFunctionError).toBe(true);
      // -1 would mean "until the record expires from the stream": both must be real bounds.
      expect(properties.MaximumRetryAttempts).toBe(10);
      expect(properties.MaximumRecordAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(properties.MaximumRecordAgeInSeconds).toBeLessThan(24 * 60 * 60);
    });

    it('sends what it gives up on to an encrypted, TLS-only failure queue that raises an alarm', () => {
      // Arrange
      const failuresId = idOf(processing.publishFailures.queue);

      // Act
      const destination = (mapping().DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination;

      // Assert
      expect(destination).toEqual(getAtt(failuresId));
      expect(resourceOf(template, failuresId).Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: FOURTEEN_DAYS,
      });
      expect(visibleMessagesAlarms(failuresId)).toHaveLength(1);
      const sqsStatements = roleStatements('stream/publish-events').filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('sqs:')),
      );
      expect(actionsOf(sqsStatements)).toContain('sqs:SendMessage');
      for (const statement of sqsStatements) expect(statement.Resource).toEqual(getAtt(failuresId));
    });

    it('learns the bus name from EVENT_BUS_NAME, and nothing about the table', () => {
      // Act
      const variables = envOf('stream/publish-events');

      // Assert
      expect(variables[EVENT_BUS_NAME_ENV]).toEqual(busName);
      expect(variables).not.toHaveProperty(TABLE_NAME_ENV);
    });

    it('may put events on the helpdesk bus only', () => {
      // Act
      const putEvents = roleStatements('stream/publish-events').filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('events:')),
      );

      // Assert
      expect(putEvents).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }]);
    });

    it("may read the table's stream and nothing else of the table (no item actions)", () => {
      // Act
      const dynamoStatements = roleStatements('stream/publish-events').filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('dynamodb:')),
      );

      // Assert
      expect([...new Set(actionsOf(dynamoStatements))].sort()).toEqual([...STREAM_READ_ACTIONS].sort());
      for (const statement of dynamoStatements) expect(statement.Resource).toEqual(streamArn);
    });

    it('raises an alarm when events reach the bus late', () => {
      // Act / Assert
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId('stream/publish-events') } }],
        ComparisonOperator: 'GreaterThanThreshold',
      });
    });
  });

  describe.each(POLLED.map((spec) => [spec.name, spec] as const))('queue %s', (_name, spec) => {
    const consumer = () => processing.queues.get(spec.name)!;
    const queueId = () => idOf(consumer().queue!);
    const deadLetterId = () => idOf(consumer().deadLetter.queue);
    const consumerKey = `queue/${spec.handler}`;

    it("is encrypted (SSE-SQS), with the spec's visibility timeout and a redrive after maxReceiveCount", () => {
      // Act / Assert
      expect(resourceOf(template, queueId()).Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: spec.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: getAtt(deadLetterId()), maxReceiveCount: spec.maxReceiveCount },
      });
    });

    it('has a dead-letter queue that is encrypted, keeps messages 14 days and raises an alarm on the first', () => {
      // Act
      const alarms = visibleMessagesAlarms(deadLetterId());

      // Assert
      expect(resourceOf(template, deadLetterId()).Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: FOURTEEN_DAYS,
      });
      expect(alarms).toHaveLength(1);
      expect(alarms[0]!.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    });

    it(`feeds functions/queue/${spec.handler}.ts in batches of ${spec.batchSize}, reporting batch item failures`, () => {
      // Act
      const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping', { EventSourceArn: getAtt(queueId()) });

      // Assert
      expect(existsSync(path.join(PROJECT_ROOT, 'functions', 'queue', `${spec.handler}.ts`))).toBe(true);
      expect(mappings).toHaveLength(1);
      expect(mappings[0]!.Properties).toMatchObject({
        FunctionName: { Ref: fnId(consumerKey) },
        BatchSize: spec.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('has a consumer that times out well within the visibility timeout (at most a sixth)', () => {
      // Act
      const timeout = resourceOf(template, fnId(consumerKey)).Properties.Timeout as number;

      // Assert
      expect(timeout).toBeGreaterThan(0);
      expect(timeout * 6).toBeLessThanOrEqual(spec.visibilityTimeoutSeconds);
    });

    it('has a consumer that knows the table name', () => {
      // Act / Assert
      expect(envOf(consumerKey)[TABLE_NAME_ENV]).toEqual(tableName);
    });

    it('has a consumer that may receive and delete from its own queue only', () => {
      // Act
      const sqsStatements = roleStatements(consumerKey).filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('sqs:')),
      );

      // Assert
      expect(sqsStatements.length).toBeGreaterThan(0);
      for (const statement of sqsStatements) expect(statement.Resource).toEqual(getAtt(queueId()));
    });
  });

  describe.each(BUS_INVOKED.map((spec) => [spec.name, spec] as const))('bus-invoked consumer %s', (_name, spec) => {
    const consumer = () => processing.queues.get(spec.name)!;
    const consumerKey = `queue/${spec.handler}`;
    const rulesOf = () => RULES.filter((rule) => rule.queue === spec.name);

    it('has no queue and no event source mapping: nothing polls while the desk is idle', () => {
      // Act
      const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping', { FunctionName: { Ref: fnId(consumerKey) } });

      // Assert
      expect(consumer().queue).toBeUndefined();
      expect(mappings).toEqual([]);
      expect(existsSync(path.join(PROJECT_ROOT, 'functions', 'queue', `${spec.handler}.ts`))).toBe(true);
    });

    it(
      RULES.some((rule) => rule.queue === spec.name)
        ? 'is the target of its rules, which retry and dead-letter what they cannot deliver, and may be invoked by them alone'
        : 'is the target of no rule, and gives no service leave to invoke it (the functions that start it have IAM leave)',
      () => {
        // Act
        const targets = rulesOf().flatMap(
          (rule) => resourceOf(template, idOf(processing.rules.get(rule.name)!.rule)).Properties.Targets as Record<string, unknown>[],
        );
        const permissions = resourcesOfType(template, 'AWS::Lambda::Permission', { FunctionName: getAtt(fnId(consumerKey)) });

        // Assert
        // The export worker: invoked by the route that starts an export, and by itself (integrations.test.ts)
        if (spec.exports) expect(rulesOf()).toEqual([]);
        else expect(rulesOf().length).toBeGreaterThan(0);
        for (const target of targets)
          expect(target).toMatchObject({
            Arn: getAtt(fnId(consumerKey)),
            DeadLetterConfig: { Arn: getAtt(idOf(processing.rules.get(rulesOf()[0]!.name)!.deliveryDeadLetter.queue)) },
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
          });
        expect(permissions.map((permission) => permission.Properties)).toEqual(
          rulesOf().map((rule) =>
            expect.objectContaining({
              Action: 'lambda:InvokeFunction',
              Principal: 'events.amazonaws.com',
              SourceArn: getAtt(idOf(processing.rules.get(rule.name)!.rule)),
            }),
          ),
        );
      },
    );

    it(`retries a failed event ${spec.maxReceiveCount - 1} times, then puts Lambda's record of it in its own dead-letter queue (alarmed)`, () => {
      // Act
      const configs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: fnId(consumerKey) } });
      const sends = roleStatements(consumerKey).filter((statement) => asList(statement.Action).includes('sqs:SendMessage'));

      // Assert
      expect(configs.map((config) => config.Properties)).toEqual([
        expect.objectContaining({
          MaximumRetryAttempts: spec.maxReceiveCount - 1,
          MaximumEventAgeInSeconds: 6 * 3600,
          DestinationConfig: { OnFailure: { Destination: getAtt(idOf(consumer().deadLetter.queue)) } },
        }),
      ]);
      expect(sends.map((statement) => statement.Resource)).toEqual([getAtt(idOf(consumer().deadLetter.queue))]);
      expect(resourceOf(template, idOf(consumer().deadLetter.queue)).Properties).toMatchObject({ MessageRetentionPeriod: FOURTEEN_DAYS });
      expect(visibleMessagesAlarms(idOf(consumer().deadLetter.queue))).toHaveLength(1);
    });
  });

  describe.each(RULES.filter((rule) => POLLED.some((spec) => spec.name === rule.queue)).map((spec) => [spec.name, spec] as const))(
    'rule %s',
    (_name, spec) => {
      const rule = () => resourceOf(template, idOf(processing.rules.get(spec.name)!.rule));
      const targetQueueId = () => idOf(processing.queues.get(spec.queue)!.queue!);

      it('is on the helpdesk bus, with exactly the pattern of rules.ts', () => {
        // Act
        const properties = rule().Properties;

        // Assert
        expect(properties.EventBusName).toEqual(busName);
        expect(properties.EventPattern).toEqual(JSON.parse(JSON.stringify(spec.pattern)));
        expect(properties.State).toBe('ENABLED');
      });

      it(`targets the ${spec.queue} queue, with retries and a dead-letter queue that raises an alarm`, () => {
        // Act
        const targets = rule().Properties.Targets as {
          Arn: unknown;
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [string, string] } };
          RetryPolicy: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
        }[];

        // Assert
        expect(targets).toHaveLength(1);
        expect(targets[0]!.Arn).toEqual(getAtt(targetQueueId()));
        expect(targets[0]!.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
        expect(targets[0]!.RetryPolicy.MaximumEventAgeInSeconds).toBeGreaterThan(0);
        const deliveryDeadLetterId = targets[0]!.DeadLetterConfig.Arn['Fn::GetAtt'][0];
        expect(deliveryDeadLetterId).not.toBe(targetQueueId());
        expect(resourceOf(template, deliveryDeadLetterId).Properties).toMatchObject({ SqsManagedSseEnabled: true });
        expect(visibleMessagesAlarms(deliveryDeadLetterId)).toHaveLength(1);
      });

      it(`is a sender the ${spec.queue} queue's policy allows, which allows no one but the rules that target it`, () => {
        // Arrange
        const rulesOfQueue = RULES.filter((candidate) => candidate.queue === spec.queue).map((candidate) =>
          getAtt(idOf(processing.rules.get(candidate.name)!.rule)),
        );

        // Act
        const allows = queuePolicyStatements(targetQueueId()).filter((statement) => statement.Effect === 'Allow');
        const senders = allows.map(
          (allow) => (allow.Condition as { ArnEquals?: Record<string, unknown> } | undefined)?.ArnEquals?.['aws:SourceArn'],
        );

        // Assert
        expect(allows).toHaveLength(rulesOfQueue.length);
        for (const allow of allows) {
          expect(allow.Principal).toEqual({ Service: 'events.amazonaws.com' });
          expect(asList(allow.Action)).toContain('sqs:SendMessage');
        }
        expect(senders).toEqual(expect.arrayContaining(rulesOfQueue)); // so none is unconditional or another's
        expect(senders).toContainEqual(getAtt(idOf(processing.rules.get(spec.name)!.rule)));
      });
    },
  );

  it('deploys the webhooks queue only with a subscription, and the chat queue only with a chat channel on', () => {
    // Arrange
    const config = structuredClone(loadConfig()) as { channels: Record<string, unknown>; webhooks: unknown[] };
    delete config.channels.telegram;
    delete config.channels.whatsapp;

    // Act
    const shipped = [...processing.queues.keys()];
    const quiet = synthTemplates({ config });
    const quietMappings = resourcesOfType(quiet.statelessTemplate, 'AWS::Lambda::EventSourceMapping');

    // Assert: each queue is an event source mapping polling it all month, busy or not.
    expect(shipped).not.toContain('webhooks');
    expect(shipped).toContain('chat');
    expect([...quiet.stateless.events.queues.keys()]).toEqual(
      QUEUES.map((queue) => queue.name).filter((name) => name !== 'webhooks' && name !== 'chat'),
    );
    expect([...quiet.stateless.events.rules.keys()]).not.toContain('notify-chat');
    expect(quietMappings).toHaveLength(POLLED.length - 1 + 1); // the chat queue's gone, the stream's besides
  });

  it("gives every rule one shared delivery dead-letter queue, and every schedule another, besides the consumers' own", () => {
    // Act
    const ruleDeadLetters = new Set([...processing.rules.values()].map((rule) => idOf(rule.deliveryDeadLetter.queue)));
    const scheduleDeadLetters = new Set([...processing.schedules.values()].map((job) => idOf(job.deliveryDeadLetter.queue)));
    const deadLetterQueues = resourcesOfType(template, 'AWS::SQS::Queue').filter(
      (queue) => queue.Properties.MessageRetentionPeriod === FOURTEEN_DAYS,
    );

    // Assert: the consumers' two (redriven by npm run redrive), the rules', the schedules', publish-events' failures,
    // and the inbound mail's failed mails (inbound-mail.test.ts).
    expect(ruleDeadLetters.size).toBe(1);
    expect(scheduleDeadLetters.size).toBe(1);
    expect([...ruleDeadLetters][0]).not.toBe([...scheduleDeadLetters][0]);
    expect(deadLetterQueues).toHaveLength(2 + 4);
  });

  it('dead-letters every polled queue into one shared queue, and every consumer Lambda invokes itself into another', () => {
    // Act
    const deadLetterOf = (specs: readonly QueueSpec[]) =>
      new Set(specs.map((spec) => idOf(processing.queues.get(spec.name)!.deadLetter.queue)));
    const polled = deadLetterOf(POLLED);
    const invoked = deadLetterOf(QUEUES.filter((spec) => spec.invocation === 'async' && processing.queues.has(spec.name)));

    // Assert: one each, not the same (SQS's dead letters and Lambda's on-failure records are redriven differently)
    expect(polled.size).toBe(1);
    expect(invoked.size).toBe(1);
    expect([...polled][0]).not.toBe([...invoked][0]);
  });

  it('maps an EventBridge pattern key it does not know to an error, not to a rule that never matches', () => {
    // Arrange
    const spec = { ...RULES[0]!, pattern: { detail_type: ['TicketCreated'] } };

    // Act / Assert
    expect(() => toEventPattern(spec)).toThrow(/detail_type/);
  });

  describe.each(SCHEDULES.map((spec) => [spec.name, spec] as const))('schedule %s', (_name, spec) => {
    const scheduled = () => processing.schedules.get(spec.name)!;
    const jobKey = `schedule/${spec.handler}`;

    it(`runs functions/schedule/${spec.handler}.ts on ${spec.expression}, on the default bus`, () => {
      // Act
      const properties = resourceOf(template, idOf(scheduled().rule)).Properties;

      // Assert
      expect(existsSync(path.join(PROJECT_ROOT, 'functions', 'schedule', `${spec.handler}.ts`))).toBe(true);
      expect(properties.ScheduleExpression).toBe(spec.expression);
      expect(properties).not.toHaveProperty('EventBusName');
      expect(properties.Targets).toEqual([
        expect.objectContaining({
          Arn: getAtt(fnId(jobKey)),
          DeadLetterConfig: { Arn: getAtt(idOf(scheduled().deliveryDeadLetter.queue)) },
          RetryPolicy: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) },
        }),
      ]);
      expect(visibleMessagesAlarms(idOf(scheduled().deliveryDeadLetter.queue))).toHaveLength(1);
    });

    it('sends the record of a failed run to the same dead-letter queue, without retrying it (the next run is the retry)', () => {
      // Act
      const configs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: fnId(jobKey) } });

      // Assert
      expect(configs.map((config) => config.Properties)).toEqual([
        expect.objectContaining({
          MaximumRetryAttempts: 0,
          DestinationConfig: { OnFailure: { Destination: getAtt(idOf(scheduled().deliveryDeadLetter.queue)) } },
        }),
      ]);
      const sends = roleStatements(jobKey).filter((statement) => asList(statement.Action).includes('sqs:SendMessage'));
      expect(sends.map((statement) => statement.Resource)).toContainEqual(getAtt(idOf(scheduled().deliveryDeadLetter.queue)));
    });

    it('may be invoked by its schedule rule only', () => {
      // Act
      const permissions = resourcesOfType(template, 'AWS::Lambda::Permission', { FunctionName: getAtt(fnId(jobKey)) });

      // Assert
      expect(permissions.map((permission) => permission.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: getAtt(fnId(jobKey)),
          Principal: 'events.amazonaws.com',
          SourceArn: getAtt(idOf(scheduled().rule)),
        },
      ]);
    });

    it('finishes before the next run, and never retries a stale run (the next run is the retry)', () => {
      // Act
      const timeout = resourceOf(template, fnId(jobKey)).Properties.Timeout as number;

      // Assert
      expect(timeout * 1000).toBeLessThan(spec.everyMs);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId(jobKey) },
        MaximumRetryAttempts: 0,
      });
    });

    it('has a job that knows the table name', () => {
      // Act / Assert
      expect(envOf(jobKey)[TABLE_NAME_ENV]).toEqual(tableName);
    });
  });

  it('lets the sweeper send to exactly the queues it re-drives into (and its own dead-letter queue, for a failed run), and tells it their URLs', () => {
    // Arrange
    const sweep = SCHEDULES.find((spec) => spec.handler === 'sweep-stuck-work')!;
    const key = `schedule/${sweep.handler}`;
    const queueArns = [
      ...sweep.sendsTo!.map((name) => getAtt(idOf(processing.queues.get(name)!.queue!))),
      getAtt(idOf(processing.schedules.get(sweep.name)!.deliveryDeadLetter.queue)),
    ];

    // Act
    const sqsStatements = roleStatements(key).filter((statement) => asList(statement.Action).some((action) => action.startsWith('sqs:')));

    // Assert
    expect(sweep.sendsTo).toEqual(['routing', 'notify', 'stats']);
    const resources = sqsStatements.flatMap((statement) => asList(statement.Resource));
    expect(resources).toHaveLength(queueArns.length);
    expect(resources).toEqual(expect.arrayContaining(queueArns));
    for (const statement of sqsStatements)
      expect(asList(statement.Action).filter((action) => action.startsWith('sqs:'))).toEqual([
        'sqs:SendMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
      ]);
    for (const name of sweep.sendsTo!) expect(envOf(key)[queueUrlEnv(name)]).toEqual({ Ref: idOf(processing.queues.get(name)!.queue!) });
  });

  it('checks the SLA clocks every minute', () => {
    // Act
    const checkSla = SCHEDULES.find((spec) => spec.handler === 'check-sla');

    // Assert
    expect(checkSla?.expression).toBe('rate(1 minute)');
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: getAtt(fnId('schedule/check-sla')) })],
    });
  });

  // Queue consumers and scheduled jobs: exactly their spec's table actions, on the table and its indexes.
  const tableUsers: [string, TableAccess][] = [
    ...DEPLOYED.map((spec) => [`queue/${spec.handler}`, spec] as [string, TableAccess]),
    ...SCHEDULES.map((spec) => [`schedule/${spec.handler}`, spec] as [string, TableAccess]),
  ];
  describe.each(tableUsers)('function %s', (key, access) => {
    it('may perform exactly its DynamoDB actions from the spec, and Scan only to export', () => {
      // Act
      const dynamoActions = new Set(actionsOf(roleStatements(key)).filter((action) => action.startsWith('dynamodb:')));

      // Assert
      const expected = new Set([...access.tableActions, ...(access.queryIndexes.length > 0 ? ['dynamodb:Query'] : [])]);
      expect([...dynamoActions].sort()).toEqual([...expected].sort());
      expect(dynamoActions.has('dynamodb:Scan')).toBe(key === 'queue/export-tickets');
    });

    it('has DynamoDB access only to the helpdesk table, and Query on exactly the indexes it names', () => {
      // Act
      const dynamoStatements = roleStatements(key).filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('dynamodb:')),
      );
      const resources = dynamoStatements.flatMap((statement) => asList(statement.Resource));

      // Assert
      const named = indexArnsOf(access.queryIndexes);
      for (const resource of resources) expect([tableArn, ...named]).toContainEqual(resource);
      for (const indexArn of named) expect(resources).toContainEqual(indexArn);
      // Indexes are only ever queried.
      const onIndexes = dynamoStatements.filter((statement) => !isEqual(statement.Resource, tableArn));
      for (const statement of onIndexes) expect(statement.Action).toEqual('dynamodb:Query');
    });
  });

  describe('every function of the events part', () => {
    it.each([...processing.functions.keys()])('%s: no wildcard action, and "*" only for X-Ray', (key) => {
      // Act
      const statements = roleStatements(key);

      // Assert
      expect(actionsOf(statements).filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
      for (const statement of statements.filter((s) => asList(s.Resource).includes('*'))) {
        for (const action of asList(statement.Action)) expect(action).toMatch(/^xray:/);
      }
    });
  });

  describe('the whole stateless stack', () => {
    it('reports batch item failures on every event source mapping', () => {
      // Act
      const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping');

      // Assert
      expect(mappings.length).toBe(POLLED.length + 1);
      for (const mapping of mappings) expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    });

    it('has only encrypted, TLS-only queues, each either redriven to a DLQ or a DLQ with an alarm', () => {
      // Act
      const queueIds = Object.keys(template.findResources('AWS::SQS::Queue'));

      // Assert
      expect(queueIds.length).toBeGreaterThan(0);
      for (const queueId of queueIds) {
        const properties = resourceOf(template, queueId).Properties;
        expect(properties.SqsManagedSseEnabled, queueId).toBe(true);
        expect(queuePolicyStatements(queueId), queueId).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
        if (properties.RedrivePolicy) {
          const redrive = properties.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': [string] } };
          const deadLetterId = redrive.deadLetterTargetArn['Fn::GetAtt'][0];
          expect(visibleMessagesAlarms(deadLetterId), queueId).toHaveLength(1);
        } else {
          expect(visibleMessagesAlarms(queueId), queueId).toHaveLength(1);
        }
      }
    });
  });
});
