// phone-metadata.json is generated (npm run phone-metadata) so that no Lambda carries libphonenumber-js's
// metadata of every country. These tests keep it honest: it is exactly what the generator writes for the
// configured country from the installed libphonenumber-js, so a hand edit, a changed country or a library
// upgrade with other numbering plans fails here until the file is written again.
import full from 'libphonenumber-js/min/metadata';
import { describe, expect, it } from 'vitest';
import { buildPhoneMetadata, lengthsPattern } from '#shared/config/generate-phone-metadata.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import phoneMetadata from '#shared/config/phone-metadata.json' with { type: 'json' };

const config = loadConfig();

describe('phone-metadata.json', () => {
  it('is exactly what npm run phone-metadata writes for the configured country', () => {
    expect(phoneMetadata.country).toBe(config.organisation.country);
    expect(buildPhoneMetadata(config.organisation.country)).toEqual(phoneMetadata);
  });

  it('holds the organisation’s calling code in full, as libphonenumber-js has it', () => {
    const { metadata } = buildPhoneMetadata('MY');
    expect(metadata.country_calling_codes['60']).toEqual(['MY']);
    expect(metadata.countries.MY).toEqual(full.countries.MY);
    // A country that shares its calling code keeps every country of it whole: Canada's +1 is also the USA's.
    const canada = buildPhoneMetadata('CA').metadata;
    expect(canada.country_calling_codes['1']).toEqual(full.country_calling_codes['1']);
    for (const country of full.country_calling_codes['1']!) expect(canada.countries[country]).toEqual(full.countries[country]);
  });

  it('holds every other calling code by its main country’s parsing rules and its countries’ lengths', () => {
    const { metadata } = buildPhoneMetadata('MY');
    expect(Object.keys(metadata.country_calling_codes)).toEqual(Object.keys(full.country_calling_codes));
    expect(Object.keys(metadata.nonGeographic)).toEqual(Object.keys(full.nonGeographic));
    // Indonesia: trunk 0, 7 to 17 digits; the United Kingdom (with Guernsey, Jersey, the Isle of Man): trunk 0,
    // which "180020" also prefixes; Italy: no trunk prefix; Argentina: its "15" mobile rule; freephone +800.
    expect(metadata.country_calling_codes['62']).toEqual(['ID']);
    expect(metadata.countries.ID).toEqual(['62', 0, '\\d{7,17}', 0, 0, '0']);
    expect(metadata.country_calling_codes['44']).toEqual(['GB']);
    expect(metadata.countries.GB).toEqual(['44', 0, '\\d{7}|\\d{9,10}', 0, 0, '0', 0, '0|180020']);
    expect(metadata.countries.GG).toBeUndefined();
    expect(metadata.countries.IT).toEqual(['39', 0, '\\d{6,12}']);
    expect(metadata.countries.AR).toEqual(['54', 0, '\\d{10,11}', 0, 0, '0', 0, full.countries.AR![7], '9$1']);
    expect(metadata.nonGeographic['800']).toEqual(['800', 0, '\\d{8}']);
  });

  it('writes lengths as a pattern of runs', () => {
    expect(lengthsPattern([10, 7, 9, 9])).toBe('\\d{7}|\\d{9,10}');
    expect(lengthsPattern([8])).toBe('\\d{8}');
  });

  it('refuses a country libphonenumber-js does not know', () => {
    expect(() => buildPhoneMetadata('XX')).toThrow('libphonenumber-js has no numbering plan for the country XX');
  });
});
