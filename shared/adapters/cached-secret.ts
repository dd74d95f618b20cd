// A secret read at most once per five minutes per name, shared by concurrent callers; a failed read is not
// kept, so the next caller tries again. Used by the chat channels' and the webhooks' secrets.
const KEEP_MS = 5 * 60_000;

export const cachedSecretReader = <Name extends string>(load: (name: Name) => Promise<string>) => {
  const cache = new Map<Name, { value: Promise<string>; until: number }>();
  return (name: Name, now = Date.now()): Promise<string> => {
    const kept = cache.get(name);
    if (kept && kept.until > now) return kept.value;
    const value = load(name);
    cache.set(name, { value, until: now + KEEP_MS });
    value.catch(() => cache.delete(name));
    return value;
  };
};
