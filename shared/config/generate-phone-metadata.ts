// `npm run phone-metadata`: writes phone-metadata.json, what shared/domain/tickets/phone-number.ts needs of
// libphonenumber-js's "min" metadata: the organisation's country in full (its national forms, lengths and
// patterns) and, for every other country calling code, only its possible lengths and national (trunk)
// prefix. About 4 KB where the whole "min" set is 81 KB in every function that reads a phone number; a number
// from abroad is still written in E.164 (phone-number.ts says how). A unit test checks the file is current.
import { writeFileSync } from 'node:fs';
import type { CountryCode } from 'libphonenumber-js/core';
import full from 'libphonenumber-js/min/metadata';
import { loadConfig } from './load-config.ts';

/** The lengths a calling code's national numbers have; `trunk` is its national prefix, if any. */
export type CallingCode = [lengths: number[], trunk?: string];

// Positions in a numbering plan of metadata version 4 (libphonenumber-js's source/metadata.js, NumberingPlan).
const CALLING_CODE = 0;
const POSSIBLE_LENGTHS = 3;
const NATIONAL_PREFIX = 5;

/** The lengths of all the code's countries; their national prefix when they share one. */
const callingCode = (plans: readonly unknown[][]): CallingCode => {
  const lengths = plans.flatMap((plan) => plan[POSSIBLE_LENGTHS] as number[]);
  const trunks = new Set(plans.map((plan) => plan[NATIONAL_PREFIX] as string | undefined));
  const [trunk] = trunks;
  const possible = [...new Set(lengths)].sort((a, b) => a - b);
  return trunks.size === 1 && trunk ? [possible, trunk] : [possible];
};

export const buildPhoneMetadata = (country: string) => {
  const own = full.countries[country as CountryCode];
  if (!own) throw new Error(`libphonenumber-js has no numbering plan for the country ${country}`);
  const code = own[CALLING_CODE] as string;
  const geographic = Object.entries(full.country_calling_codes).map(
    ([other, countries]) => [other, countries.map((each) => full.countries[each]!)] as const,
  );
  const nonGeographic = Object.entries(full.nonGeographic).map(([other, plan]) => [other, [plan]] as const);
  const abroad = [...geographic, ...nonGeographic].filter(([other]) => other !== code);
  return {
    country,
    metadata: { version: full.version, country_calling_codes: { [code]: [country] }, countries: { [country]: own }, nonGeographic: {} },
    callingCodes: Object.fromEntries(abroad.map(([other, plans]) => [other, callingCode(plans)])),
  };
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = buildPhoneMetadata(loadConfig().organisation.country);
  writeFileSync(new URL('./phone-metadata.json', import.meta.url), `${JSON.stringify(file)}\n`);
  console.log(`phone-metadata.json: ${file.country} in full, ${Object.keys(file.callingCodes).length} calling codes abroad`);
}
