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

/** Lower case, accents removed, punctuation as spaces: "Wi-Fi" and "wi fi" and "WIFI" meet halfway. */
export const normalise = (text: string): string =>
  ` ${text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;

const matches = (haystack: string, keyword: string): boolean => {
  const needle = normalise(keyword);
  // Whole words only: "ac" must not fire inside "akun"; the padding spaces make the boundaries.
  const compact = ` ${needle.trim().replace(/ /g, '')} `;
  return needle.trim().length > 0 && (haystack.includes(needle) || haystack.includes(compact));
};

const keywordsOf = (category: Category): string[] => [...category.keywords.id, ...category.keywords.en];

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
  let best: { category: Category; hits: string[] } | undefined;
  for (const category of config.categories) {
    const hits = keywordsOf(category).filter((keyword) => matches(text, keyword));
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
