import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './api.ts';

/**
 * GETs `path` (and again every `pollMs` when given); `reload` refetches on demand. While a new
 * path loads, `data` is still the last answer, for another path: `fresh` says whether it answers
 * the path asked for now, so a page can tell its answer from the one it replaces.
 */
export function useApi<T>(path: string | null, pollMs?: number) {
  const [loaded, setLoaded] = useState<{ path: string; data: T } | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    if (!path) return;
    const ctrl = new AbortController();
    let timer: number | undefined;
    const load = async () => {
      try {
        const data = await api<T>('GET', path, undefined, { signal: ctrl.signal });
        // An answer that arrives after its request was replaced (a reload, a new path) is stale.
        if (ctrl.signal.aborted) return;
        setLoaded({ path, data });
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
  return { data: loaded?.data, fresh: loaded !== undefined && loaded.path === path, error, reload };
}
