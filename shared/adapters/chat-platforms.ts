// The chat platforms' send APIs over HTTPS (fetch): Telegram's Bot API `sendMessage` and WhatsApp Cloud API's
// `POST /<version>/<phone number id>/messages`. Their base URLs come from TELEGRAM_API_URL and
// WHATSAPP_API_URL when set (the sandbox's stand-ins, sandbox/chat-platforms-local.ts), like the AWS SDK's
// endpoint variables, so no code here knows whether it runs locally. A refusal becomes ChatSendError with
// the platform's code: permanent when sending again cannot help, else retried by the chat queue.
import { ChatSendError, type ChatSender, type OutboundChatMessage } from '#shared/domain/channels/deliver.ts';

export const TELEGRAM_API_URL_ENV = 'TELEGRAM_API_URL';
export const WHATSAPP_API_URL_ENV = 'WHATSAPP_API_URL';

/** Under the chat consumer's 10 s timeout, with room for a second message of the batch. */
const REQUEST_TIMEOUT_MS = 4_000;

const baseUrl = (env: string, fallback: string) => (process.env[env] ?? fallback).replace(/\/+$/, '');

/** POSTs JSON; a network failure or a timeout is a refusal that may pass. */
const postJson = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return { status: response.status, json: (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined };
  } catch {
    throw new ChatSendError(false, 'unreachable');
  }
};

const telegramMarkup = (keyboard: OutboundChatMessage['keyboard']) => {
  if (keyboard === 'remove') return { reply_markup: { remove_keyboard: true } };
  if (keyboard)
    return {
      reply_markup: {
        keyboard: [[{ text: keyboard.shareContact, request_contact: true }]],
        resize_keyboard: true,
        one_time_keyboard: true,
      },
    };
  return {};
};

/**
 * Telegram: 400 (no such chat, an empty or malformed message) and 403 (the person blocked the bot) will not
 * pass; 401 (a wrong token: the admin puts the right one), 429 (slow down) and 5xx will.
 */
export const telegramSender = (botToken: () => Promise<string>): ChatSender => ({
  async send(message) {
    const url = `${baseUrl(TELEGRAM_API_URL_ENV, 'https://api.telegram.org')}/bot${await botToken()}/sendMessage`;
    const { status, json } = await postJson(url, { chat_id: message.chatId, text: message.text, ...telegramMarkup(message.keyboard) });
    const result = json?.result as { message_id?: number } | undefined;
    if (status === 200 && json?.ok === true && typeof result?.message_id === 'number') return { messageId: String(result.message_id) };
    const code = typeof json?.error_code === 'number' ? json.error_code : status;
    throw new ChatSendError(code === 400 || code === 403, `telegram-${code}`);
  },
});

/** Graph API error codes that may pass: rate limits, a temporary failure, an expired token the admin renews. */
const WHATSAPP_TRANSIENT = new Set([1, 2, 4, 17, 190, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

export type WhatsappSettings = { phoneNumberId: string; graphApiVersion: string };

/**
 * WhatsApp: a text, or (outside the 24-hour window) the approved template with the message's parameters.
 * Any other 4xx (outside the window: 131047, a recipient that cannot receive: 131026, a template that does not
 * exist: 132001) will not pass.
 */
export const whatsappSender = (settings: () => WhatsappSettings | undefined, accessToken: () => Promise<string>): ChatSender => ({
  async send(message) {
    const whatsapp = settings();
    if (!whatsapp) throw new ChatSendError(true, 'whatsapp-not-configured');
    const url = `${baseUrl(WHATSAPP_API_URL_ENV, 'https://graph.facebook.com')}/${whatsapp.graphApiVersion}/${whatsapp.phoneNumberId}/messages`;
    const content = message.template
      ? {
          type: 'template',
          template: {
            name: message.template.name,
            language: { code: message.template.language },
            components: [{ type: 'body', parameters: message.template.parameters.map((text) => ({ type: 'text', text })) }],
          },
        }
      : { type: 'text', text: { preview_url: false, body: message.text } };
    const { status, json } = await postJson(
      url,
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: message.chatId, ...content },
      { authorization: `Bearer ${await accessToken()}` },
    );
    const id = (json?.messages as { id?: string }[] | undefined)?.[0]?.id;
    if (status === 200 && id) return { messageId: id };
    const code = (json?.error as { code?: number } | undefined)?.code;
    const transient = status >= 500 || status === 401 || status === 429 || (code !== undefined && WHATSAPP_TRANSIENT.has(code));
    throw new ChatSendError(!transient, `whatsapp-${code ?? status}`);
  },
});
