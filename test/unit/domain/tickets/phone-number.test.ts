// Phone requesters by E.164, however the number was written, read in the organisation's country. The functions
// carry the organisation's calling code's metadata and only the parsing rules and lengths of the others
// (shared/config/phone-metadata.json); these tests hold them to what libphonenumber-js gives with every
// country's "min" metadata, which they carried before: the same E.164 for every number it finds valid, so no
// requester's id changes.
import fc from 'fast-check';
import { getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import minMetadata from 'libphonenumber-js/min/metadata';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { e164, phoneRequesterId } from '#shared/domain/tickets/phone-number.ts';

/** What the functions gave with libphonenumber-js's whole "min" metadata. */
const withEveryCountry = (phone: string) => {
  const parsed = parsePhoneNumberFromString(phone.trim(), 'ID');
  return parsed?.isValid() ? parsed.number : undefined;
};

describe('phone numbers', () => {
  it.each([
    // Indonesian, national and international forms.
    ['0812-3456-7890', '+6281234567890'],
    ['0812 3456 7890', '+6281234567890'],
    ['+62 812 3456 7890', '+6281234567890'],
    ['+62 (0)812-3456-7890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['(021) 555 1234', '+62215551234'],
    ['021-5551234', '+62215551234'],
    ['+62 21 555 1234', '+62215551234'],
    ['008 62 21 555 1234', '+62215551234'],
    ['+6281234567890 ext. 5', '+6281234567890'],
    // From abroad, in international form, with the separators people write.
    ['+1 202 555 0143', '+12025550143'],
    ['+1 (202) 555-0143', '+12025550143'],
    ['+1.202.555.0143', '+12025550143'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+44 (0)20 7946 0958', '+442079460958'],
    ['+44 020 7946 0958', '+442079460958'],
    ['+44 20 7946 0958 x12', '+442079460958'],
    ['+61 (0) 4 1234 5678', '+61412345678'],
    ['+49 (0)30 1234567', '+49301234567'],
    ['+33 (0)1 42 68 53 00', '+33142685300'],
    ['+81 3-1234-5678', '+81312345678'],
    ['+60 12-345 6789', '+60123456789'],
    ['+65 6123 4567', '+6561234567'],
    ['+91 98765 43210', '+919876543210'],
    ['+7 (495) 123-45-67', '+74951234567'],
    ['+7 8 495 123 4567', '+74951234567'],
    ['+7 800 555 3535', '+78005553535'],
    ['+36 06 1 234 5678', '+3612345678'],
    ['+39 06 6988 1234', '+390669881234'],
    ['+39 (0)6 6988 1234', '+390669881234'],
    ['+683 4002', '+6834002'],
    ['+375 8 29 491 19 11', '+375294911911'],
    ['+54 11 15 2474 9015', '+5491124749015'],
    ['+378 0549 123456', '+3780549123456'],
    ['+55 0 41 21 98765 4321', '+5521987654321'],
    ['tel:+44-20-7946-0958', '+442079460958'],
    ['+٤٤ ٢٠ ٧٩٤٦ ٠٩٥٨', '+442079460958'],
    ['+800 1234 5678', '+80012345678'],
    // International prefix of Indonesia before a foreign country code.
    ['008 44 20 7946 0958', '+442079460958'],
    ['009 1 202 555 0143', '+12025550143'],
  ])('reads %s as %s, as with every country’s metadata', (written, international) => {
    expect(e164(written, 'ID')).toBe(international);
    expect(withEveryCountry(written)).toBe(international);
    expect(phoneRequesterId(written, 'ID')).toBe(`phone:${international}`);
  });

  it.each([
    ['12345', 'too short for Indonesia'],
    ['0812-345', 'too short for Indonesia'],
    ['+62 812', 'too short for Indonesia'],
    ['+999 1234 5678', 'no country has the calling code 999'],
    ['+0 1234 5678', 'no calling code starts with 0'],
    ['+44 20 79', 'too short for the United Kingdom'],
    ['+44 20 7946 0958 12', 'too long for the United Kingdom'],
    ['+1 800 FLOWERS', 'letters'],
    ['+', 'no digits'],
    ['', 'nothing'],
  ])('refuses %s (%s), as every country’s metadata does', (written) => {
    expect(e164(written, 'ID')).toBeUndefined();
    expect(withEveryCountry(written)).toBeUndefined();
  });

  it('keeps the digits of a number that does not parse, as requester ids did before', () => {
    expect(e164('12345', 'ID')).toBeUndefined();
    expect(phoneRequesterId('12-345', 'ID')).toBe('phone:12345');
    expect(phoneRequesterId('+999 1234 5678', 'ID')).toBe('phone:+99912345678');
  });

  it('takes a foreign number of a length its country uses as written, under the requester id it had', () => {
    // Every country's metadata knows +44 20 7946 095 fits no British number pattern; the functions check
    // another country's numbers by length only. The requester id is the one its digits gave before.
    expect(withEveryCountry('+44 20 7946 095')).toBeUndefined();
    expect(e164('+44 20 7946 095', 'ID')).toBe('+44207946095');
    expect(phoneRequesterId('+44 20 7946 095', 'ID')).toBe('phone:+44207946095');
  });

  it('reads Indonesian numbers, however written, exactly as every country’s metadata does, valid or not', () => {
    const written = fc
      .tuple(
        fc.constantFrom('0', '+62 ', '62', '+62 (0)', '008 62 ', ''),
        fc.stringMatching(/^[1-9][0-9]{3,14}$/),
        fc.constantFrom(' ', '-', '.'),
      )
      .map(([prefix, digits, separator]) => `${prefix}${digits.slice(0, 3)}${separator}${digits.slice(3)}`);
    fc.assert(
      fc.property(written, (phone) => {
        expect(e164(phone, 'ID')).toBe(withEveryCountry(phone));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives every country’s example number the E.164 every country’s metadata gives, however it is written', () => {
    let valid = 0;
    for (const country of Object.keys(minMetadata.countries) as (keyof typeof examples)[]) {
      const example = getExampleNumber(country, examples);
      if (!example) continue;
      const { countryCallingCode: code, nationalNumber: national } = example;
      const [head, tail] = [national.slice(0, 3), national.slice(3)];
      const trunk = minMetadata.countries[country]![5] as string | undefined;
      const written = [
        example.number,
        example.formatInternational(),
        `+${code}-${head}-${tail}`,
        `+${code}.${head}.${tail}`,
        `+${code} (${head}) ${tail}`,
        `+${code} ${national} ext. 12`,
        `008 ${code} ${national}`,
        ...(trunk ? [`+${code} (${trunk})${national}`, `+${code} ${trunk} ${national}`] : []),
      ];
      for (const phone of written) {
        // A writing libphonenumber-js finds invalid (Colombia's "(0)3…" reads as a carrier code) had no E.164.
        const before = withEveryCountry(phone);
        if (!before) continue;
        valid += 1;
        expect(e164(phone, 'ID'), phone).toBe(before);
      }
    }
    // Every country in libphonenumber-js's examples, in seven writings at least: not a handful.
    expect(valid).toBeGreaterThan(240 * 7);
  });

  it('refuses a country whose numbers the generated metadata does not hold, naming the command that makes it', () => {
    expect(() => e164('012 345 6789', 'MY')).toThrow(
      /phone-metadata\.json holds ID's numbers but the country is MY: run npm run phone-metadata/,
    );
  });
});
