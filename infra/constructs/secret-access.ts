// What a function needs to read the secrets its spec lists (routes.ts, queues.ts): each secret's ARN in the
// variable its adapter reads, and secretsmanager:GetSecretValue on exactly those secrets (not DescribeSecret,
// not the versions); the signing key is an SSM parameter the function may only read (signing-key.ts).
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CHANNEL_SECRET_PLACE, type ChannelSecretName, channelSecretArnEnv } from '#shared/adapters/channel-secrets.ts';
import type { ChatChannel } from '#shared/domain/channels/chat-account.ts';
import type { SecretName } from '#shared/http/routes.ts';
import type { HelpdeskFunction } from './helpdesk-function.ts';
import type { SigningKeyParameter } from './signing-key.ts';

/** Where the secrets a spec may list live: the signing key's parameter, each channel's secret (only the channels
 *  the configuration turns on have one). */
export type SecretSources = { signingKey: SigningKeyParameter; channels: Partial<Record<ChatChannel, secretsmanager.ISecret>> };

/** The channels' secrets that hold the values `names` lists, of the channels that are on (one secret per channel). */
const channelSecretsOf = (names: readonly SecretName[], sources: SecretSources) =>
  [
    ...new Set(names.filter((name): name is ChannelSecretName => name !== 'signing-key').map((name) => CHANNEL_SECRET_PLACE[name].channel)),
  ].flatMap((channel) => {
    const secret = sources.channels[channel];
    return secret ? [{ channel, secret }] : [];
  });

/** The environment a function reading `names` gets. */
export const secretEnvironment = (names: readonly SecretName[], sources: SecretSources): Record<string, string> => ({
  ...(names.includes('signing-key') ? sources.signingKey.environment() : {}),
  ...Object.fromEntries(channelSecretsOf(names, sources).map(({ channel, secret }) => [channelSecretArnEnv(channel), secret.secretArn])),
});

/** Read access to exactly these secrets (a channel's whole secret: Secrets Manager grants no finer than a secret). */
export const grantSecrets = (fn: HelpdeskFunction, names: readonly SecretName[], sources: SecretSources) => {
  if (names.includes('signing-key')) sources.signingKey.grantRead(fn);
  const channels = channelSecretsOf(names, sources);
  if (channels.length === 0) return;
  fn.addToRolePolicy(
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: channels.map(({ secret }) => secret.secretArn) }),
  );
};
