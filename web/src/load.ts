// Loading what a screen shows, refreshing it on a timer while the tab is visible, and sending what a person
// wrote with retries while the connection is down (the text stays in its draft until the API has it).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Described, describeError } from './api.ts';

export const useResource = <T>(load: () => Promise<T>, deps: unknown[]) => {
  const [state, setState] = useState<{ data?: T; error?: Described; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const data = await load();
      if (mine === generation.current) setState({ data, loading: false });
    } catch (error) {
      // A failed refresh keeps what was shown and says why above it.
      if (mine === generation.current) setState((previous) => ({ ...previous, error: describeError(error), loading: false }));
    }
    // The caller names what the loader depends on (as useEffect's deps).
  }, deps);
  useEffect(() => {
    setState({ loading: true });
    void reload();
  }, [reload]);
  return { ...state, reload, set: (data: T) => setState({ data, loading: false }) };
};

/** Calls `tick` every `ms` while the page is visible, and at once when it becomes visible again. */
export const usePolling = (tick: () => void, ms: number) => {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') latest.current();
    }, ms);
    const onVisible = () => document.visibilityState === 'visible' && latest.current();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [ms]);
};

/**
 * Sends with the connection's ups and downs: a request that never reached the API is tried again when the
 * browser is back online and every few seconds (up to 30 s apart); any other failure is shown and stops.
 */
export const useSender = <A extends unknown[], R>(send: (...args: A) => Promise<R>) => {
  const [state, setState] = useState<{ busy: boolean; offline: boolean; error?: Described }>({ busy: false, offline: false });
  const pending = useRef<{ args: A; attempt: number; resolve: (value: R | undefined) => void } | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const attempt = useCallback(async () => {
    const job = pending.current;
    if (!job) return;
    clearTimeout(timer.current);
    setState({ busy: true, offline: job.attempt > 0 });
    try {
      const result = await send(...job.args);
      pending.current = undefined;
      setState({ busy: false, offline: false });
      job.resolve(result);
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'network') {
        job.attempt += 1;
        setState({ busy: false, offline: true });
        timer.current = setTimeout(() => void attempt(), Math.min(30_000, 2_000 * 2 ** Math.min(job.attempt, 4)));
        return;
      }
      pending.current = undefined;
      setState({ busy: false, offline: false, error: describeError(error) });
      job.resolve(undefined);
    }
  }, [send]);

  useEffect(() => {
    const online = () => void attempt();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      clearTimeout(timer.current);
    };
  }, [attempt]);

  const run = (...args: A): Promise<R | undefined> =>
    new Promise((resolve) => {
      pending.current = { args, attempt: 0, resolve };
      void attempt();
    });
  return { ...state, run, retryNow: () => void attempt(), clearError: () => setState((s) => ({ ...s, error: undefined })) };
};
