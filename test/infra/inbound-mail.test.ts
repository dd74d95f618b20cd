// Inbound mail in the CDK app: the mail bucket (stateful: encrypted, TLS only, never public, lifecycle per
// prefix, SES may put raw mail for this account's receipt rule only) and the intake (stateless: the receipt
// rule stores then invokes, the function may do exactly what it does, failures end in an alarmed DLQ).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ATTACHMENTS_PREFIX,
  attachmentRetentionDays,
  EXPORT_DAYS,
  INBOUND_PREFIX,
  OPEN_TICKET_ALLOWANCE_DAYS,
  RAW_MAIL_DAYS,
  receiptRuleNames,
  UNLINKED_UPLOAD_DAYS,
} from '#infra/constructs/inbound-mail.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { EXPORT_PREFIX } from '#shared/domain/portability/export-tickets.ts';
import { LINKED_PREFIX, UPLOAD_PREFIX } from '#shared/domain/tickets/attachments.ts';
import { buildTestApp, synthTemplates } from './build-test-app.ts';
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

const config = loadConfig();
const DOMAIN = config.organisation.senderAddress.split('@')[1]!.toLowerCase();
const { ruleSetName, ruleName } = receiptRuleNames('dev');
const RULE_ARN = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ses:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:receipt-rule-set/${ruleSetName}:receipt-rule/${ruleName}`,
    ],
  ],
};

describe('StatefulStack: the mail bucket', () => {
  // Arrange (shared): one synthesis for the whole describe.
  const { stateful, statefulTemplate: template } = synthTemplates();
  const bucketId = logicalIdOf(stateful, stateful.mail.bucket);
  const bucket = resourceOf(template, bucketId) as ReturnType<typeof resourceOf> & { DeletionPolicy?: string };
  const policyStatements = (): Statement[] =>
    resourcesOfType(template, 'AWS::S3::BucketPolicy', { Bucket: { Ref: bucketId } }).flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );

  it('is encrypted at rest (SSE-S3), never public, unversioned and retained', () => {
    // Assert
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.Properties).not.toHaveProperty('VersioningConfiguration');
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('refuses every request that is not over TLS', () => {
    // Act / Assert
    expect(policyStatements()).toContainEqual({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Resource: [getAtt(bucketId), { 'Fn::Join': ['', [getAtt(bucketId), '/*']] }],
    });
  });

  it(`expires raw mail after ${RAW_MAIL_DAYS} days and attachments after the configured retention plus a year`, () => {
    // Act
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;

    // Assert
    expect(attachmentRetentionDays(config)).toBe(config.retention.closedTicketDays + OPEN_TICKET_ALLOWANCE_DAYS);
    expect(rules).toEqual([
      { Id: 'raw-mail', Prefix: INBOUND_PREFIX, ExpirationInDays: RAW_MAIL_DAYS, Status: 'Enabled' },
      { Id: 'attachments', Prefix: ATTACHMENTS_PREFIX, ExpirationInDays: attachmentRetentionDays(config), Status: 'Enabled' },
      { Id: 'incomplete-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
      { Id: 'exports', Prefix: EXPORT_PREFIX, ExpirationInDays: EXPORT_DAYS, Status: 'Enabled' },
      { Id: 'unlinked-uploads', Prefix: UPLOAD_PREFIX, ExpirationInDays: UNLINKED_UPLOAD_DAYS, Status: 'Enabled' },
    ]);
    // Linked API files live under attachments/: the same retention, and erasure's DeleteObject reaches them.
    expect(LINKED_PREFIX.startsWith(ATTACHMENTS_PREFIX)).toBe(true);
  });

  it("lets SES put raw mail under inbound/ only, for this account's receipt rule only", () => {
    // Act
    const allows = policyStatements().filter((statement) => statement.Effect === 'Allow');

    // Assert: the only Allow in the policy
    expect(allows).toEqual([
      {
        Sid: 'AllowSesReceiptRulePut',
        Effect: 'Allow',
        Principal: { Service: 'ses.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [getAtt(bucketId), `/${INBOUND_PREFIX}*`]] },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': RULE_ARN } },
      },
    ]);
  });
});

describe('StatelessStack: inbound mail', () => {
  // Arrange (shared): one synthesis for the whole describe.
  const { stateful, stateless, statelessTemplate: template, httpFunctionsTemplate } = synthTemplates();
  const intake = stateless.inboundMail!;
  /** Its logical id in its own stack's template (the stateless stack's, or the nested HttpFunctions stack's). */
  const idOf = (construct: Parameters<typeof logicalIdOf>[1]) => logicalIdOf(Stack.of(construct), construct);
  const fnId = idOf(intake.function);
  const dlqId = idOf(intake.deadLetter.queue);
  const bucketArnImport = { 'Fn::ImportValue': stateful.mail.bucketArnExportName };
  const imported = (value: unknown) => stateless.resolve(value) as unknown;

  it('has a rule set and a rule for the receiving domain that scans for spam and viruses', () => {
    // Act
    const ruleSets = resourcesOfType(template, 'AWS::SES::ReceiptRuleSet');
    const rules = resourcesOfType(template, 'AWS::SES::ReceiptRule');

    // Assert
    expect(ruleSets.map((set) => set.Properties)).toEqual([{ RuleSetName: ruleSetName }]);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties).toMatchObject({
      RuleSetName: { Ref: idOf(intake.ruleSet!) },
      Rule: { Name: ruleName, Enabled: true, ScanEnabled: true, Recipients: [DOMAIN] },
    });
  });

  it('stores the mail under inbound/ first, then invokes the function asynchronously', () => {
    // Act
    const actions = (resourcesOfType(template, 'AWS::SES::ReceiptRule')[0]!.Properties.Rule as { Actions: unknown[] }).Actions;

    // Assert: order matters: the function reads what the S3 action wrote
    expect(actions).toEqual([
      { S3Action: { BucketName: imported(stateful.mail.bucket.bucketName), ObjectKeyPrefix: INBOUND_PREFIX } },
      { LambdaAction: { FunctionArn: getAtt(fnId), InvocationType: 'Event' } },
    ]);
  });

  it('may be invoked by SES for this rule only, and the rule waits for that permission', () => {
    // Act
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission', { Principal: 'ses.amazonaws.com' });
    const rule = Object.values(template.findResources('AWS::SES::ReceiptRule'))[0] as { DependsOn?: string[] };

    // Assert
    expect(permissions.map((permission) => permission.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: getAtt(fnId),
        Principal: 'ses.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: RULE_ARN,
      },
    ]);
    expect(rule.DependsOn).toEqual([idOf(intake.node.findChild('AllowSesInvoke'))]);
  });

  it('runs functions/email/inbound-mail with the bucket, the prefix, the table and the signing key', () => {
    // Act
    const properties = resourceOf(template, fnId).Properties;

    // Assert
    expect(properties.Environment.Variables).toMatchObject({
      MAIL_BUCKET: imported(stateful.mail.bucket.bucketName),
      MAIL_PREFIX: INBOUND_PREFIX,
      TABLE_NAME: imported(stateful.table.tableName),
      SIGNING_KEY_PARAMETER: stateful.signingKey.parameterName,
    });
    expect(properties.Timeout).toBeLessThan(300); // under the Message-ID claim's 5-minute lock
  });

  it('may do exactly what the handler does: read inbound/, write attachments/, four item actions and the directory, read the key', () => {
    // Act
    const statements = statementsOfRole(template, idOf(intake.function.role!));
    const byService = (prefix: string) =>
      statements.filter((statement) => asList(statement.Action).some((action) => action.startsWith(prefix)));

    // Assert
    expect(byService('s3:')).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArnImport, `/${INBOUND_PREFIX}*`]] } },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [bucketArnImport, `/${ATTACHMENTS_PREFIX}*`]] } },
    ]);
    // GetItem (tickets, number pointers, idempotency records), PutItem (claims, tickets, history), UpdateItem
    // (counters, marking done), DeleteItem (giving a claim back), Query on the table (the staff directory:
    // is the sender staff?). No Scan, no index.
    expect(byService('dynamodb:')).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
        Resource: imported(stateful.table.tableArn),
      },
    ]);
    // The signing key: read only (reply and bounce addresses are verified here, signed by notify alone).
    expect(byService('secretsmanager:')).toEqual([]);
    expect(byService('ssm:')).toEqual([
      { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: stateless.resolve(stateful.signingKey.parameterArn) },
    ]);
    // The on-failure destination: its own dead-letter queue only.
    expect(byService('sqs:').map((statement) => statement.Resource)).toEqual([getAtt(dlqId)]);
    // Nothing else but its log group and X-Ray.
    const services = new Set(statements.flatMap((statement) => asList(statement.Action)).map((action) => action.split(':')[0]));
    expect([...services].sort()).toEqual(['dynamodb', 'logs', 's3', 'sqs', 'ssm', 'xray']);
  });

  it('is retried twice within 6 hours, then the event goes to the dead-letter queue', () => {
    // Act
    const configs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: fnId } });

    // Assert
    expect(configs).toHaveLength(1);
    expect(configs[0]!.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: getAtt(dlqId) } },
    });
  });

  it('has an encrypted, TLS-only dead-letter queue that keeps events 14 days and raises an alarm on the first', () => {
    // Act
    const queue = resourceOf(template, dlqId).Properties;
    const policies = resourcesOfType(template, 'AWS::SQS::QueuePolicy', { Queues: [{ Ref: dlqId }] });
    const alarms = visibleMessagesAlarmsOf(template, dlqId);

    // Assert
    expect(queue).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    expect((policies[0]!.Properties.PolicyDocument as { Statement: Statement[] }).Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
  });

  it('is the only function that can read or write the mail bucket; erasure may only delete attachments, exports only touch exports/, the file routes each their own prefix', () => {
    // Arrange
    const roleOf = (policy: { Properties: Record<string, unknown> }) => JSON.stringify(asList(policy.Properties.Roles as unknown[]));
    const eraser = JSON.stringify([{ Ref: idOf(stateless.functions.get('erase-requester')!.role!) }]);
    // The API's files (routes.ts `attachments`): each route holds its own actions, on its own prefix.
    const fileRoutes = ['request-upload', 'add-comment', 'get-attachment', 'track-upload', 'track-comment', 'track-attachment'];
    const fileRole = (handler: string) => JSON.stringify([{ Ref: idOf(stateless.functions.get(handler)!.role!) }]);
    const exporters = [stateless.functions.get('get-export')!, stateless.events.functions.get('queue/export-tickets')!].map((fn) =>
      JSON.stringify([{ Ref: idOf(fn.role!) }]),
    );
    const s3Statements = (policy: { Properties: Record<string, unknown> }) =>
      (asList((policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement) as { Action: unknown; Resource: unknown }[]).filter(
        (statement) => JSON.stringify(statement.Action).includes('s3:'),
      );

    // Act
    // Every policy of the stateless stack and of its nested HttpFunctions stack (the HTTP routes' roles).
    const others = [template, httpFunctionsTemplate]
      .flatMap((each) => resourcesOfType(each, 'AWS::IAM::Policy'))
      .filter(
        (policy) =>
          !asList(policy.Properties.Roles as unknown[]).some(
            (role) => JSON.stringify(role) === JSON.stringify({ Ref: idOf(intake.function.role!) }),
          ),
      );
    const eraserStatements = others
      .filter((policy) => roleOf(policy) === eraser)
      .flatMap(
        (policy) =>
          asList((policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement) as { Action: unknown; Resource: unknown }[],
      )
      .filter((statement) => JSON.stringify(statement.Action).includes('s3:'));
    // The console's deployment writes the console bucket (and only it): see console-hosting.test.ts.
    const consoleDeployer = (policy: { Properties: Record<string, unknown> }) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes(stateful.console.bucketArnExportName);
    const exporterStatements = others.filter((policy) => exporters.includes(roleOf(policy))).flatMap(s3Statements);
    const fileGrants = (handler: string) =>
      others
        .filter((policy) => roleOf(policy) === fileRole(handler))
        .flatMap(s3Statements)
        .map((statement) => [
          JSON.stringify(statement.Action),
          JSON.stringify(statement.Resource).match(/\/([a-z]+\/)\*|MailBucketArn"\}\]?\}?$/)?.[1] ?? 'bucket',
          (statement as { Condition?: unknown }).Condition ?? null,
        ])
        .sort();
    const rest = others.filter(
      (policy) =>
        roleOf(policy) !== eraser &&
        !exporters.includes(roleOf(policy)) &&
        !fileRoutes.map(fileRole).includes(roleOf(policy)) &&
        !consoleDeployer(policy),
    );

    // Assert
    expect(eraserStatements).toHaveLength(1);
    expect(eraserStatements[0]!.Action).toBe('s3:DeleteObject');
    expect(JSON.stringify(eraserStatements[0]!.Resource)).toContain('/attachments/*');
    expect(exporterStatements.map((statement) => JSON.stringify(statement.Action)).sort()).toEqual([
      '"s3:GetObject"',
      '["s3:PutObject","s3:AbortMultipartUpload"]',
    ]);
    for (const statement of exporterStatements) expect(JSON.stringify(statement.Resource)).toContain(`/${EXPORT_PREFIX}*`);
    expect(fileGrants('request-upload')).toEqual([['"s3:PutObject"', UPLOAD_PREFIX, null]]);
    expect(fileGrants('add-comment')).toEqual([
      ['"s3:ListBucket"', 'bucket', { StringLike: { 's3:prefix': [`${UPLOAD_PREFIX}*`] } }],
      ['"s3:PutObject"', ATTACHMENTS_PREFIX, null],
      ['["s3:DeleteObject","s3:GetObject"]', UPLOAD_PREFIX, null],
    ]);
    expect(fileGrants('get-attachment')).toEqual([['"s3:GetObject"', ATTACHMENTS_PREFIX, null]]);
    // The tracking link's file routes hold what their signed-in counterparts hold.
    expect(fileGrants('track-upload')).toEqual(fileGrants('request-upload'));
    expect(fileGrants('track-comment')).toEqual(fileGrants('add-comment'));
    expect(fileGrants('track-attachment')).toEqual(fileGrants('get-attachment'));
    expect(JSON.stringify(rest.map((policy) => policy.Properties.PolicyDocument))).not.toContain(stateful.mail.bucketArnExportName);
    expect(JSON.stringify(rest.map((policy) => policy.Properties.PolicyDocument))).not.toMatch(/"s3:/);
    expect(JSON.stringify(others.filter(consoleDeployer))).not.toContain(stateful.mail.bucketArnExportName);
  });
});

describe('cdk-nag on inbound mail', () => {
  const outdirs: string[] = [];
  afterAll(() => {
    for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
  });

  it('has no unacknowledged finding in another stage either (the acknowledgements follow the export name)', () => {
    // Arrange
    const outdir = mkdtempSync(path.join(tmpdir(), 'helpdesk-cdk-'));
    outdirs.push(outdir);
    const { app } = buildTestApp({ outdir, context: { stage: 'prod' } });

    // Act
    app.synth();

    // Assert
    const file = path.join(outdir, VALIDATION_REPORT_FILE);
    const report = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as { pluginReports: { violations: unknown[] }[] })
      : { pluginReports: [] };
    expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
  });
});
