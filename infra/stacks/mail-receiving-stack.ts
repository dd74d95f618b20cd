// The receiving region's stack (CDK context `mailReceiving=<region>`): where SES receives the helpdesk's mail
// when the helpdesk runs in a region without SES receiving. Deployed before the stateless stack, whose
// inbound function subscribes to its topic.
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { RemoteMailReceiving } from '../constructs/remote-mail-receiving.ts';

export type MailReceivingStackProps = StackProps & { stage: string; region: string; config: HelpdeskConfig };

export class MailReceivingStack extends Stack {
  readonly receiving: RemoteMailReceiving;

  constructor(scope: Construct, id: string, props: MailReceivingStackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: props.region } });
    this.receiving = new RemoteMailReceiving(this, 'Mail', { stage: props.stage, config: props.config });
  }
}
