// How the webhooks know a delivery came from the platform, since they have no JWT: Telegram repeats the
// secret token given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`; Meta signs the raw body with the
// app secret (`X-Hub-Signature-256: sha256=<hex HMAC-SHA256>`) and, once, proves the callback URL with the
// verify token. Every comparison takes the same time whatever matches, so a timing cannot reveal a secret.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import { type DomainError, notFound } from '#shared/domain/errors.ts';
import * as z from '#shared/domain/zod.ts';
import type { ChatChannel } from './chat-account.ts';

const CHANNEL_NAME: Record<ChatChannel, string> = { telegram: 'Telegram', whatsapp: 'WhatsApp' };

/** A channel the configuration does not turn on: its webhooks answer 404 (the stacks made no secret for it). */
export const channelOff = (config: Pick<HelpdeskConfig, 'channels'>, channel: ChatChannel): DomainError | undefined =>
  config.channels[channel]
    ? undefined
    : notFound(`${CHANNEL_NAME[channel]} is not set up for this desk (channels.${channel} in the configuration).`);

/** Equal strings, compared in constant time (both hashed first, so their lengths do not show either). */
export const sameSecret = (expected: string, given: string | undefined): boolean => {
  if (given === undefined || expected.length === 0) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
};

/** Telegram: the header is the secret token the webhook was registered with. */
export const telegramSecretMatches = (secretToken: string, header: string | undefined) => sameSecret(secretToken, header);

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** Meta: the header is the HMAC-SHA256 of the body's exact bytes, keyed with the app secret. */
export const whatsappSignatureMatches = (appSecret: string, rawBody: Buffer, header: string | undefined): boolean => {
  const given = SIGNATURE.exec(header?.trim() ?? '')?.[1];
  if (!given || appSecret.length === 0) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
};

/** Meta's callback check: `hub.mode=subscribe` with the verify token is answered with `hub.challenge`. */
export const whatsappChallenge = (
  verifyToken: string,
  query: { 'hub.mode'?: string | undefined; 'hub.verify_token'?: string | undefined; 'hub.challenge'?: string | undefined },
): string | undefined =>
  query['hub.mode'] === 'subscribe' && sameSecret(verifyToken, query['hub.verify_token']) ? query['hub.challenge'] : undefined;

/** Meta's three parameters; the challenge is echoed, so it may only be a token (Meta sends a number). */
export const whatsappVerifyQuerySchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    'hub.mode': z.optional(z.string().check(z.maxLength(32))),
    'hub.verify_token': z.optional(z.string().check(z.maxLength(512))),
    'hub.challenge': z.optional(
      z.string().check(z.regex(/^[A-Za-z0-9._-]{1,256}$/, 'must be the challenge Meta sends (letters, digits, . _ -)')),
    ),
  }),
);
