// Phone numbers as one requester id whatever way they were written: E.164 (`+6281234567890`), read in the
// organisation's country when they have no country code ("0812-3456-7890" → +62…). A staff member's phone
// ticket, a WhatsApp sender and a Telegram contact then name the same requester. libphonenumber-js (Google's
// metadata) rather than rules of our own: national prefixes and lengths differ by country. Its metadata is
// generated (shared/config/phone-metadata.json, `npm run phone-metadata`): the organisation's calling code in
// full; another country's number is read by the library's rules for its code (trunk prefix, carrier codes) and
// valid when its length is one its countries use, which gives the E.164 the whole "min" metadata gives
// (test/unit/domain/tickets/phone-number.test.ts) without its 81 KB in every function that reads a number.
import { type CountryCode, type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import phoneMetadata from '#shared/config/phone-metadata.json' with { type: 'json' };

const metadata = phoneMetadata.metadata as MetadataJson;

/** The number in E.164, or undefined when it is not a valid number (too short, an unknown country code). */
export const e164 = (phone: string, country: string): string | undefined => {
  if (country !== phoneMetadata.country)
    throw new Error(
      `phone-metadata.json holds ${phoneMetadata.country}'s numbers but the country is ${country}: run npm run phone-metadata`,
    );
  const parsed = parsePhoneNumberFromString(phone.trim(), country as CountryCode, metadata);
  return parsed?.isValid() ? parsed.number : undefined;
};

/** `phone:<E.164>`; a number that does not parse keeps its digits (and a leading +), as ids did before. */
export const phoneRequesterId = (phone: string, country: string) => `phone:${e164(phone, country) ?? phone.replace(/[^0-9+]/g, '')}`;
