// Phone numbers as one requester id whatever way they were written: E.164 (`+6281234567890`), read in the
// organisation's country when they have no country code ("0812-3456-7890" → +62…). A staff member's phone
// ticket, a WhatsApp sender and a Telegram contact then name the same requester.
// The organisation's own numbers are read by libphonenumber-js (Google's metadata: national prefixes and
// lengths differ by country) with that one country's metadata (shared/config/phone-metadata.json, `npm run
// phone-metadata`), not the whole "min" set (81 KB in every function that reads a number). A number from
// another country, written with its country code, is read by the E.164 rules: the calling code, then the
// national number without separators, an extension or a trunk prefix written after the code ("+44 (0)20…"),
// in the lengths that code's countries use. That gives the E.164 libphonenumber-js gives with every country's
// metadata for every valid number (test/unit/domain/tickets/phone-number.test.ts compares them).
import { type CountryCode, type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import type { CallingCode } from '#shared/config/generate-phone-metadata.ts';
import phoneMetadata from '#shared/config/phone-metadata.json' with { type: 'json' };

const metadata = phoneMetadata.metadata as MetadataJson;
// JSON's arrays are typed as arrays; the generator wrote them as CallingCode tuples.
const callingCodes = phoneMetadata.callingCodes as unknown as Record<string, CallingCode | undefined>;
/** The organisation's international call prefix ("00[89]" in Indonesia): "008 44 20…" is "+44 20…". */
const internationalPrefix = new RegExp(`^(?:${metadata.countries[phoneMetadata.country as CountryCode]![1]})`);
/** Separators people write between digits; an extension ("ext. 12", "x12", "#12") is not part of the number. */
const separators = /[\s\-.()/[\]~]/g;
const extension = /\s*(?:;ext=|ext\.?|x|#)\s*\d{1,7}\s*$/i;

/** A number from abroad in E.164, or undefined when it has no known calling code or a length none of its countries uses. */
const abroad = (phone: string): string | undefined => {
  const written = phone.trim().replace(extension, '');
  const digits = written.replace(separators, '');
  if (!/^\+?\d+$/.test(digits)) return undefined;
  const international = digits.startsWith('+') ? digits.slice(1) : digits.replace(internationalPrefix, '');
  if (international === digits) return undefined;
  for (const length of [1, 2, 3]) {
    const code = international.slice(0, length);
    const plan = callingCodes[code];
    if (!plan) continue; // calling codes are prefix-free: at most one length names one
    const [lengths, trunk] = plan;
    const possible = (national: string) => lengths.includes(national.length);
    let national = international.slice(length);
    // A trunk prefix after the calling code ("+44 (0)20…", "+7 8 495…") is dropped as libphonenumber-js drops
    // it: a 0 whenever the rest is a possible number (Rwanda's 06… numbers are too short without it) that does
    // not start with 0 itself (Japan's and India's 00… service numbers keep it); another prefix only when the
    // number is too long with it (Russia's 8 also starts its 800 numbers).
    const withoutTrunk = trunk && national.startsWith(trunk) ? national.slice(trunk.length) : '';
    const dropTrunk = possible(withoutTrunk) && !withoutTrunk.startsWith('0') && (trunk === '0' || !possible(national));
    if (dropTrunk) national = withoutTrunk;
    return possible(national) ? `+${code}${national}` : undefined;
  }
  return undefined;
};

/** The number in E.164, or undefined when it is not a valid number (too short, an unknown country code). */
export const e164 = (phone: string, country: string): string | undefined => {
  if (!metadata.countries[country as CountryCode])
    throw new Error(
      `phone-metadata.json holds ${phoneMetadata.country}'s numbers but the country is ${country}: run npm run phone-metadata`,
    );
  const parsed = parsePhoneNumberFromString(phone.trim(), country as CountryCode, metadata);
  // No parse at all: a calling code this metadata does not hold, i.e. a number from abroad.
  if (!parsed) return abroad(phone);
  return parsed.isValid() ? parsed.number : undefined;
};

/** `phone:<E.164>`; a number that does not parse keeps its digits (and a leading +), as ids did before. */
export const phoneRequesterId = (phone: string, country: string) => `phone:${e164(phone, country) ?? phone.replace(/[^0-9+]/g, '')}`;
