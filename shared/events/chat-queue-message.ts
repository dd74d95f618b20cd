// What the chat queue carries: ticket events from the bus (the notify-chat rule), and messages the webhooks
// put there (the bot's answers, shared/adapters/chat-outbox.ts). Validated before anything is sent; anything
// else is refused and dead-lettered.

import { CHAT_CHANNELS } from '#shared/domain/channels/chat-account.ts';
import type { OutboundChatMessage } from '#shared/domain/channels/deliver.ts';
import * as z from '#shared/domain/zod.ts';
import { InvalidMessageError, parseTicketBusEvent, type TicketBusEvent } from './ticket-bus-event.ts';

const outboundSchema = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    id: z.string().check(z.minLength(1), z.maxLength(512)),
    channel: z.enum(CHAT_CHANNELS),
    chatId: z.string().check(z.minLength(1), z.maxLength(64)),
    text: z.string().check(z.maxLength(100_000)),
    keyboard: z.optional(
      z.union([z.literal('remove'), z.strictObject({ shareContact: z.string().check(z.minLength(1), z.maxLength(64)) })]),
    ),
    template: z.optional(z.strictObject({ name: z.string(), language: z.string(), parameters: z.array(z.string()) })),
    ticketId: z.optional(z.string()),
  }),
);

const bodySchema = /* @__PURE__ */ z.schema(() => z.strictObject({ kind: z.literal('chat-message'), message: outboundSchema }));

export type ChatQueueMessage = { kind: 'event'; event: TicketBusEvent } | { kind: 'message'; message: OutboundChatMessage };

export const parseChatQueueMessage = (body: string): ChatQueueMessage => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidMessageError(['(body): is not JSON'], 'a chat queue message');
  }
  if (typeof json === 'object' && json !== null && 'detail-type' in json) return { kind: 'event', event: parseTicketBusEvent(body) };
  const result = bodySchema.safeParse(json);
  if (!result.success)
    throw new InvalidMessageError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.code}`),
      'a chat queue message',
    );
  return { kind: 'message', message: result.data.message };
};
