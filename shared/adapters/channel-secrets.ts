// The chat channels' credentials: one SSM Parameter Store SecureString per value in AWS,
// `/helpdesk/<stage>/<name>` (standard tier: no monthly charge, where a Secrets Manager secret costs USD 0.40;
// docs/decisions.md, "Chat credentials in Parameter Store"), put by the admin at set-up (docs/channels.md);
// one file per value in the sandbox. A value is kept five minutes, so a token the admin replaces is used
// without a redeploy. Errors name the parameter, never its value.
import { readFileSync } from 'node:fs';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
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

/** The channel each value belongs to: a function is given a value only while its channel is on. */
export const CHANNEL_OF_SECRET: Record<ChannelSecretName, ChatChannel> = {
  'telegram-bot-token': 'telegram',
  'telegram-webhook-secret': 'telegram',
  'whatsapp-app-secret': 'whatsapp',
  'whatsapp-verify-token': 'whatsapp',
  'whatsapp-access-token': 'whatsapp',
};

const ENV_PREFIX: Record<ChannelSecretName, string> = {
  'telegram-bot-token': 'TELEGRAM_BOT_TOKEN',
  'telegram-webhook-secret': 'TELEGRAM_WEBHOOK_SECRET',
  'whatsapp-app-secret': 'WHATSAPP_APP_SECRET',
  'whatsapp-verify-token': 'WHATSAPP_VERIFY_TOKEN',
  'whatsapp-access-token': 'WHATSAPP_ACCESS_TOKEN',
};

/** The variable that names the value's parameter in AWS (CDK sets it on the functions granted the parameter). */
export const channelSecretParameterEnv = (name: ChannelSecretName) => `${ENV_PREFIX[name]}_PARAMETER`;
/** The variable that names a file holding the value (the sandbox). */
export const channelSecretFileEnv = (name: ChannelSecretName) => `${ENV_PREFIX[name]}_FILE`;

/** A value that is not there to read (not put yet, empty, or no variable names it). Logs show its name, which is
 *  all they show of an error (errorForLog); the message names the parameter, never a value. */
export class ChatCredentialMissing extends Error {
  override readonly name = 'ChatCredentialMissing';
}

let client: SSMClient | undefined;

const load = async (name: ChannelSecretName): Promise<string> => {
  const file = process.env[channelSecretFileEnv(name)];
  if (file) return readFileSync(file, 'utf8').trim();
  const parameter = process.env[channelSecretParameterEnv(name)];
  if (!parameter) throw new ChatCredentialMissing(`neither ${channelSecretParameterEnv(name)} nor ${channelSecretFileEnv(name)} is set`);
  client ??= new SSMClient({});
  try {
    const { Parameter } = await client.send(new GetParameterCommand({ Name: parameter, WithDecryption: true }));
    const value = Parameter?.Value?.trim();
    if (!value) throw new ChatCredentialMissing(`the parameter ${parameter} is empty: put the ${name} there (docs/channels.md)`);
    return value;
  } catch (error) {
    if (error instanceof ParameterNotFound)
      throw new ChatCredentialMissing(`the parameter ${parameter} does not exist yet: put the ${name} there (docs/channels.md)`);
    throw error;
  }
};

/** The value (read at most every five minutes; a failed read is not kept). */
export const channelSecret = cachedSecretReader(load);
