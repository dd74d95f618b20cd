// Builds the whole CDK app: validates the helpdesk configuration, creates both stacks and registers the
// cdk-nag AwsSolutions checks. `infra/app.ts` (the `cdk` entry point) and the infra tests both call this.
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig, parseConfig } from '#shared/config/load-config.ts';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
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
};

// Placeholders so that synth works before the Cognito user pool exists; see StatelessStack.
const DEFAULT_JWT_ISSUER = 'https://issuer.example.invalid';
const DEFAULT_JWT_AUDIENCE = 'helpdesk';

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

const contextString = (app: App, key: string, fallback: string): string => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string') throw new Error(`CDK context "${key}" must be a string`);
  return value;
};

export const buildApp = (props: BuildAppProps = {}): HelpdeskApp => {
  // Refuse an invalid SOP before building anything: ConfigError names every offending field.
  const config = props.config === undefined ? loadConfig() : parseConfig(props.config);

  const appProps: AppProps = { context: props.context ?? {}, ...(props.outdir ? { outdir: props.outdir } : {}) };
  const app = new App(appProps);

  const stage = contextString(app, 'stage', 'dev');
  if (!STAGE_PATTERN.test(stage)) {
    throw new Error(`CDK context "stage" must match ${STAGE_PATTERN} (lower-case, used in stack names); got "${stage}"`);
  }
  const prefix = `Helpdesk-${stage}`;
  const jwtIssuer = contextString(app, 'jwtIssuer', DEFAULT_JWT_ISSUER);
  const jwtAudience = contextString(app, 'jwtAudience', DEFAULT_JWT_AUDIENCE)
    .split(',')
    .map((audience) => audience.trim())
    .filter(Boolean);

  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    description: `Helpdesk (${stage}): data that outlives deployments (DynamoDB table, event bus and its archive)`,
    stage,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    description: `Helpdesk (${stage}): HTTP API, functions, event rules, queues and schedules`,
    table: stateful.table,
    eventBus: stateful.eventBus,
    jwt: { issuer: jwtIssuer, audience: jwtAudience },
    secrets: { 'signing-key': stateful.signingKey },
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  return { app, config, stage, stateful, stateless };
};
