// Phone numbers as one requester id whatever way they were written: E.164 (`+6281234567890`), read in the
// organisation's country when they have no country code ("0812-3456-7890" → +62…). A staff member's phone
// ticket, a WhatsApp sender and a Telegram contact then name the same requester. libphonenumber-js (Google's
// metadata, the "min" set) rather than rules of our own: national prefixes and lengths differ by country.
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** The number in E.164, or undefined when it is not a valid number (too short, an unknown country code). */
export const e164 = (phone: string, country: string): string | undefined => {
  const parsed = parsePhoneNumberFromString(phone.trim(), country as CountryCode);
  return parsed?.isValid() ? parsed.number : undefined;
};

/** `phone:<E.164>`; a number that does not parse keeps its digits (and a leading +), as ids did before. */
export const phoneRequesterId = (phone: string, country: string) => `phone:${e164(phone, country) ?? phone.replace(/[^0-9+]/g, '')}`;
