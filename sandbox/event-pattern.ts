// EventBridge's pattern matching, for the sandbox's bus: the subset the helpdesk's rules use (value lists
// with null, prefix, anything-but, exists, numeric equality, $or) with EventBridge's semantics: every key
// of the pattern must match; a list matches when any of its entries does; an array in the event matches
// when any of its elements does; `$or` matches when any of its patterns matches the same object.
import type { EventPattern } from '#shared/events/rules.ts';

type Matcher = string | number | boolean | null | Record<string, unknown>;

const matchesOne = (matcher: Matcher, value: unknown, present: boolean): boolean => {
  if (matcher === null) return present && value === null;
  if (typeof matcher !== 'object') return present && value === matcher;
  if ('exists' in matcher) return matcher.exists === present;
  if (!present) return false;
  if ('prefix' in matcher) return typeof value === 'string' && value.startsWith(String(matcher.prefix));
  if ('anything-but' in matcher) {
    const excluded = matcher['anything-but'];
    return !(Array.isArray(excluded) ? excluded : [excluded]).includes(value);
  }
  throw new Error(`pattern operator not supported by the sandbox bus: ${JSON.stringify(matcher)}`);
};

const matchesList = (matchers: readonly Matcher[], value: unknown, present: boolean): boolean => {
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((matcher) => values.some((candidate) => matchesOne(matcher, candidate, present)));
};

export const matchesPattern = (pattern: EventPattern, event: Record<string, unknown>): boolean =>
  Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') return (rule as readonly EventPattern[]).some((alternative) => matchesPattern(alternative, event));
    const present = Object.hasOwn(event, key) && event[key] !== undefined;
    const value = event[key];
    if (Array.isArray(rule)) return matchesList(rule as readonly Matcher[], value, present);
    return present && typeof value === 'object' && value !== null && matchesPattern(rule as EventPattern, value as Record<string, unknown>);
  });
