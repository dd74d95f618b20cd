// The webhooks' signing keys by secret name: Secrets Manager in AWS (the function may read exactly the secrets
// the configuration names), a file of that name under WEBHOOK_SECRETS_DIR in the sandbox. A value is kept for
// five minutes, so a rotated key is used soon without reading the secret for every delivery.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cachedSecretReader } from './cached-secret.ts';

/** The sandbox's directory of webhook secrets (`<dir>/<secret name, URI-encoded>`); unset in AWS. */
export const WEBHOOK_SECRETS_DIR_ENV = 'WEBHOOK_SECRETS_DIR';

/** A secret's file in the sandbox's directory: the name URI-encoded, so `helpdesk/webhooks/erp` is one file. */
export const webhookSecretFile = (dir: string, name: string) => join(dir, encodeURIComponent(name));

let client: SecretsManagerClient | undefined;

const read = async (name: string): Promise<string> => {
  const dir = process.env[WEBHOOK_SECRETS_DIR_ENV];
  if (dir) return readFileSync(webhookSecretFile(dir, name), 'utf8').trim();
  client ??= new SecretsManagerClient({ maxAttempts: 3 });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: name }));
  if (!SecretString) throw new Error(`webhook secret ${name} has no string value`);
  return SecretString;
};

export const webhookSecret = cachedSecretReader(read);
