// POST /channels/telegram — Telegram's webhook (setWebhook with secret_token, docs/channels.md). No JWT: the
// secret token header is the proof, compared in constant time before the body is read (401 otherwise). A
// private message to the bot is acted on once per update_id and answered through the chat queue; anything
// else Telegram sends (edits, groups, other update kinds) is acknowledged and left alone.
import { channelSecret } from '#shared/adapters/channel-secrets.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { receiveChatMessage } from '#shared/domain/channels/receive-message.ts';
import { telegramMessageOf, telegramUpdateSchema } from '#shared/domain/channels/telegram-update.ts';
import { channelOff, telegramSecretMatches } from '#shared/domain/channels/webhook-auth.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { logger } from '#shared/observability.ts';
import { channelDeps } from '#shared/wiring/channel-deps.ts';

export const handler = httpHandler(
  {
    auth: false,
    body: telegramUpdateSchema,
    webhook: async ({ headers }) => {
      // Off: the stacks made no secret to check against (docs/decisions.md, "Idle cost").
      const off = channelOff(loadConfig(), 'telegram');
      if (off) throw off;
      return telegramSecretMatches(await channelSecret('telegram-webhook-secret'), headers['x-telegram-bot-api-secret-token']);
    },
  },
  async ({ body }) => {
    const message = telegramMessageOf(body);
    const { outcome } = message ? await receiveChatMessage(channelDeps(), message) : { outcome: 'ignored' };
    // Ids and outcomes only: never the words, the name or the number.
    logger.info('telegram update', { updateId: body.update_id, outcome });
    return { status: 200, body: { ok: true } };
  },
);
