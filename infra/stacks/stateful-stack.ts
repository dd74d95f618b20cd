// Stateful stack: what holds data and must outlive any deployment of the code. Kept apart from the
// stateless stack so that code can be destroyed and redeployed freely without touching the data.
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import {
  CHANNEL_OF_SECRET,
  CHANNEL_SECRET_NAMES,
  type ChannelSecretName,
  channelSecretParameterEnv,
} from '#shared/adapters/channel-secrets.ts';
import { STREAM_VIEW, TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '#shared/adapters/table-definition.ts';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { EVENT_BUS_NAME, EVENT_SOURCE } from '#shared/events/bus-definition.ts';
import { ConsoleHosting } from '../constructs/console-hosting.ts';
import { domainPrefixFor, HelpdeskUserPool, type HelpdeskUserPoolProps } from '../constructs/helpdesk-user-pool.ts';
import { MailBucket, type MailReceiving } from '../constructs/inbound-mail.ts';
import { SecureParameter } from '../constructs/secure-parameter.ts';
import { SigningKeyParameter } from '../constructs/signing-key.ts';

export type StatefulStackProps = StackProps & {
  /** Deployment stage; qualifies the names that must be unique in an account (the event bus, the sign-in domain). */
  stage: string;
  /**
   * The web app's redirect URLs (default: the console's own `/auth/callback` and `/`) and the user pool's
   * options (see HelpdeskUserPool).
   */
  signIn: Partial<Pick<HelpdeskUserPoolProps, 'callbackUrls' | 'logoutUrls'>> & Pick<HelpdeskUserPoolProps, 'plan' | 'emailSender'>;
  /** Where SES receives mail; only `here` lets SES write to the mail bucket. Default: `here`. */
  mailReceiving?: MailReceiving;
  /** Origins besides the console's own that browsers use the desk from (context webOrigins: a custom domain, a dev server). */
  webOrigins?: string[];
  /** The validated configuration (which chat channels are on). Default: the bundled one, which the functions run with. */
  config?: HelpdeskConfig;
};

/** The bus's name in AWS: `helpdesk-<stage>`, so that two stages can share one account and region. */
export const eventBusNameFor = (stage: string) => `${EVENT_BUS_NAME}-${stage}`;

/** The sender's domain, from the configuration the functions are bundled with (they send from it). */
export const senderDomain = (senderAddress = loadConfig().organisation.senderAddress) =>
  senderAddress.slice(senderAddress.lastIndexOf('@') + 1).toLowerCase();

/** CDK context: `existing` when the sender's domain is already an SES identity in the account and region. */
export const MAIL_IDENTITY_CONTEXT = 'mailIdentity';

/** How long the bus's archive keeps events for replay. */
export const EVENT_ARCHIVE_RETENTION = Duration.days(30);

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

export class StatefulStack extends Stack {
  /** The one helpdesk table (keys, indexes and TTL from shared/adapters/table-definition.ts). */
  readonly table: dynamodb.TableV2;
  /** The custom bus every ticket event is published on (rules of the stateless stack and of other systems). */
  readonly eventBus: events.EventBus;
  /** Copies of the helpdesk's own events, for replay onto the bus after a consumer's fault is fixed. */
  readonly eventArchive: events.Archive;
  /** Signs tracking links and reply addresses (shared/adapters/signing-key.ts reads it). */
  readonly signingKey: SigningKeyParameter;
  /** The SES identity of the sender's domain, unless the account already had one (context mailIdentity=existing). */
  readonly mailIdentity?: ses.EmailIdentity;
  /** Users, groups, the sign-in domain and the app clients whose tokens the API accepts. */
  readonly users: HelpdeskUserPool;
  /** Received mail (when SES receives in this region) and attachments. */
  readonly mail: MailBucket;
  /** Each chat credential's SecureString (a token, a webhook secret; docs/channels.md), for the channels turned on. */
  readonly channelSecrets: Partial<Record<ChannelSecretName, SecureParameter>>;
  /** The web console's bucket and distribution (its files are deployed by the stateless stack). */
  readonly console: ConsoleHosting;
  /** Where browsers use the console from: its own address, then webOrigins. The API's CORS and the mail bucket's allow these. */
  readonly consoleOrigins: string[];
  /** Where the console sends people to sign in and back: the redirect and sign-out URLs it uses (the first of each). */
  readonly webSignIn: { domain: string; clientId: string; redirectUri: string; logoutUri: string };

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    // TableV2 (AWS::DynamoDB::GlobalTable) rather than Table: it is CDK's recommended table construct, and a
    // replica region can be added later without replacing the table (a Table -> TableV2 move would).
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: stringKey(TABLE_KEYS.partitionKey),
      sortKey: stringKey(TABLE_KEYS.sortKey),
      globalSecondaryIndexes: TABLE_INDEXES.map((index) => ({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: dynamodb.ProjectionType[index.projection],
        ...('nonKeyAttributes' in index ? { nonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      })),
      // On demand: a helpdesk's traffic is spiky (Monday mornings, term starts) and small on average.
      billing: dynamodb.Billing.onDemand(),
      // The history items on the stream are the domain events; both images let consumers see the change.
      dynamoStream: dynamodb.StreamViewType[STREAM_VIEW],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // AWS managed key (aws/dynamodb) instead of the default AWS owned key: every use of the key is
      // visible in CloudTrail, at no monthly key cost and with no key policy for us to get wrong. A
      // customer managed key would add cost and key administration that this data does not require.
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
    });
    // For tools that write to the table from an operator's machine (npm run import -- --stage <stage>).
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The helpdesk table (npm run import finds it here)' });

    // The bus lives here, not with the code, because what attaches to it must survive a redeploy of the
    // stateless stack: other systems' rules (ERP, webhooks) subscribe to it by name, and its archive holds
    // events. Named after EVENT_BUS_NAME with the stage appended: a fixed name would make a second stage in
    // the same account fail to deploy. Default encryption (an AWS owned key), no resource policy: only this
    // account's principals that IAM allows events:PutEvents on it (publish-events alone) can publish.
    this.eventBus = new events.EventBus(this, 'EventBus', {
      eventBusName: eventBusNameFor(props.stage),
      description: 'Helpdesk ticket events (one per history item), published from the table stream',
    });
    // Replay after an incident: when a consumer's bug dead-lettered or mishandled events, the archive can
    // replay the window onto the bus once the fix is deployed (consumers are idempotent on the event id).
    // 30 days covers any incident that is noticed and fixed; the history items in the table remain the
    // permanent record, so the archive does not need to keep events (and the requesters' words in them)
    // any longer than that.
    this.eventArchive = this.eventBus.archive('EventArchive', {
      description: "The helpdesk's own ticket events, kept for replay",
      eventPattern: { source: [EVENT_SOURCE] },
      retention: EVENT_ARCHIVE_RETENTION,
    });

    // Here, not with the code: every tracking link and reply address in a mail already sent is signed with
    // this key, so it must outlive redeployments of the functions. An SSM SecureString that no template holds
    // (notify puts a random 64-character value on first use; encrypted with the account's aws/ssm key), so no
    // deployment or stack deletion touches it. Not Secrets Manager: USD 0.40 a month for a value never rotated
    // (tokens carry no key id; rotating would void every link in mails already sent). docs/decisions.md, "Idle cost".
    this.signingKey = new SigningKeyParameter(this, props.stage);

    // The chat channels' credentials (docs/channels.md), for the signing key's reasons: SSM SecureStrings that no
    // template holds, so they outlive every deployment and stack deletion, and cost nothing (a Secrets Manager
    // secret is USD 0.40 a month; docs/decisions.md, "Chat credentials in Parameter Store"). The admin puts each
    // value at set-up, the platforms' (bot token, app secret, access token) and the two the desk gives the
    // platforms (Telegram's webhook secret, WhatsApp's verify token), one command each; until then that channel
    // sends and receives nothing. Only the values of the channels the configuration turns on are named and
    // granted: a channel that is off gives no function a way to read its values.
    const config = props.config ?? loadConfig();
    this.channelSecrets = Object.fromEntries(
      CHANNEL_SECRET_NAMES.filter((name) => config.channels[CHANNEL_OF_SECRET[name]] !== undefined).map((name) => [
        name,
        new SecureParameter(this, props.stage, name, channelSecretParameterEnv(name)),
      ]),
    );

    // The user pool is data: users, their passwords and MFA devices, and the machine client's secret that other
    // systems have configured. Retained and deletion-protected like the table.
    // The console's address comes first: the user pool sends people back to it, and its CSP names the pool's
    // sign-in domain (known from the stage and the account, before the domain exists).
    const signInOrigin = `https://${domainPrefixFor(props.stage)}.auth.${this.region}.amazoncognito.com`;
    this.console = new ConsoleHosting(this, 'Console', { signInOrigin });
    this.consoleOrigins = [this.console.url, ...(props.webOrigins ?? [])];
    const callbackUrls = props.signIn.callbackUrls ?? [`${this.console.url}/auth/callback`];
    const logoutUrls = props.signIn.logoutUrls ?? [`${this.console.url}/`];
    this.users = new HelpdeskUserPool(this, 'Users', {
      ...props.signIn,
      callbackUrls,
      logoutUrls,
      stage: props.stage,
      senderDomain: senderDomain(config.organisation.senderAddress),
      organisationName: config.organisation.name,
    });

    // The sender's domain as an SES identity with Easy DKIM: SES signs every mail, and the DNS records to
    // publish are stack outputs. Retained: a new identity means new DKIM keys and new DNS records. An account
    // where the domain is already verified (mail from other systems) deploys with -c mailIdentity=existing.
    const domain = senderDomain(config.organisation.senderAddress);
    if (this.node.tryGetContext(MAIL_IDENTITY_CONTEXT) !== 'existing') {
      const identity = new ses.EmailIdentity(this, 'MailIdentity', { identity: ses.Identity.domain(domain) });
      identity.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.mailIdentity = identity;
      const records = [
        [identity.dkimDnsTokenName1, identity.dkimDnsTokenValue1],
        [identity.dkimDnsTokenName2, identity.dkimDnsTokenValue2],
        [identity.dkimDnsTokenName3, identity.dkimDnsTokenValue3],
      ];
      records.forEach(([name, value], index) => {
        new CfnOutput(this, `MailDkimRecord${index + 1}`, {
          description: `DNS record ${index + 1} of 3 for ${domain}: a CNAME from the name to the value, so SES can sign mail`,
          value: `${name} CNAME ${value}`,
        });
      });
    }

    this.mail = new MailBucket(this, 'Mail', {
      stage: props.stage,
      config,
      ...(props.mailReceiving ? { receiving: props.mailReceiving } : {}),
    });
    // The console's browsers PUT attached files into it (presigned URLs from POST /attachments).
    this.mail.allowBrowserUploads(this.consoleOrigins);
    this.webSignIn = {
      domain: this.users.domain.baseUrl(),
      clientId: this.users.webClient.userPoolClientId,
      redirectUri: callbackUrls[0]!,
      logoutUri: logoutUrls[0]!,
    };
  }
}
