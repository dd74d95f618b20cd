// Inbound mail in AWS: SES receipt rule → S3 (the raw mail under `inbound/`) → functions/email/inbound-mail
// (an asynchronous invocation with SES's receipt notification). Two constructs, one per stack:
// - MailBucket (stateful): the bucket holds requesters' mail and attachments, so it must outlive any
//   deployment of the code. Its policy lets SES write `inbound/*` for this account's receipt rule only.
// - InboundMail (stateless): the receipt rule set and rule, the function with exactly the permissions it
//   uses, its async retries and the dead-letter queue behind them.
// The receipt rule's ARN is built from names fixed by the stage, so the stateful bucket policy can name it
// without a reference back to the stateless stack (which would make the two stacks depend on each other).
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { MAIL_BUCKET_ENV, MAIL_PREFIX_ENV } from '#shared/adapters/mail-bucket.ts';
import { SIGNING_KEY_SECRET_ENV } from '#shared/adapters/signing-key.ts';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { TableAccess } from '#shared/http/routes.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HelpdeskFunction } from './helpdesk-function.ts';
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

/** Receipt rule set and rule names, fixed by the stage (unique per account and region). */
export const receiptRuleNames = (stage: string) => ({
  ruleSetName: `helpdesk-${stage}-inbound`,
  ruleName: `helpdesk-${stage}-mail-to-tickets`,
});

/** The receiving domain: the sender address's domain (replies go to `reply+<token>@` it). */
export const receivingDomain = (config: HelpdeskConfig) => {
  const sender = config.organisation.senderAddress.toLowerCase();
  return sender.slice(sender.lastIndexOf('@') + 1);
};

export type MailBucketProps = { stage: string; config: HelpdeskConfig };

export class MailBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** The bucket's ARN for the stateless stack, through an export with a fixed name (`<stack>-MailBucketArn`):
   *  the function's policy then names `<export>/inbound/*`, which the cdk-nag acknowledgement can spell out. */
  readonly exportedBucketArn: string;
  readonly bucketArnExportName: string;
  readonly ruleSetName: string;
  readonly ruleName: string;
  /** `arn:…:ses:<region>:<account>:receipt-rule-set/<set>:receipt-rule/<rule>`: the only writer SES acts for. */
  readonly receiptRuleArn: string;

  constructor(scope: Construct, id: string, props: MailBucketProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const names = receiptRuleNames(props.stage);
    this.ruleSetName = names.ruleSetName;
    this.ruleName = names.ruleName;
    this.receiptRuleArn = stack.formatArn({
      service: 'ses',
      resource: 'receipt-rule-set',
      resourceName: `${this.ruleSetName}:receipt-rule/${this.ruleName}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      // SSE-S3: SES's S3 action and the function need no key grants; a customer managed key would add a key
      // policy for SES and per-request KMS cost that this data (mail already sent over the internet) does not need.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Off: every key is written once (SES: a unique message id; attachments: the same bytes under the same
      // key on a retry), nothing but the lifecycle deletes, and versions would only keep mail past its expiry.
      versioned: false,
      lifecycleRules: [
        { id: 'raw-mail', prefix: INBOUND_PREFIX, expiration: Duration.days(RAW_MAIL_DAYS) },
        { id: 'attachments', prefix: ATTACHMENTS_PREFIX, expiration: Duration.days(attachmentRetentionDays(props.config)) },
        { id: 'incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Retained like the table: attachments are listed on tickets that outlive the code.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // SES writes raw mail, for this account's receipt rule only (the confused-deputy conditions SES documents).
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesReceiptRulePut',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${INBOUND_PREFIX}*`)],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': this.receiptRuleArn } },
      }),
    );
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
}

export type InboundMailProps = {
  mail: MailBucket;
  table: dynamodb.ITableV2;
  signingKey: secretsmanager.ISecret;
  /** Default: the bundled configuration, which the function runs with. */
  config?: HelpdeskConfig;
};

export class InboundMail extends Construct {
  readonly ruleSet: ses.ReceiptRuleSet;
  readonly rule: ses.ReceiptRule;
  readonly function: HelpdeskFunction;
  readonly deadLetter: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    const { mail, table, signingKey } = props;
    const bucket = mail.bucket;

    this.deadLetter = new DeadLetterQueue(this, 'FailedMail', {
      holds:
        `SES receipt events the inbound function failed on ${INBOUND_ASYNC.retryAttempts + 1} times or within ` +
        `${INBOUND_ASYNC.maxEventAge.toHours()} h (the raw mail stays under ${INBOUND_PREFIX}<SES message id> for ` +
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
        [TABLE_NAME_ENV]: table.tableName,
        [SIGNING_KEY_SECRET_ENV]: signingKey.secretArn,
      },
      ...INBOUND_ASYNC,
      // SqsDestination grants the role sqs:SendMessage on this queue only.
      onFailure: new SqsDestination(this.deadLetter.queue),
    });
    const fn = this.function;
    // Read raw mail (GetObject also covers HeadObject), write attachments; nothing else in the bucket.
    const objects = (prefix: string) => `${mail.exportedBucketArn}/${prefix}*`;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects(INBOUND_PREFIX)] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [objects(ATTACHMENTS_PREFIX)] }));
    grantTableActions(fn, table, INBOUND_TABLE_ACCESS);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [signingKey.secretArn] }));
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${mail.bucketArnExportName}/${INBOUND_PREFIX}*]`,
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
      receiptRuleName: mail.ruleName,
      // The whole receiving domain: the helpdesk address and every `reply+<token>@` address on it.
      recipients: [receivingDomain(props.config ?? loadConfig())],
      // Verdicts for the handler's screening (spam/virus FAIL are dropped; SPF, DKIM and DMARC say whether the
      // sender is who From: says).
      scanEnabled: true,
      // Optional: requesters' mail servers are not ours to choose; the stored copy is encrypted either way.
      tlsPolicy: ses.TlsPolicy.OPTIONAL,
      enabled: true,
      actions: [
        { bind: () => ({ s3Action: { bucketName: bucket.bucketName, objectKeyPrefix: INBOUND_PREFIX } }) },
        { bind: () => ({ lambdaAction: { functionArn: fn.functionArn, invocationType: 'Event' } }) },
      ],
    });
    // SES checks at creation that it may invoke the function.
    this.rule.node.addDependency(permission);
  }
}
