// A value that components can watch: the few pieces of state the whole console shares (the language, the
// session). Small enough not to need a state library.
import { useEffect, useState } from 'preact/hooks';

export type Signal<T> = { get(): T; set(value: T): void; subscribe(listener: (value: T) => void): () => void };

export const signal = <T>(initial: T): Signal<T> => {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const listener of [...listeners]) listener(value);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};

/** Re-renders the component whenever the signal changes. */
export const useSignal = <T>(source: Signal<T>): T => {
  const [value, setValue] = useState(source.get());
  useEffect(() => {
    setValue(source.get());
    return source.subscribe(setValue);
  }, [source]);
  return value;
};
