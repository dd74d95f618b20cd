// The webhooks' signing keys by secret name: Secrets Manager in AWS (the function may read exactly the secrets
// the configuration names), a file of that name under WEBHOOK_SECRETS_DIR in the sandbox. A value is kept for
// five minutes, so a rotated key is used soon without reading the secret for every delivery.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The sandbox's directory of webhook secrets (`<dir>/<secret name, URI-encoded>`); unset in AWS. */
export const WEBHOOK_SECRETS_DIR_ENV = 'WEBHOOK_SECRETS_DIR';

const KEEP_MS = 5 * 60_000;

/** A secret's file in the sandbox's directory: the name URI-encoded, so `helpdesk/webhooks/erp` is one file. */
export const webhookSecretFile = (dir: string, name: string) => join(dir, encodeURIComponent(name));

let client: SecretsManagerClient | undefined;
const cache = new Map<string, { value: Promise<string>; until: number }>();

const read = async (name: string): Promise<string> => {
  const dir = process.env[WEBHOOK_SECRETS_DIR_ENV];
  if (dir) return readFileSync(webhookSecretFile(dir, name), 'utf8').trim();
  client ??= new SecretsManagerClient({ maxAttempts: 3 });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: name }));
  if (!SecretString) throw new Error(`webhook secret ${name} has no string value`);
  return SecretString;
};

export const webhookSecret = (name: string, now = Date.now()): Promise<string> => {
  const kept = cache.get(name);
  if (kept && kept.until > now) return kept.value;
  const value = read(name);
  cache.set(name, { value, until: now + KEEP_MS });
  // A failed read is retried on the next delivery, not kept.
  value.catch(() => cache.delete(name));
  return value;
};
