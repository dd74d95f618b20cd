// The platforms' send APIs, against the sandbox's stand-ins (which speak Telegram's and WhatsApp's wire format
// and refuse as they do): what is sent, and which refusals may pass (retried) and which will not (recorded).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalTelegram, startLocalTelegram } from '#sandbox/telegram-local.ts';
import { type LocalWhatsapp, startLocalWhatsapp } from '#sandbox/whatsapp-local.ts';
import { TELEGRAM_API_URL_ENV, telegramSender, WHATSAPP_API_URL_ENV, whatsappSender } from '#shared/adapters/chat-platforms.ts';
import type { OutboundChatMessage } from '#shared/domain/channels/deliver.ts';

let telegram: LocalTelegram;
let whatsapp: LocalWhatsapp;
const settings = { phoneNumberId: '100000000000001', graphApiVersion: 'v23.0' };

beforeAll(async () => {
  // Nothing listens at the webhook URLs: these tests only send.
  telegram = await startLocalTelegram({ botToken: 'bot-token', webhook: { url: 'http://127.0.0.1:9/none', secretToken: 'x' } });
  whatsapp = await startLocalWhatsapp({
    accessToken: 'access-token',
    appSecret: 'app-secret',
    phoneNumberId: settings.phoneNumberId,
    templates: ['helpdesk_ticket_update'],
    webhookUrl: 'http://127.0.0.1:9/none',
  });
});

afterAll(async () => {
  await telegram.stop();
  await whatsapp.stop();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

const toTelegram = (overrides: Partial<OutboundChatMessage> = {}): OutboundChatMessage => ({
  id: 'm1',
  channel: 'telegram',
  chatId: '1001',
  text: 'Halo',
  ...overrides,
});

describe('Telegram sendMessage', () => {
  it('sends the text with the contact button or without a keyboard, and returns the message id', async () => {
    // Arrange
    vi.stubEnv(TELEGRAM_API_URL_ENV, `${telegram.endpoint}/`);
    const sender = telegramSender(async () => 'bot-token');

    // Act
    const asked = await sender.send(toTelegram({ keyboard: { shareContact: 'Bagikan nomor telepon saya' } }));
    const removed = await sender.send(toTelegram({ chatId: '1002', keyboard: 'remove' }));

    // Assert
    expect(asked.messageId).toMatch(/^\d+$/);
    expect(telegram.sent('1001').at(-1)).toMatchObject({
      text: 'Halo',
      reply_markup: { keyboard: [[{ text: 'Bagikan nomor telepon saya', request_contact: true }]], one_time_keyboard: true },
    });
    expect(telegram.sent('1002').at(-1)).toMatchObject({ reply_markup: { remove_keyboard: true } });
    expect(removed.messageId).not.toBe(asked.messageId);
  });

  it('takes a bad request as permanent, and a wrong token or an unreachable API as passing', async () => {
    // Arrange
    vi.stubEnv(TELEGRAM_API_URL_ENV, telegram.endpoint);

    // Act
    const tooLong = await telegramSender(async () => 'bot-token')
      .send(toTelegram({ text: 'x'.repeat(4097) }))
      .catch((error: unknown) => error);
    const wrongToken = await telegramSender(async () => 'old-token')
      .send(toTelegram())
      .catch((error: unknown) => error);
    vi.stubEnv(TELEGRAM_API_URL_ENV, 'http://127.0.0.1:9');
    const unreachable = await telegramSender(async () => 'bot-token')
      .send(toTelegram())
      .catch((error: unknown) => error);

    // Assert
    expect(tooLong).toMatchObject({ name: 'ChatSendError', permanent: true, reason: 'telegram-400' });
    expect(wrongToken).toMatchObject({ permanent: false, reason: 'telegram-401' });
    expect(unreachable).toMatchObject({ permanent: false, reason: 'unreachable' });
  });
});

describe('WhatsApp messages', () => {
  const toWhatsapp = (overrides: Partial<OutboundChatMessage> = {}): OutboundChatMessage => ({
    id: 'm1',
    channel: 'whatsapp',
    chatId: '6281234567890',
    text: 'Halo',
    ...overrides,
  });

  it('sends a text, and the approved template with its parameters', async () => {
    // Arrange
    vi.stubEnv(WHATSAPP_API_URL_ENV, whatsapp.endpoint);
    const sender = whatsappSender(
      () => settings,
      async () => 'access-token',
    );

    // Act
    const text = await sender.send(toWhatsapp());
    const template = await sender.send(
      toWhatsapp({ template: { name: 'helpdesk_ticket_update', language: 'id', parameters: ['12', 'sudah diselesaikan'] } }),
    );

    // Assert
    expect(text.messageId).toMatch(/^wamid\./);
    expect(whatsapp.sent('6281234567890').slice(-2)).toEqual([
      expect.objectContaining({ id: text.messageId, type: 'text', text: 'Halo' }),
      expect.objectContaining({
        id: template.messageId,
        type: 'template',
        template: { name: 'helpdesk_ticket_update', language: 'id', parameters: ['12', 'sudah diselesaikan'] },
      }),
    ]);
  });

  it('takes an unknown template as permanent, a wrong token as passing, and refuses without the configuration', async () => {
    // Arrange
    vi.stubEnv(WHATSAPP_API_URL_ENV, whatsapp.endpoint);
    const template = { name: 'no_such_template', language: 'id', parameters: [] };

    // Act
    const unknown = await whatsappSender(
      () => settings,
      async () => 'access-token',
    )
      .send(toWhatsapp({ template }))
      .catch((error: unknown) => error);
    const wrongToken = await whatsappSender(
      () => settings,
      async () => 'expired',
    )
      .send(toWhatsapp())
      .catch((error: unknown) => error);
    const notSetUp = await whatsappSender(
      () => undefined,
      async () => 'access-token',
    )
      .send(toWhatsapp())
      .catch((error: unknown) => error);

    // Assert
    expect(unknown).toMatchObject({ permanent: true, reason: 'whatsapp-132001' });
    expect(wrongToken).toMatchObject({ permanent: false, reason: 'whatsapp-190' });
    expect(notSetUp).toMatchObject({ permanent: true, reason: 'whatsapp-not-configured' });
  });
});
