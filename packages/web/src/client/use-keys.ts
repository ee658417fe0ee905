import { useEffect, useLayoutEffect, useRef } from 'react';

/**
 * Calls the latest `onKey` for every keydown outside form fields (and without Ctrl/Meta/Alt).
 *
 * The listener is registered once and reads the handler from a ref that is updated in a layout
 * effect, i.e. in the same task as the DOM commit. A listener re-registered in a plain effect
 * runs after paint, so a key pressed between the two (a fast typist, or a test that waits for
 * the DOM) would reach the previous render's handler and act on stale state — undo taking back
 * the vote before last, for example. Return false from `onKey` to leave the key to the browser.
 */
export function useKeys(onKey: (e: KeyboardEvent) => boolean | void): void {
  const latest = useRef(onKey);
  useLayoutEffect(() => {
    latest.current = onKey;
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (latest.current(e) !== false) e.preventDefault();
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
