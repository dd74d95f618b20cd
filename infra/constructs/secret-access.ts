// What a function needs to read the secrets its spec lists (routes.ts, queues.ts): each secret's ARN in the
// variable its adapter reads, and secretsmanager:GetSecretValue on exactly those secrets (not DescribeSecret,
// not the versions).
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CHANNEL_SECRET_NAMES, channelSecretArnEnv } from '#shared/adapters/channel-secrets.ts';
import { SIGNING_KEY_SECRET_ENV } from '#shared/adapters/signing-key.ts';
import type { SecretName } from '#shared/http/routes.ts';
import type { HelpdeskFunction } from './helpdesk-function.ts';

/** The environment variable each secret's ARN is passed in. */
export const SECRET_ENV: Record<SecretName, string> = {
  'signing-key': SIGNING_KEY_SECRET_ENV,
  ...(Object.fromEntries(CHANNEL_SECRET_NAMES.map((name) => [name, channelSecretArnEnv(name)])) as Record<
    (typeof CHANNEL_SECRET_NAMES)[number],
    string
  >),
};

/** The environment a function reading `names` gets. */
export const secretEnvironment = (names: readonly SecretName[], secrets: Record<SecretName, secretsmanager.ISecret>) =>
  Object.fromEntries([...new Set(names)].map((name) => [SECRET_ENV[name], secrets[name].secretArn]));

/** Read access to exactly these secrets. */
export const grantSecrets = (fn: HelpdeskFunction, names: readonly SecretName[], secrets: Record<SecretName, secretsmanager.ISecret>) => {
  const unique = [...new Set(names)];
  if (unique.length === 0) return;
  fn.addToRolePolicy(
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: unique.map((name) => secrets[name].secretArn) }),
  );
};
