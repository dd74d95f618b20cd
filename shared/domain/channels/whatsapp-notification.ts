// WhatsApp Cloud API's webhook body and what the desk takes from it: the messages people sent the configured
// business number (one notification may carry several), and the delivery reports of the desk's own messages
// that failed. Only the fields the desk reads are named; Meta adds fields and kinds over time, and a
// notification the desk does not act on is still answered 200 (Meta retries anything else for days).
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
import * as z from '#shared/domain/zod.ts';
import type { UnsupportedKind } from './channel-texts.ts';
import type { InboundChatMessage } from './receive-message.ts';

const whatsappMessage = /* @__PURE__ */ z.schema(() =>
  z.object({
    /** The sender's WhatsApp id: their number in international form, digits only. */
    from: z.string().check(z.regex(/^\d{5,20}$/)),
    id: z.string().check(z.minLength(1), z.maxLength(512)),
    timestamp: z.optional(z.string()),
    type: z.string(),
    text: z.optional(z.object({ body: z.string() })),
    /** A quick-reply button of a template the desk sent. */
    button: z.optional(z.object({ text: z.string() })),
    /** Set when the person replied to a particular message: its id. */
    context: z.optional(z.object({ id: z.optional(z.string()) })),
  }),
);

const messagesValue = /* @__PURE__ */ z.schema(() =>
  z.object({
    metadata: z.optional(z.object({ phone_number_id: z.string() })),
    contacts: z.optional(
      z.array(z.object({ wa_id: z.string(), profile: z.optional(z.object({ name: z.optional(z.string().check(z.maxLength(256))) })) })),
    ),
    messages: z.optional(z.array(whatsappMessage)),
    statuses: z.optional(z.array(z.object({ id: z.string(), status: z.string() }))),
  }),
);

export const whatsappNotificationSchema = /* @__PURE__ */ z.schema(() =>
  z.object({
    object: z.string(),
    entry: z.array(
      z.object({
        changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
      }),
    ),
  }),
);
export type WhatsappNotification = z.infer<typeof whatsappNotificationSchema>;

const KINDS: Record<string, UnsupportedKind> = {
  image: 'image',
  sticker: 'sticker',
  audio: 'voice',
  video: 'video',
  document: 'document',
  location: 'location',
};
/** Kinds that say nothing to answer: a reaction (an emoji on a message), a system notice, a message WhatsApp
 *  could not show the desk (`unsupported`) is still answered, as "other". */
const SILENT = new Set(['reaction', 'system', 'request_welcome']);

export type WhatsappDeliveries = {
  messages: InboundChatMessage[];
  /** How many of the desk's own messages WhatsApp reports as failed (delivery is asynchronous there). */
  failedDeliveries: number;
  /** Changes for another of the app's numbers, or not about messages: ignored. */
  ignored: number;
};

/** The messages to the desk's number in one notification, and the failures reported for its own. */
export const whatsappDeliveriesOf = (notification: WhatsappNotification, phoneNumberId: string): WhatsappDeliveries => {
  const result: WhatsappDeliveries = { messages: [], failedDeliveries: 0, ignored: 0 };
  for (const change of notification.entry.flatMap((entry) => entry.changes)) {
    const value = change.field === 'messages' ? messagesValue.safeParse(change.value) : undefined;
    if (!value?.success || value.data.metadata?.phone_number_id !== phoneNumberId) {
      result.ignored++;
      continue;
    }
    const { contacts = [], messages = [], statuses = [] } = value.data;
    result.failedDeliveries += statuses.filter((status) => status.status === 'failed').length;
    for (const message of messages) {
      if (SILENT.has(message.type)) continue;
      const body = message.type === 'text' ? message.text?.body : message.type === 'button' ? message.button?.text : undefined;
      result.messages.push({
        channel: 'whatsapp',
        deliveryId: message.id,
        userId: message.from,
        chatId: message.from,
        name: contacts.find((contact) => contact.wa_id === message.from)?.profile?.name,
        replyTo: message.context?.id,
        content: body !== undefined ? { kind: 'text', text: body } : { kind: 'unsupported', type: KINDS[message.type] ?? 'other' },
      });
    }
  }
  return result;
};
