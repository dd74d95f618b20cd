// `npm run phone-metadata`: writes phone-metadata.json, the part of libphonenumber-js's "min" metadata that
// shared/domain/tickets/phone-number.ts reads numbers with, in the library's own format: the organisation's
// calling code in full (its countries' national forms, lengths and number patterns), and for every other calling
// code a plan that reads a number written with that code as libphonenumber-js does (its trunk prefix, carrier
// codes and local forms) but checks only its length, against the lengths its countries' numbers have, where the
// min set has each country's number patterns and formats. About 11 KB against 81 KB in every function that
// reads a number; the unit tests show a number from abroad gets the same E.164 as with the min set. A unit test
// checks the file is current.
import { writeFileSync } from 'node:fs';
import type { CountryCode, MetadataJson } from 'libphonenumber-js/core';
import full from 'libphonenumber-js/min/metadata';
import { loadConfig } from './load-config.ts';

// Positions in a numbering plan of metadata version 4 (libphonenumber-js's source/metadata.js, NumberingPlan);
// 0 is the format's "none".
type Plan = MetadataJson['nonGeographic'][string];
const CALLING_CODE = 0;
const NATIONAL_NUMBER_PATTERN = 2;
const POSSIBLE_LENGTHS = 3;
const NATIONAL_PREFIX = 5;
const NATIONAL_PREFIX_FOR_PARSING = 7;
const NATIONAL_PREFIX_TRANSFORM_RULE = 8;

/** `\d{7}|\d{9,10}`: a national number of one of these lengths. */
export const lengthsPattern = (lengths: readonly number[]) => {
  const runs: [number, number][] = [];
  for (const length of [...new Set(lengths)].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last && last[1] === length - 1) last[1] = length;
    else runs.push([length, length]);
  }
  return runs.map(([shortest, longest]) => (shortest === longest ? `\\d{${shortest}}` : `\\d{${shortest},${longest}}`)).join('|');
};

/** The code's first (main) country's parsing rules, which the library applies to every number with the code, and the lengths of all its countries. */
const lengthsOnly = (plans: readonly Plan[]): Plan => {
  const [main] = plans as [Plan];
  const plan = Array.from({ length: NATIONAL_PREFIX_TRANSFORM_RULE + 1 }, () => 0 as unknown);
  plan[CALLING_CODE] = main[CALLING_CODE];
  plan[NATIONAL_NUMBER_PATTERN] = lengthsPattern(plans.flatMap((each) => each[POSSIBLE_LENGTHS] as number[]));
  for (const position of [NATIONAL_PREFIX, NATIONAL_PREFIX_FOR_PARSING, NATIONAL_PREFIX_TRANSFORM_RULE])
    plan[position] = main[position] ?? 0;
  while (plan.at(-1) === 0) plan.pop();
  return plan;
};

export const buildPhoneMetadata = (country: string) => {
  const own = full.countries[country as CountryCode];
  if (!own) throw new Error(`libphonenumber-js has no numbering plan for the country ${country}`);
  const ownCode = own[CALLING_CODE] as string;
  const metadata: MetadataJson = { version: full.version, country_calling_codes: {}, countries: {}, nonGeographic: {} };
  for (const [code, countries] of Object.entries(full.country_calling_codes)) {
    const plans = countries.map((each) => full.countries[each]!);
    // Countries that share the organisation's code (Canada's +1 with the United States) are all kept whole.
    const kept = code === ownCode ? countries : countries.slice(0, 1);
    metadata.country_calling_codes[code] = kept;
    if (code === ownCode) for (const each of countries) metadata.countries[each] = full.countries[each];
    else metadata.countries[countries[0]!] = lengthsOnly(plans);
  }
  for (const [code, plan] of Object.entries(full.nonGeographic)) metadata.nonGeographic[code] = lengthsOnly([plan]);
  return { country, metadata };
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = buildPhoneMetadata(loadConfig().organisation.country);
  writeFileSync(new URL('./phone-metadata.json', import.meta.url), `${JSON.stringify(file)}\n`);
  const codes = Object.keys(file.metadata.country_calling_codes).length + Object.keys(file.metadata.nonGeographic).length;
  console.log(`phone-metadata.json: ${file.country}'s calling code in full, ${codes - 1} others by length`);
}
