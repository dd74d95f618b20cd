// Unsent text survives a reload, an expired session and a dropped connection: every draft is kept in this
// tab's sessionStorage until it is sent (or the person signs out).
import { useCallback, useState } from 'preact/hooks';

const keyOf = (name: string) => `helpdesk.draft.${name}`;

export const readDraft = <T>(name: string, fallback: T): T => {
  try {
    const stored = sessionStorage.getItem(keyOf(name));
    return stored === null ? fallback : (JSON.parse(stored) as T);
  } catch {
    return fallback;
  }
};

export const useDraft = <T>(name: string, fallback: T): [T, (value: T) => void, () => void] => {
  const [value, setValue] = useState<T>(() => readDraft(name, fallback));
  const update = useCallback(
    (next: T) => {
      setValue(next);
      sessionStorage.setItem(keyOf(name), JSON.stringify(next));
    },
    [name],
  );
  const clear = useCallback(() => {
    sessionStorage.removeItem(keyOf(name));
    setValue(fallback);
  }, [name, fallback]);
  return [value, update, clear];
};
