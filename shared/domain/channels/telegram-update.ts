// Telegram's webhook body (a Bot API `Update`) and what the desk takes from it. The schema names only the
// fields the desk reads and lets every other through: Telegram adds fields and update kinds over time, and
// an update the desk does not act on is still answered 200, or Telegram would deliver it again and again.
// https://core.telegram.org/bots/api#update
import * as z from '#shared/domain/zod.ts';
import type { UnsupportedKind } from './channel-texts.ts';
import type { InboundChatMessage } from './receive-message.ts';

const telegramUser = /* @__PURE__ */ z.schema(() =>
  z.object({
    id: z.number().check(z.int()),
    is_bot: z.optional(z.boolean()),
    first_name: z.optional(z.string().check(z.maxLength(256))),
    language_code: z.optional(z.string().check(z.maxLength(35))),
  }),
);

const telegramMessage = /* @__PURE__ */ z.schema(() =>
  z.object({
    message_id: z.number().check(z.int()),
    from: z.optional(telegramUser),
    chat: z.object({ id: z.number().check(z.int()), type: z.string() }),
    date: z.number().check(z.int()),
    text: z.optional(z.string()),
    /** Telegram's own check: a contact whose user_id is the sender's is the sender's own number. */
    contact: z.optional(z.object({ phone_number: z.string().check(z.maxLength(64)), user_id: z.optional(z.number().check(z.int())) })),
    reply_to_message: z.optional(z.object({ message_id: z.number().check(z.int()) })),
    sticker: z.optional(z.unknown()),
    photo: z.optional(z.unknown()),
    voice: z.optional(z.unknown()),
    audio: z.optional(z.unknown()),
    video_note: z.optional(z.unknown()),
    video: z.optional(z.unknown()),
    animation: z.optional(z.unknown()),
    document: z.optional(z.unknown()),
    location: z.optional(z.unknown()),
    venue: z.optional(z.unknown()),
  }),
);
type TelegramMessage = z.infer<typeof telegramMessage>;

export const telegramUpdateSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    update_id: z.number().check(z.int(), z.nonnegative()),
    message: z.optional(telegramMessage),
  }),
);
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;

const kindOf = (message: TelegramMessage): UnsupportedKind => {
  if (message.sticker !== undefined) return 'sticker';
  if (message.photo !== undefined) return 'image';
  if (message.voice !== undefined || message.audio !== undefined || message.video_note !== undefined) return 'voice';
  if (message.video !== undefined || message.animation !== undefined) return 'video';
  if (message.document !== undefined) return 'document';
  if (message.location !== undefined || message.venue !== undefined) return 'location';
  return 'other';
};

/**
 * The message a person sent the bot in a private chat, or undefined for anything the desk does not answer:
 * another kind of update (an edit, a member change), a group, another bot.
 */
export const telegramMessageOf = (update: TelegramUpdate): InboundChatMessage | undefined => {
  const { message } = update;
  if (!message?.from || message.from.is_bot || message.chat.type !== 'private') return undefined;
  const language = message.from.language_code?.slice(0, 2);
  return {
    channel: 'telegram',
    deliveryId: String(update.update_id),
    userId: String(message.from.id),
    chatId: String(message.chat.id),
    name: message.from.first_name,
    language: language === 'id' || language === 'en' ? language : undefined,
    replyTo: message.reply_to_message ? String(message.reply_to_message.message_id) : undefined,
    content:
      message.text !== undefined
        ? { kind: 'text', text: message.text }
        : message.contact
          ? { kind: 'contact', phone: message.contact.phone_number, own: message.contact.user_id === message.from.id }
          : { kind: 'unsupported', type: kindOf(message) },
  };
};
