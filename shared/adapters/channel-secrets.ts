// The chat channels' secrets: one Secrets Manager secret per channel in AWS, a JSON object of that channel's
// values (created by the stateful stack only when the configuration turns the channel on; the platform's values
// put by the admin, docs/channels.md), one file per value in the sandbox. A value is kept five minutes, so a
// token the admin replaces is used without a redeploy.
import { readFileSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ChatChannel } from '#shared/domain/channels/chat-account.ts';
import { cachedSecretReader } from './cached-secret.ts';

export const CHANNEL_SECRET_NAMES = [
  'telegram-bot-token',
  'telegram-webhook-secret',
  'whatsapp-app-secret',
  'whatsapp-verify-token',
  'whatsapp-access-token',
] as const;
export type ChannelSecretName = (typeof CHANNEL_SECRET_NAMES)[number];

/** Where each value lives: its channel's secret, under this key of the secret's JSON. */
export const CHANNEL_SECRET_PLACE: Record<ChannelSecretName, { channel: ChatChannel; key: string }> = {
  'telegram-bot-token': { channel: 'telegram', key: 'botToken' },
  'telegram-webhook-secret': { channel: 'telegram', key: 'webhookSecret' },
  'whatsapp-app-secret': { channel: 'whatsapp', key: 'appSecret' },
  'whatsapp-verify-token': { channel: 'whatsapp', key: 'verifyToken' },
  'whatsapp-access-token': { channel: 'whatsapp', key: 'accessToken' },
};

const FILE_PREFIX: Record<ChannelSecretName, string> = {
  'telegram-bot-token': 'TELEGRAM_BOT_TOKEN',
  'telegram-webhook-secret': 'TELEGRAM_WEBHOOK_SECRET',
  'whatsapp-app-secret': 'WHATSAPP_APP_SECRET',
  'whatsapp-verify-token': 'WHATSAPP_VERIFY_TOKEN',
  'whatsapp-access-token': 'WHATSAPP_ACCESS_TOKEN',
};

/** The variable that holds the channel's secret's ARN in AWS (CDK sets it on the functions granted the secret). */
export const channelSecretArnEnv = (channel: ChatChannel) => `${channel.toUpperCase()}_SECRET_ARN`;
/** The variable that names a file holding one value (the sandbox). */
export const channelSecretFileEnv = (name: ChannelSecretName) => `${FILE_PREFIX[name]}_FILE`;

let client: SecretsManagerClient | undefined;

const load = async (name: ChannelSecretName): Promise<string> => {
  const file = process.env[channelSecretFileEnv(name)];
  if (file) return readFileSync(file, 'utf8').trim();
  const { channel, key } = CHANNEL_SECRET_PLACE[name];
  const secretId = process.env[channelSecretArnEnv(channel)];
  if (!secretId) throw new Error(`neither ${channelSecretArnEnv(channel)} nor ${channelSecretFileEnv(name)} is set`);
  client ??= new SecretsManagerClient({});
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  let values: unknown;
  try {
    values = JSON.parse(SecretString ?? '');
  } catch {
    throw new Error(`the ${channel} secret is not a JSON object (docs/channels.md shows its keys)`);
  }
  const value = (values as Record<string, unknown> | null)?.[key];
  if (typeof value !== 'string') throw new Error(`the ${channel} secret has no "${key}" (docs/channels.md shows its keys)`);
  return value.trim();
};

/** The secret's current value (read at most every five minutes; a failed read is not kept). */
export const channelSecret = cachedSecretReader(load);
