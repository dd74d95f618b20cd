// The mail-receiving switch (CDK context `mailReceiving`): off (no receipt rule, no inbound function, SES may
// not write to the bucket), here (inbound-mail.test.ts), or another region (a stack there with the raw-mail
// bucket, the receipt rule and a topic; the inbound function subscribes to the topic across regions and may
// read that bucket's inbound/ only). Each variant must pass cdk-nag, so the desk deploys in any region.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { INBOUND_PREFIX, RAW_MAIL_DAYS, receiptRuleNames } from '#infra/constructs/inbound-mail.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { buildTestApp, synthTemplates } from './build-test-app.ts';
import { asList, logicalIdOf, resourceOf, resourcesOfType, type Statement, statementsOfRole } from './template-queries.ts';

const DOMAIN = loadConfig().organisation.senderAddress.split('@')[1]!.toLowerCase();
const { ruleSetName, ruleName } = receiptRuleNames('dev');
const REGION = 'eu-west-1';
const REMOTE_BUCKET = { 'Fn::Join': ['', ['helpdesk-dev-mail-', { Ref: 'AWS::AccountId' }, `-${REGION}`]] };
const TOPIC_ARN = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sns:${REGION}:`, { Ref: 'AWS::AccountId' }, ':helpdesk-dev-inbound-mail']],
};

const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

/** Synthesizes with the given context and returns cdk-nag's findings (none when there is no report). */
const nagFindings = (context: Record<string, unknown>) => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'helpdesk-cdk-'));
  outdirs.push(outdir);
  buildTestApp({ outdir, context }).app.synth();
  const file = path.join(outdir, VALIDATION_REPORT_FILE);
  const report = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { pluginReports: { violations: unknown[] }[] })
    : { pluginReports: [] };
  return report.pluginReports.flatMap((plugin) => plugin.violations);
};

const bucketPolicyStatements = (template: Template): Statement[] =>
  resourcesOfType(template, 'AWS::S3::BucketPolicy').flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );

describe('mailReceiving=off', () => {
  // Arrange (shared)
  const built = synthTemplates({ context: { mailReceiving: 'off' } });

  it('has no receipt rule, no inbound function and no third stack', () => {
    // Assert
    expect(built.stateless.inboundMail).toBeUndefined();
    expect(resourcesOfType(built.statelessTemplate, 'AWS::SES::ReceiptRuleSet')).toEqual([]);
    expect(JSON.stringify(built.statelessTemplate.toJSON())).not.toContain('functions/email/inbound-mail');
    expect(built.receivingStack).toBeUndefined();
    expect(built.app.node.children.filter((child) => child.node.id.startsWith('Helpdesk-')).map((child) => child.node.id)).toEqual([
      'Helpdesk-dev-Stateful',
      'Helpdesk-dev-Stateless',
    ]);
  });

  it('lets SES write nothing to the mail bucket, which still keeps attachments', () => {
    // Assert
    const statements = bucketPolicyStatements(built.statefulTemplate);
    expect(JSON.stringify(statements)).not.toContain('ses.amazonaws.com');
    expect(built.stateful.mail.bucket).toBeDefined();
  });

  it('passes cdk-nag', () => {
    expect(nagFindings({ mailReceiving: 'off' })).toEqual([]);
  });
});

describe(`mailReceiving=${REGION} (the helpdesk elsewhere, SES receiving there)`, () => {
  // Arrange (shared)
  const built = synthTemplates({ context: { mailReceiving: REGION } });
  const receiving = built.receivingStack!;
  const remote = Template.fromStack(receiving);
  const intake = built.stateless.inboundMail!;
  const fnId = logicalIdOf(built.stateless, intake.function);

  it(`adds a stack in ${REGION}, deployed before the stateless stack`, () => {
    // Assert
    expect(receiving.stackName).toBe('Helpdesk-dev-MailReceiving');
    expect(receiving.region).toBe(REGION);
    expect(built.stateless.dependencies).toContain(receiving);
  });

  it('receives there: a rule for the domain that scans, stores under inbound/ and notifies the topic', () => {
    // Act
    const rules = resourcesOfType(remote, 'AWS::SES::ReceiptRule');
    const topics = resourcesOfType(remote, 'AWS::SNS::Topic');

    // Assert
    expect(resourcesOfType(remote, 'AWS::SES::ReceiptRuleSet').map((set) => set.Properties)).toEqual([{ RuleSetName: ruleSetName }]);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties.Rule).toMatchObject({ Name: ruleName, Enabled: true, ScanEnabled: true, Recipients: [DOMAIN] });
    expect(rules[0]!.Properties.Rule.Actions).toEqual([
      {
        S3Action: {
          BucketName: { Ref: logicalIdOf(receiving, receiving.receiving.bucket) },
          ObjectKeyPrefix: INBOUND_PREFIX,
          TopicArn: { Ref: logicalIdOf(receiving, receiving.receiving.topic) },
        },
      },
    ]);
    expect(topics.map((topic) => topic.Properties.TopicName)).toEqual(['helpdesk-dev-inbound-mail']);
    expect(remote.toJSON().Outputs.MailExchanger.Value).toBe(`10 inbound-smtp.${REGION}.amazonaws.com`);
  });

  it(`keeps raw mail there ${RAW_MAIL_DAYS} days in an encrypted bucket that only SES may write, for this rule only`, () => {
    // Act
    const bucket = resourceOf(remote, logicalIdOf(receiving, receiving.receiving.bucket));
    const allows = bucketPolicyStatements(remote).filter((statement) => statement.Effect === 'Allow');

    // Assert
    expect(bucket.Properties.BucketName).toEqual(REMOTE_BUCKET);
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Prefix: INBOUND_PREFIX, ExpirationInDays: RAW_MAIL_DAYS }),
    );
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Principal: { Service: 'ses.amazonaws.com' }, Action: 's3:PutObject' });
    expect(JSON.stringify(allows[0]!.Condition)).toContain(`receipt-rule-set/${ruleSetName}:receipt-rule/${ruleName}`);
  });

  it('lets SES publish to the topic for this rule only, over TLS only', () => {
    // Act
    const statements = resourcesOfType(remote, 'AWS::SNS::TopicPolicy').flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );

    // Assert
    const allow = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allow).toHaveLength(1);
    expect(allow[0]).toMatchObject({ Principal: { Service: 'ses.amazonaws.com' }, Action: 'sns:Publish' });
    expect(JSON.stringify(allow[0]!.Condition)).toContain(`receipt-rule/${ruleName}`);
    expect(
      statements.some((statement) => statement.Effect === 'Deny' && JSON.stringify(statement.Condition).includes('aws:SecureTransport')),
    ).toBe(true);
  });

  it('subscribes the inbound function to that topic across regions, and only SNS for that topic may invoke it', () => {
    // Act
    const subscriptions = resourcesOfType(built.statelessTemplate, 'AWS::SNS::Subscription');
    const permissions = resourcesOfType(built.statelessTemplate, 'AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
    });

    // Assert
    expect(subscriptions.map((subscription) => subscription.Properties)).toEqual([
      { Protocol: 'lambda', TopicArn: TOPIC_ARN, Endpoint: { 'Fn::GetAtt': [fnId, 'Arn'] }, Region: REGION },
    ]);
    expect(permissions.map((permission) => permission.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
        Principal: 'sns.amazonaws.com',
        SourceArn: TOPIC_ARN,
      },
    ]);
    expect(resourcesOfType(built.statelessTemplate, 'AWS::SES::ReceiptRuleSet')).toEqual([]);
  });

  it("reads raw mail from that bucket's inbound/ only, named with its region, and writes attachments here", () => {
    // Act
    const fn = resourceOf(built.statelessTemplate, fnId);
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const s3Statements = statementsOfRole(built.statelessTemplate, roleId).filter((statement) =>
      asList(statement.Action).some((action) => action.startsWith('s3:')),
    );

    // Assert
    expect(fn.Properties.Environment.Variables).toMatchObject({
      RAW_MAIL_BUCKET: REMOTE_BUCKET,
      RAW_MAIL_REGION: REGION,
      MAIL_PREFIX: INBOUND_PREFIX,
    });
    expect(s3Statements.map((statement) => [statement.Action, JSON.stringify(statement.Resource)])).toEqual([
      [
        's3:GetObject',
        JSON.stringify({
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':s3:::helpdesk-dev-mail-', { Ref: 'AWS::AccountId' }, `-${REGION}/inbound/*`],
          ],
        }),
      ],
      ['s3:PutObject', expect.stringContaining('/attachments/*') as unknown as string],
    ]);
  });

  it('lets SES write nothing to the stateful mail bucket', () => {
    expect(JSON.stringify(bucketPolicyStatements(built.statefulTemplate))).not.toContain('ses.amazonaws.com');
  });

  it('passes cdk-nag in all three stacks', () => {
    expect(nagFindings({ mailReceiving: REGION })).toEqual([]);
  });
});

describe('mailReceiving refuses what it cannot mean', () => {
  it.each(['somewhere', 'EU-WEST-1', 'eu-west'])('refuses "%s" and names the choices', (value) => {
    expect(() => buildTestApp({ context: { mailReceiving: value } })).toThrow(
      /CDK context "mailReceiving" must be "here" .*"off", or the name of a region where SES receives mail/,
    );
  });
});
