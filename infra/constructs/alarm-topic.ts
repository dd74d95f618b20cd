// The one SNS topic every CloudWatch alarm of the stack notifies (on ALARM and on OK), with an optional e-mail
// subscription; encrypted with its own key with `monitoring=full` only (monitoring.ts).
import { Aspects, Duration, type IAspect, RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct, IConstruct } from 'constructs';
import type { MonitoringSize } from './monitoring.ts';

/** Adds the topic to every alarm of the stack, those created after this construct included, once each. */
class NotifyEveryAlarm implements IAspect {
  private readonly done = new WeakSet<cloudwatch.Alarm>();
  constructor(private readonly action: cloudwatch.IAlarmAction) {}
  visit(node: IConstruct): void {
    if (!(node instanceof cloudwatch.Alarm) || this.done.has(node)) return;
    this.done.add(node);
    node.addAlarmAction(this.action);
    node.addOkAction(this.action);
  }
}

/**
 * Builds its resources in the given scope (Operations') rather than as a construct of its own, so they keep
 * the logical IDs they were deployed with: a new topic would need its e-mail subscription confirmed again.
 */
export class AlarmTopic {
  readonly topic: sns.Topic;
  /** The topic's key (`monitoring=full`; none in `small`). */
  readonly key?: kms.Key;

  constructor(scope: Construct, stack: Stack, props: { alarmEmail: string | undefined; monitoring: MonitoringSize }) {
    if (props.monitoring === 'full') this.key = AlarmTopic.topicKey(scope, stack);
    this.topic = new sns.Topic(scope, 'AlarmTopic', {
      displayName: 'Helpdesk alarms',
      ...(this.key ? { masterKey: this.key } : {}),
      // A policy that refuses every request not made over TLS (cdk-nag AwsSolutions-SNS3).
      enforceSSL: true,
    });
    if (!this.key) {
      Validations.of(this.topic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason:
          'monitoring=small: the topic carries only CloudWatch alarm notifications (alarm names, descriptions, states ' +
          'and metric figures, no personal data). CloudWatch cannot publish to a topic under the AWS managed aws/sns ' +
          'key, and a customer managed key costs USD 1 a month; monitoring=full encrypts the topic with one.',
      });
    }
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    // Every alarm of the stack, including those other constructs create later: none can be left without an action.
    Aspects.of(stack).add(new NotifyEveryAlarm(new actions.SnsAction(this.topic)));
  }

  private static topicKey(scope: Construct, stack: Stack) {
    // A customer managed key: CloudWatch can publish to an encrypted topic only when its service principal may
    // use the key, which the AWS managed aws/sns key does not allow. Alarm messages are transient, so the key
    // goes with the stack (after KMS's 7-day waiting period) instead of costing a month's fee forever.
    const key = new kms.Key(scope, 'TopicKey', {
      description: 'Helpdesk: encrypts the alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    return key;
  }
}
