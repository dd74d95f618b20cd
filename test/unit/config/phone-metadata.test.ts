// phone-metadata.json is generated (npm run phone-metadata) so that no Lambda carries libphonenumber-js's
// metadata of every country. These tests keep it honest: it is exactly what the generator writes for the
// configured country from the installed libphonenumber-js, so a hand edit, a changed country or a library
// upgrade with other numbering plans fails here until the file is written again.
import { describe, expect, it } from 'vitest';
import { buildPhoneMetadata } from '#shared/config/generate-phone-metadata.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import phoneMetadata from '#shared/config/phone-metadata.json' with { type: 'json' };

const config = loadConfig();

describe('phone-metadata.json', () => {
  it('is exactly what npm run phone-metadata writes for the configured country', () => {
    expect(phoneMetadata.country).toBe(config.organisation.country);
    expect(buildPhoneMetadata(config.organisation.country)).toEqual(phoneMetadata);
  });

  it('holds the country’s own numbering plan whole and every other calling code’s lengths and trunk prefix', () => {
    const malaysia = buildPhoneMetadata('MY');
    expect(malaysia.metadata.country_calling_codes).toEqual({ 60: ['MY'] });
    expect(Object.keys(malaysia.metadata.countries)).toEqual(['MY']);
    expect(malaysia.callingCodes['60']).toBeUndefined();
    expect(malaysia.callingCodes['62']).toEqual([[7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17], '0']);
    // Countries that share a calling code: their lengths together, the trunk prefix they share (none in Italy).
    expect(malaysia.callingCodes['44']).toEqual([[7, 9, 10], '0']);
    expect(malaysia.callingCodes['7']).toEqual([[10, 14], '8']);
    expect(malaysia.callingCodes['39']).toEqual([[6, 7, 8, 9, 10, 11, 12]]);
    // Non-geographic codes (international freephone) are there too.
    expect(malaysia.callingCodes['800']).toEqual([[8]]);
  });

  it('refuses a country libphonenumber-js does not know', () => {
    expect(() => buildPhoneMetadata('XX')).toThrow('libphonenumber-js has no numbering plan for the country XX');
  });
});
