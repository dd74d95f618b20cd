// What a function needs to read the secrets its spec lists (routes.ts, queues.ts): each secret's ARN in the
// variable its adapter reads, and secretsmanager:GetSecretValue on exactly those secrets (not DescribeSecret,
// not the versions); the signing key is an SSM parameter the function may only read (signing-key.ts).
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { ChannelSecretName } from '#shared/adapters/channel-secrets.ts';
import { CHANNEL_SECRET_NAMES, channelSecretArnEnv } from '#shared/adapters/channel-secrets.ts';
import type { SecretName } from '#shared/http/routes.ts';
import type { HelpdeskFunction } from './helpdesk-function.ts';
import type { SigningKeyParameter } from './signing-key.ts';

/** Where the secrets a spec may list live: the signing key's parameter, the channels' secrets. */
export type SecretSources = { signingKey: SigningKeyParameter; channels: Record<ChannelSecretName, secretsmanager.ISecret> };

/** The environment variable each channel secret's ARN is passed in. */
export const SECRET_ENV: Record<ChannelSecretName, string> = Object.fromEntries(
  CHANNEL_SECRET_NAMES.map((name) => [name, channelSecretArnEnv(name)]),
) as Record<ChannelSecretName, string>;

const channelNames = (names: readonly SecretName[]) =>
  [...new Set(names)].filter((name): name is ChannelSecretName => name !== 'signing-key');

/** The environment a function reading `names` gets. */
export const secretEnvironment = (names: readonly SecretName[], sources: SecretSources): Record<string, string> => ({
  ...(names.includes('signing-key') ? sources.signingKey.environment() : {}),
  ...Object.fromEntries(channelNames(names).map((name) => [SECRET_ENV[name], sources.channels[name].secretArn])),
});

/** Read access to exactly these secrets. */
export const grantSecrets = (fn: HelpdeskFunction, names: readonly SecretName[], sources: SecretSources) => {
  if (names.includes('signing-key')) sources.signingKey.grantRead(fn);
  const channels = channelNames(names);
  if (channels.length === 0) return;
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: channels.map((name) => sources.channels[name].secretArn),
    }),
  );
};
