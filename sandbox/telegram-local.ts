// Telegram in the sandbox: a stand-in for the Bot API that speaks its wire format and records what the desk
// sends, and that plays Telegram's part in the other direction: `POST /_sandbox/updates` is a person writing
// to the bot, delivered to the registered webhook as an Update with the secret token header, as Telegram does.
//   POST /bot<token>/sendMessage      {chat_id, text, reply_markup?}  → {ok, result: Message} | {ok: false, error_code, description}
//   POST /bot<token>/setWebhook       {url, secret_token}             (the sandbox registers the desk's at start)
//   POST /bot<token>/getWebhookInfo
//   POST /_sandbox/updates            {from, name?, language?, text | sticker | photo | voice | contact: {phone, own}, replyTo?}
//                                     {update: <an Update, delivered as it is>} or {again: <update_id>}  → {update_id, status, body}
//   GET  /_sandbox/messages?chat_id=  what the bot sent (to one chat)
// Like Telegram, it refuses a wrong token (401), a chat id that is not a number (400 "chat not found") and an
// empty text or one over 4096 characters (400).
import { type LocalPlatform, parseJson, startLocalPlatform } from './local-platform.ts';

export type TelegramSent = { message_id: number; chat_id: string; text: string; reply_markup?: unknown; date: number };

export type LocalTelegram = LocalPlatform & {
  /** The webhook Telegram would call: its URL and secret token. */
  webhook(): { url: string; secretToken: string };
  sent(chatId?: string): TelegramSent[];
};

type PersonWrites = {
  from?: number;
  name?: string;
  language?: string;
  text?: string;
  sticker?: boolean;
  photo?: boolean;
  voice?: boolean;
  contact?: { phone: string; own?: boolean };
  replyTo?: number;
  update?: Record<string, unknown>;
  /** Deliver this earlier update again, as Telegram does when a delivery seemed to fail. */
  again?: number;
};

const BOT = { id: 7000000001, is_bot: true, first_name: 'Helpdesk', username: 'helpdesk_sandbox_bot' };

const refusal = (status: number, description: string) => ({ status, body: { ok: false, error_code: status, description } });

export const startLocalTelegram = async (options: {
  botToken: string;
  webhook: { url: string; secretToken: string };
  log?: (line: string) => void;
}): Promise<LocalTelegram> => {
  let webhook = { ...options.webhook };
  const sent: TelegramSent[] = [];
  const delivered = new Map<number, Record<string, unknown>>();
  let updateId = 100_000;
  let messageId = 0;
  const now = () => Math.floor(Date.now() / 1000);

  const deliver = async (update: Record<string, unknown>) => {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhook.secretToken },
      body: JSON.stringify(update),
    });
    return { update_id: update.update_id, status: response.status, body: await response.json().catch(() => undefined) };
  };

  const updateFor = (writes: PersonWrites) => {
    const from = writes.from ?? 1001;
    const content = writes.contact
      ? {
          contact: {
            phone_number: writes.contact.phone,
            first_name: writes.name ?? 'Ani',
            ...(writes.contact.own === false ? {} : { user_id: from }),
          },
        }
      : writes.sticker
        ? { sticker: { file_id: 'sticker-1', emoji: '👍', width: 512, height: 512, is_animated: false, is_video: false, type: 'regular' } }
        : writes.photo
          ? { photo: [{ file_id: 'photo-1', file_unique_id: 'p1', width: 90, height: 90 }] }
          : writes.voice
            ? { voice: { file_id: 'voice-1', file_unique_id: 'v1', duration: 3 } }
            : { text: writes.text ?? '' };
    messageId++;
    return {
      update_id: ++updateId,
      message: {
        message_id: messageId,
        from: { id: from, is_bot: false, first_name: writes.name ?? 'Ani', language_code: writes.language ?? 'id' },
        chat: { id: from, type: 'private', first_name: writes.name ?? 'Ani' },
        date: now(),
        ...(writes.replyTo
          ? { reply_to_message: { message_id: writes.replyTo, from: BOT, chat: { id: from, type: 'private' }, date: now() } }
          : {}),
        ...content,
      },
    };
  };

  const platform = await startLocalPlatform(async (request, url, body) => {
    const method = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (method) {
      if (method[1] !== options.botToken) return refusal(401, 'Unauthorized');
      const params = (parseJson(body) ?? {}) as Record<string, unknown>;
      switch (method[2]) {
        case 'sendMessage': {
          const chatId = String(params.chat_id ?? '');
          const text = typeof params.text === 'string' ? params.text : '';
          if (!/^-?\d+$/.test(chatId)) return refusal(400, 'Bad Request: chat not found');
          if (text.trim().length === 0) return refusal(400, 'Bad Request: message text is empty');
          if (text.length > 4096) return refusal(400, 'Bad Request: message is too long');
          const message: TelegramSent = {
            message_id: ++messageId,
            chat_id: chatId,
            text,
            ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}),
            date: now(),
          };
          sent.push(message);
          return {
            status: 200,
            body: {
              ok: true,
              result: {
                message_id: message.message_id,
                from: BOT,
                chat: { id: Number(chatId), type: 'private' },
                date: message.date,
                text,
              },
            },
          };
        }
        case 'setWebhook':
          webhook = { url: String(params.url ?? ''), secretToken: String(params.secret_token ?? '') };
          return { status: 200, body: { ok: true, result: true, description: 'Webhook was set' } };
        case 'getWebhookInfo':
          return { status: 200, body: { ok: true, result: { url: webhook.url, has_custom_certificate: false, pending_update_count: 0 } } };
        default:
          return refusal(404, 'Not Found');
      }
    }
    if (request.method === 'POST' && url.pathname === '/_sandbox/updates') {
      const writes = (parseJson(body) ?? {}) as PersonWrites;
      const earlier = writes.again !== undefined ? delivered.get(writes.again) : undefined;
      if (writes.again !== undefined && !earlier) return refusal(404, `No update ${writes.again} was delivered`);
      const update = earlier ?? writes.update ?? updateFor(writes);
      delivered.set(Number(update.update_id), update);
      return { status: 200, body: await deliver(update) };
    }
    if (request.method === 'GET' && url.pathname === '/_sandbox/messages') {
      const chatId = url.searchParams.get('chat_id');
      return { status: 200, body: { messages: sent.filter((message) => !chatId || message.chat_id === chatId) } };
    }
    return refusal(404, 'Not Found');
  }, options.log);

  return {
    ...platform,
    webhook: () => ({ ...webhook }),
    sent: (chatId) => sent.filter((message) => !chatId || message.chat_id === chatId),
  };
};
