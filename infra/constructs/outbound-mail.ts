// What functions that mail send with (the notify consumer, the trend job's digest): an SES configuration
// set, ses:SendEmail on the sender's identities from the helpdesk's own address only, and the signing key.
import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { SES_CONFIGURATION_SET_ENV } from '#shared/adapters/mailer.ts';
import { CONSOLE_URL_ENV, PUBLIC_URL_ENV } from '#shared/adapters/public-links.ts';
import type { HelpdeskFunction } from './helpdesk-function.ts';
import type { SigningKeyParameter } from './signing-key.ts';

/**
 * Builds its configuration set in the given scope (EventProcessing's) rather than as a construct of its own,
 * so it keeps the logical ID it was deployed with (docs/decisions.md, "Shape of the code").
 */
export class OutboundMail {
  readonly configurationSet: ses.ConfigurationSet;
  /** The SES identities mail may be sent from: the sender's domain and the address itself. */
  readonly identityArns: string[];
  /** The one From address the functions may use (organisation.senderAddress, lower case). */
  readonly sender: string;
  readonly signingKey: SigningKeyParameter;
  /** Where links in mail point: the API's public base URL and the console's (PUBLIC_URL, CONSOLE_URL). */
  readonly links: { publicUrl: string; consoleUrl: string };

  constructor(
    scope: Construct,
    private readonly stack: Stack,
    props: { senderAddress: string; signingKey: SigningKeyParameter; links: { publicUrl: string; consoleUrl: string } },
  ) {
    this.links = props.links;
    this.sender = props.senderAddress.toLowerCase();
    this.signingKey = props.signingKey;
    const domain = this.sender.slice(this.sender.lastIndexOf('@') + 1);

    // Every mail goes out with this set: SES's account-level suppression list keeps addresses that bounced or
    // complained from being mailed again (repeat bounces hurt the account's reputation), reputation metrics
    // are on, and sends, deliveries, bounces, complaints and rejects are counted in CloudWatch per kind of
    // notification (the `kind` tag the mailer sets).
    this.configurationSet = new ses.ConfigurationSet(scope, 'MailConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('MailMetrics', {
      destination: ses.EventDestination.cloudWatchDimensions([
        { name: 'kind', source: ses.CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'other' },
      ]),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
      ],
    });
    // SES authorises a send against the identity the From address belongs to (the verified domain, or the
    // address when it is verified on its own) and the configuration set used: exactly those, nothing else.
    this.identityArns = [domain, this.sender].map((identity) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
    );
  }

  /** ses:SendEmail from the sender's identities with the configuration set; the set's name and where links point in the environment. */
  grantSend(fn: HelpdeskFunction): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          ...this.identityArns,
          this.stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
        // From the helpdesk's own address only, not any address of the school's verified domain.
        conditions: { StringEquals: { 'ses:FromAddress': this.sender } },
      }),
    );
    fn.addEnvironment(SES_CONFIGURATION_SET_ENV, this.configurationSet.configurationSetName);
    // A mail's links: known to the deployment, nothing configured by hand afterwards.
    fn.addEnvironment(PUBLIC_URL_ENV, this.links.publicUrl);
    fn.addEnvironment(CONSOLE_URL_ENV, this.links.consoleUrl);
  }

  /** The signer's access to the signing key (tracking links, reply addresses): read it, and make it on first use. */
  grantSigningKey(fn: HelpdeskFunction): void {
    this.signingKey.grantCreate(fn);
  }
}
