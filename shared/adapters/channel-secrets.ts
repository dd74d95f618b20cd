// The chat channels' secrets: Secrets Manager secrets in AWS (created by the stateful stack, their values put
// by the admin, docs/channels.md), files in the sandbox; the same variables name them, as the signing key's
// do. A value is kept five minutes, so a token the admin replaces is used without a redeploy.
import { readFileSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cachedSecretReader } from './cached-secret.ts';

export const CHANNEL_SECRET_NAMES = [
  'telegram-bot-token',
  'telegram-webhook-secret',
  'whatsapp-app-secret',
  'whatsapp-verify-token',
  'whatsapp-access-token',
] as const;
export type ChannelSecretName = (typeof CHANNEL_SECRET_NAMES)[number];

const PREFIX: Record<ChannelSecretName, string> = {
  'telegram-bot-token': 'TELEGRAM_BOT_TOKEN',
  'telegram-webhook-secret': 'TELEGRAM_WEBHOOK_SECRET',
  'whatsapp-app-secret': 'WHATSAPP_APP_SECRET',
  'whatsapp-verify-token': 'WHATSAPP_VERIFY_TOKEN',
  'whatsapp-access-token': 'WHATSAPP_ACCESS_TOKEN',
};

/** The variable that holds the secret's ARN in AWS (CDK sets it on the functions granted the secret). */
export const channelSecretArnEnv = (name: ChannelSecretName) => `${PREFIX[name]}_SECRET_ARN`;
/** The variable that names a file holding the value (the sandbox). */
export const channelSecretFileEnv = (name: ChannelSecretName) => `${PREFIX[name]}_FILE`;

let client: SecretsManagerClient | undefined;

const load = async (name: ChannelSecretName): Promise<string> => {
  const file = process.env[channelSecretFileEnv(name)];
  if (file) return readFileSync(file, 'utf8').trim();
  const secretId = process.env[channelSecretArnEnv(name)];
  if (!secretId) throw new Error(`neither ${channelSecretArnEnv(name)} nor ${channelSecretFileEnv(name)} is set`);
  client ??= new SecretsManagerClient({});
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  return SecretString?.trim() ?? '';
};

/** The secret's current value (read at most every five minutes; a failed read is not kept). */
export const channelSecret = cachedSecretReader(load);
