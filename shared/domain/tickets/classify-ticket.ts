// Rule-based classification: the requester's own choice of category wins; otherwise the organisation's
// keywords (Indonesian and English) pick the category with the most matches; nothing matched means the
// fallback category and first-line triage. The category decides the team.
import type { Category, HelpdeskConfig } from '#shared/config/config-schema.ts';

export type Tier = 'first-line' | 'specialist';

export type Classification = {
  category: string;
  team: string;
  tier: Tier;
  /** How the category was decided, for the audit trail and for tuning the keywords. */
  reason: 'requested' | 'keywords' | 'fallback';
  matchedKeywords: string[];
};

/**
 * Lower case, accents removed, hyphens and dots inside a word dropped ("Wi-Fi", "WIFI" and "wifi" are one
 * word; so are "e-Rapor" and "erapor"), other punctuation as spaces, padded so words have boundaries.
 */
export const normalise = (text: string): string =>
  ` ${text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/(?<=[\p{L}\p{N}])[-.'’](?=[\p{L}\p{N}])/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;

/** Whether consecutive words of the text, written together, spell `compact` ("wi fi" spells "wifi"). */
const spelledAcrossWords = (words: string[], compact: string): boolean =>
  words.some((_, start) => {
    let joined = '';
    for (let index = start; index < words.length && joined.length < compact.length; index++) {
      joined += words[index];
      if (joined === compact) return true;
    }
    return false;
  });

type Keyword = { keyword: string; needle: string; compact: string };

/** Whole words only: "ac" must not fire inside "akun"; the padding spaces make the boundaries. */
const matches = (text: string, words: string[], { needle, compact }: Keyword): boolean =>
  text.includes(needle) || spelledAcrossWords(words, compact);

/** Each category's keywords normalised once per configuration, not once per ticket (~0.4 ms of every create). */
const prepared = new WeakMap<Category, Keyword[]>();

/** Each keyword once, however many spellings of it the configuration lists ("wifi", "wi-fi"); none that is empty. */
const keywordsOf = (category: Category): Keyword[] => {
  let keywords = prepared.get(category);
  if (!keywords) {
    const seen = new Map<string, Keyword>();
    for (const keyword of [...category.keywords.id, ...category.keywords.en]) {
      const needle = normalise(keyword);
      if (!seen.has(needle)) seen.set(needle, { keyword, needle, compact: needle.replace(/ /g, '') });
    }
    keywords = [...seen.values()].filter(({ needle }) => needle.trim().length > 0);
    prepared.set(category, keywords);
  }
  return keywords;
};

export const teamForCategory = (config: HelpdeskConfig, categoryId: string): string =>
  config.categories.find((category) => category.id === categoryId)?.team ?? config.triageTeam;

const tierOf = (config: HelpdeskConfig, team: string): Tier => (team === config.triageTeam ? 'first-line' : 'specialist');

export const classifyTicket = (
  config: HelpdeskConfig,
  input: { subject: string; description?: string | undefined; category?: string | undefined },
): Classification => {
  if (input.category) {
    const team = teamForCategory(config, input.category);
    return { category: input.category, team, tier: tierOf(config, team), reason: 'requested', matchedKeywords: [] };
  }
  const text = normalise(`${input.subject} ${input.description ?? ''}`);
  const words = text.trim().split(' ');
  let best: { category: Category; hits: string[] } | undefined;
  for (const category of config.categories) {
    const hits = keywordsOf(category)
      .filter((keyword) => matches(text, words, keyword))
      .map(({ keyword }) => keyword);
    // Strictly more hits wins; ties keep the earlier category, so the config's order is the tie-break.
    if (hits.length > (best?.hits.length ?? 0)) best = { category, hits };
  }
  if (!best) {
    return {
      category: config.fallbackCategory,
      team: config.triageTeam,
      tier: 'first-line',
      reason: 'fallback',
      matchedKeywords: [],
    };
  }
  const team = best.category.team;
  return { category: best.category.id, team, tier: tierOf(config, team), reason: 'keywords', matchedKeywords: best.hits };
};
