// POST /channels/whatsapp — WhatsApp Cloud API's webhook (docs/channels.md). No JWT: Meta's signature of the
// raw body with the app secret (X-Hub-Signature-256) is the proof, checked before the body is read (401
// otherwise). Each message to the configured number is acted on once per message id and answered through the
// chat queue; WhatsApp's reports of the desk's messages that failed are counted.

import { channelSecret } from '#shared/adapters/channel-secrets.ts';
import { emitChatDelivery } from '#shared/business-metrics.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { receiveChatMessage } from '#shared/domain/channels/receive-message.ts';
import { channelOff, whatsappSignatureMatches } from '#shared/domain/channels/webhook-auth.ts';
import { whatsappDeliveriesOf, whatsappNotificationSchema } from '#shared/domain/channels/whatsapp-notification.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { metrics } from '#shared/metrics.ts';
import { logger } from '#shared/observability.ts';
import { channelDeps } from '#shared/wiring/channel-deps.ts';

export const handler = httpHandler(
  {
    auth: false,
    body: whatsappNotificationSchema,
    webhook: async ({ headers, rawBody }) => {
      // Off: the stacks made no secret to check against (docs/decisions.md, "Idle cost").
      const off = channelOff(loadConfig(), 'whatsapp');
      if (off) throw off;
      return whatsappSignatureMatches(await channelSecret('whatsapp-app-secret'), rawBody, headers['x-hub-signature-256']);
    },
  },
  async ({ body }) => {
    const whatsapp = loadConfig().channels.whatsapp;
    if (!whatsapp) throw channelOff(loadConfig(), 'whatsapp')!;
    const deliveries = whatsappDeliveriesOf(body, whatsapp.phoneNumberId);
    // One after the other: a failure fails the whole notification, Meta delivers it again, and the messages
    // already handled are then duplicates (their claims), so each is acted on once.
    const outcomes: string[] = [];
    for (const message of deliveries.messages) outcomes.push((await receiveChatMessage(channelDeps(), message)).outcome);
    if (deliveries.failedDeliveries > 0) emitChatDelivery(metrics, 'failed', 'whatsapp', deliveries.failedDeliveries);
    // Counts and outcomes only: never the words, the name or the number.
    logger.info('whatsapp notification', { outcomes, failedDeliveries: deliveries.failedDeliveries, ignored: deliveries.ignored });
    return { status: 200, body: { ok: true } };
  },
);
