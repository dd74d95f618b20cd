// The webhooks' own proof of who is calling: Telegram's secret token, Meta's body signature, Meta's verify token.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  channelOff,
  sameSecret,
  telegramSecretMatches,
  whatsappChallenge,
  whatsappSignatureMatches,
} from '#shared/domain/channels/webhook-auth.ts';

describe('webhook checks', () => {
  it('refuses, as not found and naming the setting, a channel the configuration does not turn on (it has no secret)', () => {
    // Arrange
    const whatsapp = { phoneNumberId: '100000000000001' } as never;

    // Act
    const telegramOff = channelOff({ channels: { whatsapp } }, 'telegram');
    const whatsappOn = channelOff({ channels: { whatsapp } }, 'whatsapp');
    const whatsappOff = channelOff({ channels: { telegram: {} } }, 'whatsapp');

    // Assert
    expect(telegramOff).toMatchObject({
      kind: 'not-found',
      message: 'Telegram is not set up for this desk (channels.telegram in the configuration).',
    });
    expect(whatsappOn).toBeUndefined();
    expect(whatsappOff?.message).toBe('WhatsApp is not set up for this desk (channels.whatsapp in the configuration).');
  });

  it("accepts Telegram's header only when it is the secret token exactly", () => {
    expect(telegramSecretMatches('s3cret-Token_1', 's3cret-Token_1')).toBe(true);
    expect(telegramSecretMatches('s3cret-Token_1', 's3cret-Token_2')).toBe(false);
    expect(telegramSecretMatches('s3cret-Token_1', 's3cret-Token_1 ')).toBe(false);
    expect(telegramSecretMatches('s3cret-Token_1', undefined)).toBe(false);
    // An unset secret proves nothing, whatever is sent.
    expect(sameSecret('', '')).toBe(false);
  });

  it("accepts WhatsApp's signature only over the exact bytes, with the app secret", () => {
    // Arrange: the body as Meta sends it, escapes and all; re-serialising it would change the bytes.
    const body = Buffer.from('{"object":"whatsapp_business_account","entry":[{"text":"Caf\\u00e9 \u{1F600}"}]}', 'utf8');
    const signature = `sha256=${createHmac('sha256', 'app-secret').update(body).digest('hex')}`;

    // Act / Assert
    expect(whatsappSignatureMatches('app-secret', body, signature)).toBe(true);
    expect(whatsappSignatureMatches('app-secret', body, signature.toUpperCase().replace('SHA256=', 'sha256='))).toBe(true);
    expect(whatsappSignatureMatches('other-secret', body, signature)).toBe(false);
    expect(whatsappSignatureMatches('app-secret', Buffer.from(JSON.stringify(JSON.parse(body.toString()))), signature)).toBe(false);
    expect(whatsappSignatureMatches('app-secret', body, signature.replace('sha256=', 'sha1='))).toBe(false);
    expect(whatsappSignatureMatches('app-secret', body, 'sha256=abc')).toBe(false);
    expect(whatsappSignatureMatches('app-secret', body, undefined)).toBe(false);
    expect(whatsappSignatureMatches('', body, signature)).toBe(false);
  });

  it("answers Meta's subscription check with the challenge only for the verify token", () => {
    const check = { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' };
    expect(whatsappChallenge('verify-me', check)).toBe('1158201444');
    expect(whatsappChallenge('verify-me', { ...check, 'hub.verify_token': 'guess' })).toBeUndefined();
    expect(whatsappChallenge('verify-me', { ...check, 'hub.mode': 'unsubscribe' })).toBeUndefined();
    expect(whatsappChallenge('verify-me', {})).toBeUndefined();
  });
});
