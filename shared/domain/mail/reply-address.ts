// The signed reply address on every notification: `reply+<ticket id>.<expiry>.<mac>@<sender domain>`. A
// reply to it names its ticket without trusting the subject, and nobody can make one for another ticket
// without the helpdesk's key. The bounce address (`bounce+…`, where SES forwards a delivery report) is made
// the same way, its MAC also binding the recipient.
//
// Why not a `signToken` token in the local part: that token (JSON claims + a 256-bit MAC, base64url) is
// about 140 characters, while RFC 5321 §4.5.3.1.1 caps a local part at 64 octets and mail systems may
// refuse or cut a longer address; and base64url is case-sensitive, while some mail systems lower-case
// addresses on the way. So this token is compact and case-insensitive: the ticket's ULID, the expiry in
// base 36, and an 80-bit HMAC-SHA256 tag (purpose-bound: a tracking-link MAC never verifies here) in
// Crockford base32, 57 characters in all. 80 bits is far beyond what an online forger can try.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Crockford's base32 alphabet, lower-case: no i, l, o, u, so nothing is misread or lost to case. */
const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const LOCAL_PART = /^(reply|bounce)\+([0-9a-hjkmnp-tv-z]{26})\.([0-9a-z]{1,9})\.([0-9a-hjkmnp-tv-z]{16})$/;
/**
 * The local part staff notifications come from and point replies at (notify-staff.ts). Here, not in
 * inbound-mail.ts: importing that module brought its HTML-to-text converter (~90 KiB) into every function that
 * mails staff, the chat webhooks among them.
 */
export const NO_REPLY_LOCAL = 'noreply';
/** RFC 5321's limit on a local part. */
export const LOCAL_PART_MAX = 64;

const base32 = (bytes: Buffer): string => {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
};

/** The tag of one signed address: its purpose, ticket and expiry, and for a bounce address its recipient. */
const tag = (key: Buffer, purpose: string, ticketId: string, exp: number, recipient?: string): string =>
  base32(
    createHmac('sha256', key)
      .update(`${purpose}\n${ticketId}\n${exp}${recipient === undefined ? '' : `\n${recipient.trim().toLowerCase()}`}`)
      .digest()
      .subarray(0, 10),
  );

const makeAddress = (prefix: 'reply' | 'bounce', key: Buffer, ticketId: string, exp: number, domain: string, recipient?: string) => {
  if (!ULID.test(ticketId)) throw new Error(`${prefix} addresses are made for ULID ticket ids only`);
  if (!Number.isSafeInteger(exp) || exp <= 0) throw new Error('the expiry must be a positive whole number of seconds');
  return `${prefix}+${ticketId.toLowerCase()}.${exp.toString(36)}.${tag(key, `${prefix}-address`, ticketId, exp, recipient)}@${domain}`;
};

const readAddress = (
  prefix: 'reply' | 'bounce',
  key: Buffer,
  address: string,
  now: Date,
  recipient?: string,
): { ticketId: string; exp: number } | undefined => {
  if (address.length > 320) return undefined;
  const at = address.lastIndexOf('@');
  const match = LOCAL_PART.exec((at === -1 ? address : address.slice(0, at)).toLowerCase());
  if (!match || match[1] !== prefix) return undefined;
  const [, , id, exp36, given] = match as unknown as [string, string, string, string, string];
  const ticketId = id.toUpperCase();
  const exp = Number.parseInt(exp36, 36);
  const expected = Buffer.from(tag(key, `${prefix}-address`, ticketId, exp, recipient));
  if (!timingSafeEqual(expected, Buffer.from(given))) return undefined;
  // The canonical spelling only: a leading zero or another encoding of the same number is not ours.
  if (exp.toString(36) !== exp36 || exp * 1000 <= now.getTime()) return undefined;
  return { ticketId, exp };
};

/** The reply address for a ticket, valid until `exp` (epoch seconds). */
export const replyAddress = (key: Buffer, ticketId: string, exp: number, domain: string): string =>
  makeAddress('reply', key, ticketId, exp, domain);

/**
 * The ticket a genuine, unexpired reply address names, or undefined (a forged, altered, expired or foreign
 * address). Case-insensitive, as mail systems may change case; the domain is the caller's to check.
 */
export const readReplyAddress = (key: Buffer, address: string, now: Date): { ticketId: string; exp: number } | undefined =>
  readAddress('reply', key, address, now);

/**
 * The address bounces of one mail go to (VERP: SES's feedback forwarding address): `bounce+<ticket id>.<expiry>.<mac>@`,
 * the MAC also binding the recipient the mail was for, so a delivery report is believed only when it comes
 * back to the address of a mail the desk sent and names that mail's recipient as the one that failed.
 */
export const bounceAddress = (key: Buffer, ticketId: string, exp: number, recipient: string, domain: string): string =>
  makeAddress('bounce', key, ticketId, exp, domain, recipient);

/** The ticket of a genuine, unexpired bounce address for a mail to `recipient`, or undefined. */
export const readBounceAddress = (key: Buffer, address: string, recipient: string, now: Date): { ticketId: string } | undefined => {
  const read = readAddress('bounce', key, address, now, recipient);
  return read && { ticketId: read.ticketId };
};
