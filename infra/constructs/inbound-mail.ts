// Inbound mail in AWS: SES receipt rule → S3 (the raw mail under `inbound/`) → functions/email/inbound-mail
// (an asynchronous invocation with SES's receipt notification). Where SES receives is a switch (CDK context
// `mailReceiving`, MailReceiving below): in the stack's region, in another region where SES receives mail
// (remote-mail-receiving.ts: its own bucket and an SNS topic there, which this function subscribes to), or
// off. Two constructs here, one per stack:
// - MailBucket (stateful): the bucket holds requesters' mail and attachments, so it must outlive any
//   deployment of the code. When SES receives here, its policy lets SES write `inbound/*` for this
//   account's receipt rule only.
// - InboundMail (stateless): the receipt rule set and rule (or the subscription to the other region's
//   topic), the function with exactly the permissions it uses, its async retries and the dead-letter queue.
// The receipt rule's ARN is built from names fixed by the stage, so the stateful bucket policy can name it
// without a reference back to the stateless stack (which would make the two stacks depend on each other).
import { ArnFormat, Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { MAIL_BUCKET_ENV, MAIL_PREFIX_ENV, RAW_MAIL_BUCKET_ENV, RAW_MAIL_REGION_ENV } from '#shared/adapters/mail-bucket.ts';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { CORS_MAX_AGE_SECONDS, UPLOAD_CORS } from '#shared/console/console-headers.ts';
import { EXPORT_PREFIX } from '#shared/domain/portability/export-tickets.ts';
import { UPLOAD_PREFIX } from '#shared/domain/tickets/attachments.ts';
import type { TableAccess } from '#shared/http/routes.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HelpdeskFunction } from './helpdesk-function.ts';
import type { SigningKeyParameter } from './signing-key.ts';
import { grantTableActions } from './table-access.ts';

/** Where SES's S3 action writes each mail (`<prefix><SES message id>`), and the handler reads it. */
export const INBOUND_PREFIX = 'inbound/';
/** Where the handler keeps attachments (`attachments/<message hash>/<n>-<name>`, inbound-mail.ts). */
export const ATTACHMENTS_PREFIX = 'attachments/';
/** Raw mail is kept this long: past SES's and Lambda's retries, past the DLQ's 14 days and the Message-ID
 *  claims' 30-day TTL, long enough to look at a rejected (oversized or malformed) mail. */
export const RAW_MAIL_DAYS = 30;
/** An attachment must outlive its ticket, which is deleted `closedTicketDays` after it closes; a year on
 *  top covers the time a ticket stays open (an object's age counts from the mail, not from closing). */
export const OPEN_TICKET_ALLOWANCE_DAYS = 365;
export const attachmentRetentionDays = (config: HelpdeskConfig) => config.retention.closedTicketDays + OPEN_TICKET_ALLOWANCE_DAYS;
/** Full exports (GET /admin/export) are kept this long: enough to download, not a second copy of the desk. */
export const EXPORT_DAYS = 7;
/** An upload never linked to a comment (POST /attachments, then nothing) is deleted after a day. */
export const UNLINKED_UPLOAD_DAYS = 1;

/**
 * What the inbound handler does to the table (read from shared/adapters: ticket-store.ts, ticket-numbers.ts,
 * rate-limits.ts, claim-store.ts, through createTicket, addComment and recordBounce):
 * - GetItem: the ticket, the `NUMBER#<n>` pointer (subject token), the idempotency record of `mail:<hash>`;
 * - PutItem: the Message-ID claim, the idempotency claim, the new ticket, its history and number pointer
 *   (in a transaction: each Put needs PutItem), a comment's ticket and history, a bounce note;
 * - UpdateItem: the ticket counter, the hourly rate counter, marking a claim done, completing the
 *   idempotency record (an Update inside the creating transaction);
 * - DeleteItem: giving a Message-ID or idempotency claim back after a failure;
 * - Query: the staff directory (is the sender staff?), on the table. No index, no history read, no Scan.
 */
export const INBOUND_TABLE_ACCESS: TableAccess = {
  tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
  queryIndexes: [],
};

/** How SES's asynchronous invocation is retried: Lambda's two retries, then the dead-letter queue. */
export const INBOUND_ASYNC = { retryAttempts: 2, maxEventAge: Duration.hours(6) } as const;

/**
 * Where SES receives the helpdesk's mail (CDK context `mailReceiving`): `here` (the stack's region, the
 * default), another region's name (SES receives mail in only some regions; the functions stay where they
 * are), or `off` (no mail in: requests come by web, API and chat only).
 */
export type MailReceiving = { mode: 'here' } | { mode: 'off' } | { mode: 'elsewhere'; region: string };

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;

export const parseMailReceiving = (value: string): MailReceiving => {
  if (value === 'here' || value === 'off') return { mode: value };
  if (REGION_NAME.test(value)) return { mode: 'elsewhere', region: value };
  throw new Error(
    `CDK context "mailReceiving" must be "here" (SES receives mail in the stack's region), "off", or the name of ` +
      `a region where SES receives mail, such as "eu-west-1"; got "${value}"`,
  );
};

/** Receipt rule set and rule names, fixed by the stage (unique per account and region). */
export const receiptRuleNames = (stage: string) => ({
  ruleSetName: `helpdesk-${stage}-inbound`,
  ruleName: `helpdesk-${stage}-mail-to-tickets`,
});

/** Names in the receiving region, fixed by stage, account and region so that the two regions' stacks name
 *  each other without a cross-region reference. The bucket's name is at most 62 characters (a 20-character
 *  stage, 14-character region). */
export const remoteReceivingNames = (stage: string, region: string) => ({
  ...receiptRuleNames(stage),
  bucketName: `helpdesk-${stage}-mail-${Aws.ACCOUNT_ID}-${region}`,
  topicName: `helpdesk-${stage}-inbound-mail`,
  topicArn: `arn:${Aws.PARTITION}:sns:${region}:${Aws.ACCOUNT_ID}:helpdesk-${stage}-inbound-mail`,
  bucketArn: `arn:${Aws.PARTITION}:s3:::helpdesk-${stage}-mail-${Aws.ACCOUNT_ID}-${region}`,
});

/** The bucket settings both regions' mail buckets share: SSE-S3, TLS only, never public, unversioned, retained. */
export const mailBucketProps = (lifecycleRules: s3.LifecycleRule[]): s3.BucketProps => ({
  // SSE-S3: SES's S3 action and the function need no key grants; a customer managed key would add a key
  // policy for SES and per-request KMS cost that this data (mail already sent over the internet) does not need.
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  // Off: every key is written once (SES: a unique message id; attachments: the same bytes under the same
  // key on a retry), nothing but the lifecycle deletes, and versions would only keep mail past its expiry.
  versioned: false,
  lifecycleRules,
  // Retained like the table: attachments are listed on tickets that outlive the code.
  removalPolicy: RemovalPolicy.RETAIN,
});

/** SES may put raw mail under `inbound/`, for this account's receipt rule only (the confused-deputy
 *  conditions SES documents). */
export const allowSesPut = (bucket: s3.Bucket, receiptRuleArn: string) =>
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowSesReceiptRulePut',
      principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`${INBOUND_PREFIX}*`)],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(bucket).account, 'aws:SourceArn': receiptRuleArn } },
    }),
  );

/** The receipt rule's ARN in the stack's region (names fixed by the stage). */
export const receiptRuleArnIn = (stack: Stack, stage: string) => {
  const names = receiptRuleNames(stage);
  return stack.formatArn({
    service: 'ses',
    resource: 'receipt-rule-set',
    resourceName: `${names.ruleSetName}:receipt-rule/${names.ruleName}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
};

/** The receiving domain: the sender address's domain (replies go to `reply+<token>@` it). */
export const receivingDomain = (config: HelpdeskConfig) => {
  const sender = config.organisation.senderAddress.toLowerCase();
  return sender.slice(sender.lastIndexOf('@') + 1);
};

export type MailBucketProps = {
  stage: string;
  config: HelpdeskConfig;
  /** Default `here`: SES writes raw mail to this bucket. Otherwise only attachments are kept here. */
  receiving?: MailReceiving;
};

export class MailBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** The bucket's ARN for the stateless stack, through an export with a fixed name (`<stack>-MailBucketArn`):
   *  the function's policy then names `<export>/inbound/*`, which the cdk-nag acknowledgement can spell out. */
  readonly exportedBucketArn: string;
  readonly bucketArnExportName: string;
  readonly stage: string;
  readonly ruleSetName: string;
  readonly ruleName: string;
  /** `arn:…:ses:<region>:<account>:receipt-rule-set/<set>:receipt-rule/<rule>`: the only writer SES acts for. */
  readonly receiptRuleArn: string;

  constructor(scope: Construct, id: string, props: MailBucketProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const names = receiptRuleNames(props.stage);
    this.stage = props.stage;
    this.ruleSetName = names.ruleSetName;
    this.ruleName = names.ruleName;
    this.receiptRuleArn = receiptRuleArnIn(stack, props.stage);

    this.bucket = new s3.Bucket(
      this,
      'Bucket',
      mailBucketProps([
        { id: 'raw-mail', prefix: INBOUND_PREFIX, expiration: Duration.days(RAW_MAIL_DAYS) },
        { id: 'attachments', prefix: ATTACHMENTS_PREFIX, expiration: Duration.days(attachmentRetentionDays(props.config)) },
        { id: 'incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'exports', prefix: EXPORT_PREFIX, expiration: Duration.days(EXPORT_DAYS) },
        { id: 'unlinked-uploads', prefix: UPLOAD_PREFIX, expiration: Duration.days(UNLINKED_UPLOAD_DAYS) },
      ]),
    );
    if ((props.receiving ?? { mode: 'here' }).mode === 'here') allowSesPut(this.bucket, this.receiptRuleArn);
    this.bucketArnExportName = `${stack.stackName}-MailBucketArn`;
    this.exportedBucketArn = stack.exportValue(this.bucket.bucketArn, { name: this.bucketArnExportName });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'No server access logs: the only writers are SES (one object per received mail, itself recorded as the ' +
        "receipt) and the inbound function, whose role is the only reader and which logs every mail's SES id. " +
        'An access-log bucket would need the same exception for itself; turn on CloudTrail S3 data events for ' +
        'this bucket if an audit needs object-level records.',
    });
  }

  /**
   * Lets the console's browser PUT files it was given a presigned URL for. S3's CORS rules have no prefix: what keeps
   * the browser to `uploads/` is the signature (only the upload route signs, and it may PutObject on `uploads/*`
   * alone); the rule adds PUT from these origins and nothing else (a download is a navigation, which needs no CORS).
   */
  allowBrowserUploads(origins: string[]): void {
    this.bucket.addCorsRule({
      id: 'console-uploads',
      allowedOrigins: origins,
      allowedMethods: UPLOAD_CORS.methods.map((method) => s3.HttpMethods[method]),
      allowedHeaders: [...UPLOAD_CORS.headers],
      maxAge: CORS_MAX_AGE_SECONDS,
    });
  }
}

export type InboundMailProps = {
  mail: MailBucket;
  table: dynamodb.ITableV2;
  signingKey: SigningKeyParameter;
  /** Default: the bundled configuration, which the function runs with. */
  config?: HelpdeskConfig;
  /** `here` (default) or `elsewhere`; with `off` there is no InboundMail at all. */
  receiving?: Exclude<MailReceiving, { mode: 'off' }>;
};

export class InboundMail extends Construct {
  /** The receipt rule set and rule, when SES receives in this stack's region. */
  readonly ruleSet?: ses.ReceiptRuleSet;
  readonly rule?: ses.ReceiptRule;
  /** The subscription to the receiving region's topic, when SES receives elsewhere. */
  readonly subscription?: sns.CfnSubscription;
  readonly function: HelpdeskFunction;
  readonly deadLetter: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    const { mail, table, signingKey } = props;
    const bucket = mail.bucket;
    const receiving = props.receiving ?? { mode: 'here' };
    const remote = receiving.mode === 'elsewhere' ? remoteReceivingNames(mail.stage, receiving.region) : undefined;
    const rawMailHome = remote ? `${remote.bucketName}/${INBOUND_PREFIX}` : INBOUND_PREFIX;

    this.deadLetter = new DeadLetterQueue(this, 'FailedMail', {
      holds:
        `SES receipt events the inbound function failed on ${INBOUND_ASYNC.retryAttempts + 1} times or within ` +
        `${INBOUND_ASYNC.maxEventAge.toHours()} h (the raw mail stays under ${rawMailHome}<SES message id> for ` +
        `${RAW_MAIL_DAYS} days: re-invoke the function with the event once the fault is fixed)`,
    });

    this.function = new HelpdeskFunction(this, 'InboundFunction', {
      entry: 'functions/email/inbound-mail.ts',
      description: 'Helpdesk: turns mail SES received into tickets and comments',
      // Reading and parsing up to 10 MB of MIME: more memory (hence CPU) than an HTTP handler. Well under the
      // Message-ID claim's 5-minute lock, so a retry never finds its own claim still held.
      memorySize: 512,
      timeout: Duration.seconds(60),
      environment: {
        [MAIL_BUCKET_ENV]: bucket.bucketName,
        [MAIL_PREFIX_ENV]: INBOUND_PREFIX,
        ...(remote && receiving.mode === 'elsewhere'
          ? { [RAW_MAIL_BUCKET_ENV]: remote.bucketName, [RAW_MAIL_REGION_ENV]: receiving.region }
          : {}),
        [TABLE_NAME_ENV]: table.tableName,
      },
      // SES's Lambda action and SNS both invoke asynchronously: the same retries, then the same queue.
      ...INBOUND_ASYNC,
      // SqsDestination grants the role sqs:SendMessage on this queue only.
      onFailure: new SqsDestination(this.deadLetter.queue),
    });
    const fn = this.function;
    // Read raw mail (GetObject also covers HeadObject), write attachments; nothing else in either bucket.
    const rawMailObjects = remote ? `${remote.bucketArn}/${INBOUND_PREFIX}*` : `${mail.exportedBucketArn}/${INBOUND_PREFIX}*`;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [rawMailObjects] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [`${mail.exportedBucketArn}/${ATTACHMENTS_PREFIX}*`] }),
    );
    grantTableActions(fn, table, INBOUND_TABLE_ACCESS);
    // Verifies reply and bounce addresses: reads the key, never makes it (notify does).
    signingKey.grantRead(fn);
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${remote ? nagResource(rawMailObjects) : `${mail.bucketArnExportName}/${INBOUND_PREFIX}*`}]`,
      reason:
        `GetObject on ${INBOUND_PREFIX}* only: SES names each raw mail after its message id, which is known only ` +
        'when the receipt event arrives.',
    });
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${mail.bucketArnExportName}/${ATTACHMENTS_PREFIX}*]`,
      reason:
        `PutObject on ${ATTACHMENTS_PREFIX}* only: each attachment's key is made from the mail's hash and the ` +
        'file name at run time; the function cannot read attachments back or write raw mail.',
    });

    if (remote && receiving.mode === 'elsewhere') {
      // SES invokes functions of its own region only: its S3 action notifies a topic there
      // (remote-mail-receiving.ts), and this function subscribes to it across regions. SNS may invoke it for
      // that topic only.
      new lambda.CfnPermission(this, 'AllowSnsInvoke', {
        action: 'lambda:InvokeFunction',
        functionName: fn.functionArn,
        principal: 'sns.amazonaws.com',
        sourceArn: remote.topicArn,
      });
      this.subscription = new sns.CfnSubscription(this, 'ReceivedMailSubscription', {
        topicArn: remote.topicArn,
        protocol: 'lambda',
        endpoint: fn.functionArn,
        region: receiving.region,
      });
      return;
    }

    // SES may invoke the function for this rule only.
    const permission = new lambda.CfnPermission(this, 'AllowSesInvoke', {
      action: 'lambda:InvokeFunction',
      functionName: fn.functionArn,
      principal: 'ses.amazonaws.com',
      sourceAccount: Stack.of(this).account,
      sourceArn: mail.receiptRuleArn,
    });

    // Rule sets cannot be made active by CloudFormation: after the first deploy, run
    // `aws ses set-active-receipt-rule-set --rule-set-name <name>` (README, docs/inbound-mail.md).
    this.ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: mail.ruleSetName });
    this.rule = this.ruleSet.addRule('MailToTickets', {
      ...receiptRuleOptions(mail.ruleName, props.config ?? loadConfig()),
      actions: [
        { bind: () => ({ s3Action: { bucketName: bucket.bucketName, objectKeyPrefix: INBOUND_PREFIX } }) },
        { bind: () => ({ lambdaAction: { functionArn: fn.functionArn, invocationType: 'Event' } }) },
      ],
    });
    // SES checks at creation that it may invoke the function.
    this.rule.node.addDependency(permission);
  }
}

/** What every helpdesk receipt rule shares, wherever SES receives. */
export const receiptRuleOptions = (receiptRuleName: string, config: HelpdeskConfig): Omit<ses.ReceiptRuleOptions, 'actions'> => ({
  receiptRuleName,
  // The whole receiving domain: the helpdesk address and every `reply+<token>@` address on it.
  recipients: [receivingDomain(config)],
  // Verdicts for the handler's screening (spam/virus FAIL are dropped; SPF, DKIM and DMARC say whether the
  // sender is who From: says).
  scanEnabled: true,
  // Optional: requesters' mail servers are not ours to choose; the stored copy is encrypted either way.
  tlsPolicy: ses.TlsPolicy.OPTIONAL,
  enabled: true,
});

/** How cdk-nag spells a resource made of tokens: `<AWS::Partition>` for `${Token[AWS.Partition…]}`. */
const nagResource = (resource: string) => resource.replace(/\$\{Token\[AWS\.(\w+)\.\d+\]\}/g, (_match, name: string) => `<AWS::${name}>`);
