// What a function needs to read the secrets its spec lists (routes.ts, queues.ts): each one is an SSM Parameter
// Store SecureString (secure-parameter.ts), so the function gets the parameter's name in the variable its adapter
// reads and ssm:GetParameter on exactly those parameters (not GetParameters by path, not the history).
import type { ChannelSecretName } from '#shared/adapters/channel-secrets.ts';
import type { SecretName } from '#shared/http/routes.ts';
import type { HelpdeskFunction } from './helpdesk-function.ts';
import { grantParameterReads, type SecureParameter } from './secure-parameter.ts';
import type { SigningKeyParameter } from './signing-key.ts';

/** Where the secrets a spec may list live: the signing key's parameter, and each chat credential's parameter (only
 *  the values of the channels the configuration turns on have one). */
export type SecretSources = { signingKey: SigningKeyParameter; channels: Partial<Record<ChannelSecretName, SecureParameter>> };

/** The parameters that hold `names`: a channel's value only while that channel is on. */
const parametersOf = (names: readonly SecretName[], sources: SecretSources): SecureParameter[] =>
  [...new Set(names)].flatMap((name) => {
    const parameter = name === 'signing-key' ? sources.signingKey : sources.channels[name];
    return parameter ? [parameter] : [];
  });

/** The environment a function reading `names` gets. */
export const secretEnvironment = (names: readonly SecretName[], sources: SecretSources): Record<string, string> =>
  Object.assign({}, ...parametersOf(names, sources).map((parameter) => parameter.environment()));

/** Read access to exactly these values, one parameter each. */
export const grantSecrets = (fn: HelpdeskFunction, names: readonly SecretName[], sources: SecretSources) =>
  grantParameterReads(fn, parametersOf(names, sources));
