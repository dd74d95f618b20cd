// What the desk takes from Telegram's Update and WhatsApp's notification: a person's private message (text, a
// contact, or a kind it cannot read), never an edit, a group, a bot, a reaction or another number's message.
import { describe, expect, it } from 'vitest';
import { telegramMessageOf, telegramUpdateSchema } from '#shared/domain/channels/telegram-update.ts';
import { whatsappDeliveriesOf, whatsappNotificationSchema } from '#shared/domain/channels/whatsapp-notification.ts';

const update = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  telegramUpdateSchema.parse({
    update_id: 9001,
    message: {
      message_id: 5,
      from: { id: 1001, is_bot: false, first_name: 'Ani', language_code: 'en-GB' },
      chat: { id: 1001, type: 'private' },
      date: 1767225600,
      ...message,
    },
    ...extra,
  });

describe("Telegram's Update", () => {
  it('takes a private text message with its sender, chat, language and the message it replies to', () => {
    // Act
    const message = telegramMessageOf(update({ text: 'printer macet', reply_to_message: { message_id: 17 }, unknown_field: true }));

    // Assert
    expect(message).toEqual({
      channel: 'telegram',
      deliveryId: '9001',
      userId: '1001',
      chatId: '1001',
      name: 'Ani',
      language: 'en',
      replyTo: '17',
      content: { kind: 'text', text: 'printer macet' },
    });
  });

  it("takes a contact as the sender's own only when Telegram says it is theirs", () => {
    // Act / Assert
    expect(telegramMessageOf(update({ contact: { phone_number: '6281234567890', user_id: 1001 } }))?.content).toEqual({
      kind: 'contact',
      phone: '6281234567890',
      own: true,
    });
    expect(telegramMessageOf(update({ contact: { phone_number: '6281234567890', user_id: 2002 } }))?.content).toMatchObject({ own: false });
    expect(telegramMessageOf(update({ contact: { phone_number: '6281234567890' } }))?.content).toMatchObject({ own: false });
  });

  it.each([
    [{ sticker: { file_id: 's' } }, 'sticker'],
    [{ photo: [{ file_id: 'p' }] }, 'image'],
    [{ voice: { file_id: 'v' } }, 'voice'],
    [{ audio: { file_id: 'a' } }, 'voice'],
    [{ video_note: { file_id: 'n' } }, 'voice'],
    [{ video: { file_id: 'v' } }, 'video'],
    [{ animation: { file_id: 'g' } }, 'video'],
    [{ document: { file_id: 'd' } }, 'document'],
    [{ location: { latitude: 1, longitude: 2 } }, 'location'],
    [{ dice: { emoji: '🎲', value: 3 } }, 'other'],
  ])('names %j as %s', (content, type) => {
    expect(telegramMessageOf(update(content))?.content).toEqual({ kind: 'unsupported', type });
  });

  it('leaves alone what is not a person writing to the bot in private', () => {
    // Act / Assert
    expect(telegramMessageOf(telegramUpdateSchema.parse({ update_id: 1, edited_message: { text: 'x' } }))).toBeUndefined();
    expect(telegramMessageOf(update({ text: 'x', chat: { id: -100, type: 'group' } }))).toBeUndefined();
    expect(telegramMessageOf(update({ text: 'x', from: { id: 7, is_bot: true } }))).toBeUndefined();
    expect(telegramMessageOf(update({ text: 'x', from: undefined }))).toBeUndefined();
    expect(telegramMessageOf(update({ text: 'x', from: { id: 1001, language_code: 'fr' } }))?.language).toBeUndefined();
  });
});

const notification = (value: Record<string, unknown>, field = 'messages') =>
  whatsappNotificationSchema.parse({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{ field, value }] }] });

const fromAni = (message: Record<string, unknown>) => ({
  messaging_product: 'whatsapp',
  metadata: { display_phone_number: '6281100000000', phone_number_id: '100000000000001' },
  contacts: [{ profile: { name: 'Ani' }, wa_id: '6281234567890' }],
  messages: [{ from: '6281234567890', id: 'wamid.1', timestamp: '1767225600', ...message }],
});

describe("WhatsApp's notification", () => {
  it('takes a text to the desk’s number with its sender, their profile name and the message it replies to', () => {
    // Act
    const deliveries = whatsappDeliveriesOf(
      notification(fromAni({ type: 'text', text: { body: 'printer macet' }, context: { id: 'wamid.17' } })),
      '100000000000001',
    );

    // Assert
    expect(deliveries).toEqual({
      messages: [
        {
          channel: 'whatsapp',
          deliveryId: 'wamid.1',
          userId: '6281234567890',
          chatId: '6281234567890',
          name: 'Ani',
          replyTo: 'wamid.17',
          content: { kind: 'text', text: 'printer macet' },
        },
      ],
      failedDeliveries: 0,
      ignored: 0,
    });
  });

  it("takes a template button's words as text, names the kinds it cannot read, and skips reactions", () => {
    // Act
    const kinds = ['button', 'image', 'sticker', 'audio', 'video', 'document', 'location', 'unsupported', 'reaction'].map(
      (type) =>
        whatsappDeliveriesOf(
          notification(fromAni({ type, ...(type === 'button' ? { button: { text: 'Status' } } : {}) })),
          '100000000000001',
        ).messages[0]?.content,
    );

    // Assert
    expect(kinds).toEqual([
      { kind: 'text', text: 'Status' },
      { kind: 'unsupported', type: 'image' },
      { kind: 'unsupported', type: 'sticker' },
      { kind: 'unsupported', type: 'voice' },
      { kind: 'unsupported', type: 'video' },
      { kind: 'unsupported', type: 'document' },
      { kind: 'unsupported', type: 'location' },
      { kind: 'unsupported', type: 'other' },
      undefined,
    ]);
  });

  it("counts the desk's failed deliveries and ignores other numbers and other fields", () => {
    // Act
    const statuses = whatsappDeliveriesOf(
      notification({
        metadata: { phone_number_id: '100000000000001' },
        statuses: [
          { id: 'wamid.a', status: 'failed' },
          { id: 'wamid.b', status: 'delivered' },
        ],
      }),
      '100000000000001',
    );
    const otherNumber = whatsappDeliveriesOf(notification(fromAni({ type: 'text', text: { body: 'x' } })), '999');
    const otherField = whatsappDeliveriesOf(notification({ anything: true }, 'account_update'), '100000000000001');

    // Assert
    expect(statuses).toEqual({ messages: [], failedDeliveries: 1, ignored: 0 });
    expect(otherNumber).toEqual({ messages: [], failedDeliveries: 0, ignored: 1 });
    expect(otherField).toEqual({ messages: [], failedDeliveries: 0, ignored: 1 });
  });
});
