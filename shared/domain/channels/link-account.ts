// Linking a chat to an email requester: `/link name@example.org` mails a six-digit code to the address,
// `/link 123456` (or the six digits alone while a code waits) proves the person reads that mailbox. The code
// is kept only as a hash, expires after 15 minutes and allows five tries; at most five codes an hour per chat,
// so the desk cannot be used to flood a mailbox and a code cannot be guessed (5 tries in 10^6).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HelpdeskConfig } from '#shared/config/config-schema.ts';
import type { Language } from '#shared/config/config-values.ts';
import { escapeHtml } from '#shared/domain/mail/mail-templates.ts';
import { formatAddress, type Mailer, type OutgoingMail } from '#shared/domain/mail/notify-requester.ts';
import { noReplyAddress } from '#shared/domain/mail/notify-staff.ts';
import type { Clock, RateLimits } from '#shared/domain/tickets/ports.ts';
import { CHANNEL_TEXTS } from './channel-texts.ts';
import type { ChatAccount, ChatChannel } from './chat-account.ts';

export const LINK_CODE_MINUTES = 15;
export const LINK_CODE_TRIES = 5;
export const LINK_CODES_PER_HOUR = 5;

export type LinkDeps = {
  mailer: Mailer;
  rateLimits: RateLimits;
  clock: Clock;
  config: HelpdeskConfig;
  /** Six random digits. */
  newLinkCode: () => string;
};

const PLATFORM: Record<ChatChannel, string> = { telegram: 'Telegram', whatsapp: 'WhatsApp' };

/** The code's hash, bound to the account, so a code is only good for the chat that asked for it. */
const codeHash = (account: Pick<ChatAccount, 'channel' | 'userId'>, code: string) =>
  createHash('sha256').update(`chat-link:${account.channel}:${account.userId}:${code}`).digest('hex');

export const linkCodeMail = (
  config: HelpdeskConfig,
  channel: ChatChannel,
  email: string,
  code: string,
  language: Language,
): OutgoingMail => {
  const organisation = config.organisation.name;
  const platform = PLATFORM[channel];
  const paragraphs =
    language === 'en'
      ? [
          `Someone asked to link a ${platform} chat with the helpdesk of ${organisation} to this address. If it was you, send this code in that chat:`,
          code,
          `It is valid for ${LINK_CODE_MINUTES} minutes. If it was not you, ignore this mail: nothing is linked without the code.`,
        ]
      : [
          `Seseorang meminta agar chat ${platform} dengan helpdesk ${organisation} dihubungkan dengan alamat ini. Bila itu Anda, kirim kode ini di chat tersebut:`,
          code,
          `Kode berlaku ${LINK_CODE_MINUTES} menit. Bila bukan Anda, abaikan email ini: tanpa kode tidak ada yang terhubung.`,
        ];
  const subject = language === 'en' ? `Your code to link ${platform}` : `Kode untuk menghubungkan ${platform}`;
  return {
    kind: 'chat-link-code',
    from: formatAddress(`Helpdesk ${organisation}`, config.organisation.senderAddress),
    to: email,
    // Nobody should answer this mail; an answer would only reach inbound mail's no-reply rule.
    replyTo: noReplyAddress(config),
    subject,
    text: `${paragraphs.join('\n\n')}\n`,
    html: [
      '<!doctype html>',
      `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
      '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2933">',
      ...paragraphs.map((paragraph, index) =>
        index === 1
          ? `<p style="font-size:24px;letter-spacing:4px"><strong>${escapeHtml(paragraph)}</strong></p>`
          : `<p>${escapeHtml(paragraph)}</p>`,
      ),
      '</body></html>',
    ].join('\n'),
    headers: [
      { name: 'Auto-Submitted', value: 'auto-generated' },
      { name: 'X-Auto-Response-Suppress', value: 'All' },
    ],
  };
};

/** `/link <address>`: mails a code and keeps its hash on the account. Returns what the chat is told. */
export const startEmailLink = async (deps: LinkDeps, account: ChatAccount, email: string, language: Language): Promise<string> => {
  const now = deps.clock.now();
  const { allowed } = await deps.rateLimits.take(`chatlink#${account.channel}:${account.userId}`, LINK_CODES_PER_HOUR, 3600, now);
  if (!allowed) return CHANNEL_TEXTS.tooManyLinks[language];
  const code = deps.newLinkCode();
  account.pendingLink = {
    email,
    codeHash: codeHash(account, code),
    expiresAt: new Date(now.getTime() + LINK_CODE_MINUTES * 60_000).toISOString(),
    attempts: 0,
  };
  await deps.mailer.send(linkCodeMail(deps.config, account.channel, email, code, language));
  return CHANNEL_TEXTS.codeSent(email, LINK_CODE_MINUTES, language);
};

/** `/link <code>`: links the account to the address the code went to, or counts a wrong try. */
export const confirmEmailLink = (deps: Pick<LinkDeps, 'clock'>, account: ChatAccount, code: string, language: Language): string => {
  const pending = account.pendingLink;
  const now = deps.clock.now();
  if (!pending || Date.parse(pending.expiresAt) <= now.getTime()) {
    account.pendingLink = undefined;
    return CHANNEL_TEXTS.noCodePending[language];
  }
  const given = Buffer.from(codeHash(account, code), 'hex');
  if (!timingSafeEqual(given, Buffer.from(pending.codeHash, 'hex'))) {
    const attempts = pending.attempts + 1;
    if (attempts >= LINK_CODE_TRIES) {
      account.pendingLink = undefined;
      return CHANNEL_TEXTS.noCodePending[language];
    }
    account.pendingLink = { ...pending, attempts };
    return CHANNEL_TEXTS.wrongCode(LINK_CODE_TRIES - attempts, language);
  }
  account.pendingLink = undefined;
  account.requester = { id: `email:${pending.email}`, email: pending.email, linkedVia: 'email-code', linkedAt: now.toISOString() };
  return CHANNEL_TEXTS.linkedEmail(pending.email, language);
};
