import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './api.ts';

/** GETs `path` (and again every `pollMs` when given); `reload` refetches on demand. */
export function useApi<T>(path: string | null, pollMs?: number) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    if (!path) return;
    const ctrl = new AbortController();
    let timer: number | undefined;
    const load = async () => {
      try {
        setData(await api<T>('GET', path, undefined, { signal: ctrl.signal }));
        setError(null);
      } catch (e) {
        if (!ctrl.signal.aborted) setError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK', String(e)));
      }
      if (pollMs && !ctrl.signal.aborted) timer = window.setTimeout(load, pollMs);
    };
    void load();
    return () => {
      ctrl.abort();
      window.clearTimeout(timer);
    };
  }, [path, pollMs, tick]);
  return { data, error, reload };
}
