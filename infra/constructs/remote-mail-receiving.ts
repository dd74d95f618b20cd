// Mail received in another region (CDK context `mailReceiving=<region>`): SES receives mail in only some
// regions, and invokes functions of its own region only. So in the receiving region there are a bucket for
// the raw mail, a receipt rule whose S3 action stores each mail and then notifies an SNS topic, and the
// topic; the inbound function in the helpdesk's region subscribes to the topic (InboundMail) and reads the
// mail from this bucket. Names are fixed by stage, account and region (remoteReceivingNames), so neither
// stack refers to the other's outputs across regions.
import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import {
  allowSesPut,
  INBOUND_PREFIX,
  mailBucketProps,
  RAW_MAIL_DAYS,
  receiptRuleArnIn,
  receiptRuleOptions,
  remoteReceivingNames,
} from './inbound-mail.ts';

export type RemoteMailReceivingProps = { stage: string; config: HelpdeskConfig };

export class RemoteMailReceiving extends Construct {
  readonly bucket: s3.Bucket;
  readonly topic: sns.Topic;
  readonly ruleSet: ses.ReceiptRuleSet;
  readonly rule: ses.ReceiptRule;

  constructor(scope: Construct, id: string, props: RemoteMailReceivingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const names = remoteReceivingNames(props.stage, stack.region);
    const receiptRuleArn = receiptRuleArnIn(stack, props.stage);

    this.bucket = new s3.Bucket(this, 'RawMail', {
      ...mailBucketProps([
        { id: 'raw-mail', prefix: INBOUND_PREFIX, expiration: Duration.days(RAW_MAIL_DAYS) },
        { id: 'incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ]),
      bucketName: names.bucketName,
    });
    const bucketPolicy = allowSesPut(this.bucket, receiptRuleArn);
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "No server access logs: SES is the only writer (one object per received mail, itself SES's receipt) and " +
        "the helpdesk's inbound function the only reader, which logs every mail's SES id.",
    });

    // No customer managed KMS key: SES may publish to an encrypted topic only with a key it is granted, at
    // USD 1 a month per key. The notification carries the mail's envelope and headers (addresses, subject), not
    // its body, which stays in the SSE-S3 bucket; it travels over TLS only and SNS keeps it only until delivered.
    this.topic = new sns.Topic(this, 'ReceivedMail', { topicName: names.topicName, enforceSSL: true });
    // SES publishes the S3 action's notification for this account's receipt rule only.
    const topicPolicy = this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesReceiptRulePublish',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'AWS:SourceAccount': stack.account, 'AWS:SourceArn': receiptRuleArn } },
      }),
    );

    // Rule sets cannot be made active by CloudFormation: after the first deploy, run
    // `aws ses set-active-receipt-rule-set --rule-set-name <name> --region <region>` (README).
    this.ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: names.ruleSetName });
    this.rule = this.ruleSet.addRule('MailToTickets', {
      ...receiptRuleOptions(names.ruleName, props.config),
      actions: [
        {
          bind: () => ({
            s3Action: { bucketName: this.bucket.bucketName, objectKeyPrefix: INBOUND_PREFIX, topicArn: this.topic.topicArn },
          }),
        },
      ],
    });
    // SES checks at creation that it may write to the bucket and publish to the topic.
    if (bucketPolicy.policyDependable) this.rule.node.addDependency(bucketPolicy.policyDependable);
    if (topicPolicy.policyDependable) this.rule.node.addDependency(topicPolicy.policyDependable);

    new CfnOutput(stack, 'MailExchanger', {
      description: `The MX record for ${receiptRuleOptions(names.ruleName, props.config).recipients?.[0]}: mail reaches SES in ${stack.region}`,
      value: `10 inbound-smtp.${stack.region}.amazonaws.com`,
    });
    new CfnOutput(stack, 'ReceiptRuleSet', {
      description: 'Activate once after the first deploy: aws ses set-active-receipt-rule-set --rule-set-name <this> --region <region>',
      value: names.ruleSetName,
    });
  }
}
