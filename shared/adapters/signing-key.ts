// The helpdesk's signing key (tracking links, reply addresses): a Secrets Manager secret in AWS, a file
// generated under the sandbox directory locally. Read once per cold start.
import { readFileSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The secret's ARN in AWS. */
export const SIGNING_KEY_SECRET_ENV = 'SIGNING_KEY_SECRET_ARN';
/** A file holding the key, for the sandbox and tests. */
export const SIGNING_KEY_FILE_ENV = 'SIGNING_KEY_FILE';

let key: Promise<Buffer> | undefined;

const load = async (): Promise<Buffer> => {
  const file = process.env[SIGNING_KEY_FILE_ENV];
  if (file) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const secretId = process.env[SIGNING_KEY_SECRET_ENV];
  if (!secretId) throw new Error(`neither ${SIGNING_KEY_SECRET_ENV} nor ${SIGNING_KEY_FILE_ENV} is set`);
  const client = new SecretsManagerClient({});
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!SecretString || SecretString.length < 32) throw new Error('the signing key secret is empty or too short');
    return Buffer.from(SecretString, 'utf8');
  } finally {
    client.destroy();
  }
};

export const signingKey = (): Promise<Buffer> => {
  key ??= load().catch((error: unknown) => {
    key = undefined; // a failed read is retried on the next call, not cached
    throw error;
  });
  return key;
};
