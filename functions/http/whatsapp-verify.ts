// GET /channels/whatsapp — Meta's check of the callback URL when the webhook is registered: with
// hub.mode=subscribe and the verify token (compared in constant time) it is answered with hub.challenge, as
// text; anything else is 401.
import { channelSecret } from '#shared/adapters/channel-secrets.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { channelOff, whatsappChallenge, whatsappVerifyQuerySchema } from '#shared/domain/channels/webhook-auth.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { httpHandler } from '#shared/http/http-handler.ts';

export const handler = httpHandler({ auth: false, query: whatsappVerifyQuerySchema }, async ({ query }) => {
  const off = channelOff(loadConfig(), 'whatsapp');
  if (off) throw off;
  const challenge = whatsappChallenge(await channelSecret('whatsapp-verify-token'), query);
  if (!challenge) throw new DomainError('unauthorized', 'The verify token does not match, or this is not a subscription check.');
  return { status: 200, text: challenge, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } };
});
