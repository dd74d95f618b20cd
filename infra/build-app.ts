// Builds the whole CDK app: validates the helpdesk configuration, creates both stacks and registers the
// cdk-nag AwsSolutions checks. `infra/app.ts` (the `cdk` entry point) and the infra tests both call this.
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { loadConfig, parseConfig, SANDBOX_CONFIG_FILE_ENV } from '#shared/config/load-config.ts';
import { checkApiDomain } from './constructs/api-domain.ts';
import { checkRedirectUrls, type UserPoolEmailSender, type UserPoolPlan } from './constructs/helpdesk-user-pool.ts';
import { type MailReceiving, parseMailReceiving } from './constructs/inbound-mail.ts';
import { type MonitoringSize, monitoringOf } from './constructs/monitoring.ts';
import { MailReceivingStack } from './stacks/mail-receiving-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

export type BuildAppProps = {
  /** Passed to the App (e.g. `{ 'aws:cdk:bundling-stacks': [] }` to skip bundling in tests). */
  context?: Record<string, unknown>;
  /** Cloud assembly directory. Default: CDK's (the CLI's `cdk.out`, or a temporary directory). */
  outdir?: string;
  /** A raw configuration to validate instead of `shared/config/helpdesk.config.json`. */
  config?: unknown;
};

export type HelpdeskApp = {
  app: App;
  config: HelpdeskConfig;
  stage: string;
  stateful: StatefulStack;
  stateless: StatelessStack;
  /** Where SES receives mail (context `mailReceiving`). */
  mailReceiving: MailReceiving;
  /** How much the stacks alarm on (context `monitoring`: `small` by default, or `full`). */
  monitoring: MonitoringSize;
  /** The receiving region's stack, when that is not the helpdesk's region. */
  receivingStack?: MailReceivingStack;
};

/** Context keys of the first deployments, before the user pool; refused so that nobody deploys believing they apply. */
const RETIRED_CONTEXT = ['jwtIssuer', 'jwtAudience'];

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

const contextString = (app: App, key: string, fallback: string): string => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string') throw new Error(`CDK context "${key}" must be a string`);
  return value;
};

const contextList = (app: App, key: string): string[] | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!items || items.some((item) => typeof item !== 'string')) {
    throw new Error(`CDK context "${key}" must be a comma-separated string or a list of strings`);
  }
  return checkRedirectUrls(key, (items as string[]).map((item) => item.trim()).filter(Boolean));
};

const contextChoice = <T extends string>(app: App, key: string, choices: readonly T[]): T => {
  const value = contextString(app, key, choices[0]!);
  if (!(choices as readonly string[]).includes(value)) {
    throw new Error(`CDK context "${key}" must be one of ${choices.map((choice) => `"${choice}"`).join(', ')}; got "${value}"`);
  }
  return value as T;
};

export const buildApp = (props: BuildAppProps = {}): HelpdeskApp => {
  // The functions are bundled with shared/config/helpdesk.config.json; synthesizing with another file would
  // build rules and grants for a configuration they do not run with.
  if (process.env[SANDBOX_CONFIG_FILE_ENV])
    throw new Error(`${SANDBOX_CONFIG_FILE_ENV} is set: it is for the sandbox only; unset it to synthesize or deploy`);
  // Refuse an invalid SOP before building anything: ConfigError names every offending field.
  const config = props.config === undefined ? loadConfig() : parseConfig(props.config);

  const appProps: AppProps = { context: props.context ?? {}, ...(props.outdir ? { outdir: props.outdir } : {}) };
  const app = new App(appProps);

  const stage = contextString(app, 'stage', 'dev');
  if (!STAGE_PATTERN.test(stage)) {
    throw new Error(`CDK context "stage" must match ${STAGE_PATTERN} (lower-case, used in stack names); got "${stage}"`);
  }
  const prefix = `Helpdesk-${stage}`;
  // The API trusts the stack's own user pool only. An organisation's identity provider (Google Workspace,
  // Microsoft Entra ID, any OIDC or SAML provider) is federated into that pool, where groups and teams live.
  const retired = RETIRED_CONTEXT.filter((key) => app.node.tryGetContext(key) !== undefined);
  if (retired.length > 0) {
    throw new Error(
      `CDK context ${retired.map((key) => `"${key}"`).join(' and ')} is no longer used: the API accepts tokens of the ` +
        "stack's Cognito user pool (federate another identity provider into it). Remove it from the command or cdk.json.",
    );
  }
  const signIn = {
    // Default: the console's CloudFront URL (StatefulStack).
    callbackUrls: contextList(app, 'webCallbackUrls'),
    logoutUrls: contextList(app, 'webLogoutUrls'),
    plan: contextChoice<UserPoolPlan>(app, 'userPoolPlan', ['essentials', 'plus']),
    emailSender: contextChoice<UserPoolEmailSender>(app, 'userPoolEmail', ['cognito', 'ses']),
  };

  const mailReceiving = parseMailReceiving(contextString(app, 'mailReceiving', 'here'));
  // Read again by each construct that alarms (monitoring.ts); checked here so a bad value stops synth first.
  const monitoring = monitoringOf(app);

  // Browsers on these origins may use the desk besides the console's own (the API's CORS, the mail bucket's for
  // uploads): a custom domain, a dev server.
  const webOrigins = (contextList(app, 'webOrigins') ?? []).map((url) => new URL(url).origin);
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    description: `Helpdesk (${stage}): data that outlives deployments (table, event bus, user pool, signing key, mail identity)`,
    stage,
    signIn,
    mailReceiving,
    webOrigins,
    config,
  });
  const receivingStack =
    mailReceiving.mode === 'elsewhere'
      ? new MailReceivingStack(app, `${prefix}-MailReceiving`, {
          description: `Helpdesk (${stage}): receives the helpdesk's mail in ${mailReceiving.region} (SES receipt rule, raw-mail bucket, topic)`,
          stage,
          region: mailReceiving.region,
          config,
        })
      : undefined;
  const domain = checkApiDomain({
    domainName: contextString(app, 'domainName', ''),
    hostedZoneId: contextString(app, 'hostedZoneId', ''),
    hostedZoneName: contextString(app, 'hostedZoneName', ''),
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    description: `Helpdesk (${stage}): HTTP API, functions, event rules, queues and schedules`,
    table: stateful.table,
    eventBus: stateful.eventBus,
    users: { userPool: stateful.users.userPool, clients: stateful.users.clients },
    secrets: { signingKey: stateful.signingKey, channels: stateful.channelSecrets },
    mail: stateful.mail,
    mailReceiving,
    ...(domain ? { domain } : {}),
    // Staff mail links to the console where people sign in to it: a custom domain in front of it (the first
    // webCallbackUrls), else its CloudFront address.
    consoleUrl: signIn.callbackUrls?.[0] ? new URL(signIn.callbackUrls[0]).origin : stateful.console.url,
    config,
    console: {
      bucketArn: stateful.console.exportedBucketArn,
      bucketArnExportName: stateful.console.bucketArnExportName,
      distribution: stateful.console.distribution,
      origins: stateful.consoleOrigins,
      signIn: stateful.webSignIn,
      config,
    },
  });

  // The topic the inbound function subscribes to must exist first.
  if (receivingStack) stateless.addStackDependency(receivingStack);

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  return { app, config, stage, stateful, stateless, mailReceiving, monitoring, ...(receivingStack ? { receivingStack } : {}) };
};
