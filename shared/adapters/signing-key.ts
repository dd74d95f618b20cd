// The helpdesk's signing key (tracking links, reply addresses): an SSM Parameter Store SecureString in AWS
// (standard tier: no monthly charge, unlike a Secrets Manager secret; docs/decisions.md, "Idle cost"), a file
// generated under the sandbox directory locally. Read once per cold start.
//
// CloudFormation cannot create a SecureString, so the key is made by the one function that signs (notify), the
// first time it needs it: a random value put with Overwrite false, so two cold starts racing both end up with
// whichever value SSM kept. The functions that only verify never create it: before the first mail there is
// nothing signed, so they verify against a throwaway key (every token fails, as it should) without keeping it.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetParameterCommand, ParameterAlreadyExists, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/** The parameter's name in AWS (`/helpdesk/<stage>/signing-key`). */
export const SIGNING_KEY_PARAMETER_ENV = 'SIGNING_KEY_PARAMETER';
/** A file holding the key, for the sandbox and tests. */
export const SIGNING_KEY_FILE_ENV = 'SIGNING_KEY_FILE';

/** 48 random bytes as 64 URL-safe characters: the value a new deployment gets (the key is its UTF-8 bytes). */
const newKeyValue = () => randomBytes(48).toString('base64url');

type Loaded = { key: Buffer; keep: boolean };

const read = async (client: SSMClient, name: string): Promise<Buffer | undefined> => {
  try {
    const { Parameter } = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    const value = Parameter?.Value ?? '';
    if (value.length < 32) throw new Error('the signing key parameter is empty or too short');
    return Buffer.from(value, 'utf8');
  } catch (error) {
    if (error instanceof ParameterNotFound) return undefined;
    throw error;
  }
};

const load = async (create: boolean): Promise<Loaded> => {
  const file = process.env[SIGNING_KEY_FILE_ENV];
  if (file) return { key: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'), keep: true };
  const name = process.env[SIGNING_KEY_PARAMETER_ENV];
  if (!name) throw new Error(`neither ${SIGNING_KEY_PARAMETER_ENV} nor ${SIGNING_KEY_FILE_ENV} is set`);
  const client = new SSMClient({});
  try {
    const found = await read(client, name);
    if (found) return { key: found, keep: true };
    if (!create) return { key: randomBytes(32), keep: false };
    try {
      await client.send(
        new PutParameterCommand({
          Name: name,
          Type: 'SecureString',
          Tier: 'Standard',
          Overwrite: false,
          Value: newKeyValue(),
          Description: 'Helpdesk: key that signs tracking links and reply addresses in mails to requesters',
        }),
      );
    } catch (error) {
      if (!(error instanceof ParameterAlreadyExists)) throw error; // another cold start made it first: use theirs
    }
    const made = await read(client, name);
    if (!made) throw new Error('the signing key parameter was put but cannot be read back');
    return { key: made, keep: true };
  } finally {
    client.destroy();
  }
};

const reader = (create: boolean) => {
  let kept: Promise<Loaded> | undefined;
  return async (): Promise<Buffer> => {
    const loading = (kept ??= load(create));
    try {
      const { key, keep } = await loading;
      if (!keep && kept === loading) kept = undefined; // a throwaway key is never reused: the real one may appear
      return key;
    } catch (error) {
      if (kept === loading) kept = undefined; // a failed read is retried on the next call, not cached
      throw error;
    }
  };
};

/** The key, for functions that only verify tokens (tracking links, rating links, reply addresses). */
export const signingKey: () => Promise<Buffer> = reader(false);

/** The key, made on first use: for the one function that signs (notify). */
export const signingKeyCreatingIfMissing: () => Promise<Buffer> = reader(true);
