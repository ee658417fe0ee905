import { createContext, useContext, useEffect, useMemo } from 'react';
import { onReviewRefused } from './api.ts';
import { useApi } from './use-api.ts';

/** What the signed-in member may do in the review on screen, as the server's access rules say. */
export interface ReviewAccess {
  loaded: boolean;
  /** The server does not open this review to the member (never one, removed, or no such review). */
  missing: boolean;
  roles: readonly string[];
  /** `action` as the server declares it, e.g. `POST /reviews/:review/imports`. */
  can(action: string): boolean;
}

const NOTHING: ReviewAccess = { loaded: false, missing: false, roles: [], can: () => false };

export const AccessContext = createContext<ReviewAccess>(NOTHING);

/** Pages read this to show only the controls the member can use. */
export function useAccess(): ReviewAccess {
  return useContext(AccessContext);
}

/** Loads the member's access for one review (App provides it to every page of that review). */
export function useReviewAccess(review: string | undefined): ReviewAccess {
  const { data, error, reload } = useApi<{ roles: string[]; allowed: string[] }>(
    review ? `/reviews/${encodeURIComponent(review)}/access` : null,
  );
  // A request of this review refused as not found or forbidden: a lead may have removed the
  // member or changed their roles while the page was open, so the shell asks again.
  useEffect(() => onReviewRefused((r) => r === review && reload()), [review, reload]);
  const missing = error?.status === 404;
  return useMemo(() => {
    if (missing) return { ...NOTHING, missing: true };
    if (!data) return NOTHING;
    const allowed = new Set(data.allowed);
    return { loaded: true, missing: false, roles: data.roles, can: (action: string) => allowed.has(action) };
  }, [data, missing]);
}
