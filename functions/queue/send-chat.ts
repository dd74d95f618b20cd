// Chat queue consumer: sends each message to its Telegram or WhatsApp chat once (the claim CHATSENT#): the bot's
// answers the webhooks queued, and a ticket's news decided from its bus event (the requester mail's decision
// table, shared/domain/channels/notify-chat.ts). A failure that may pass fails the message, which comes back
// (only its unsent parts and chats go again), then is dead-lettered; every failed attempt is counted.
import { createHash } from 'node:crypto';
import { emitChatDelivery } from '#shared/business-metrics.ts';
import { ChatSendError, deliverChatMessage, type OutboundChatMessage } from '#shared/domain/channels/deliver.ts';
import { chatNotices } from '#shared/domain/channels/notify-chat.ts';
import { parseChatQueueMessage } from '#shared/events/chat-queue-message.ts';
import { sqsConsumer } from '#shared/events/sqs-consumer.ts';
import { metrics } from '#shared/metrics.ts';
import { errorForLog, logger } from '#shared/observability.ts';
import { sendChatDeps } from '#shared/wiring/send-chat-deps.ts';

export const handler = sqsConsumer(parseChatQueueMessage, async (item) => {
  const deps = sendChatDeps();
  let messages: OutboundChatMessage[];
  if (item.kind === 'event') {
    const notices = await chatNotices(deps.notices, item.event.detail);
    if ('skipped' in notices) logger.info('no chat message', { eventId: item.event.detail.id, reason: notices.skipped });
    messages = notices.messages;
  } else messages = [item.message];
  let failure: unknown;
  for (const message of messages) {
    // Channels, outcomes and a reference only: never the words or the chat. A message's id holds the person's
    // platform id (a WhatsApp id is their number), so the log has a hash of it.
    const fields = {
      message: createHash('sha256').update(message.id).digest('hex').slice(0, 16),
      channel: message.channel,
      ...(message.ticketId ? { ticketId: message.ticketId } : {}),
    };
    try {
      const outcome = await deliverChatMessage(deps.delivery, message);
      logger.info('chat message', { ...fields, ...outcome });
      if (outcome.outcome === 'sent') emitChatDelivery(metrics, 'sent', message.channel, outcome.parts);
      if (outcome.outcome === 'undeliverable') emitChatDelivery(metrics, 'failed', message.channel);
    } catch (error) {
      emitChatDelivery(metrics, 'failed', message.channel);
      logger.warn('chat message not sent; retried', {
        ...fields,
        ...(error instanceof ChatSendError ? { reason: error.reason } : { error: errorForLog(error) }),
      });
      failure ??= error;
    }
  }
  if (failure) throw failure;
});
