import { ApiError } from './api.ts';

/**
 * What a person reads when a request fails: the server's message (written for people), or plain
 * words for failures that carry none. Never the error code: codes are for scripts.
 */
export function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return 'Something went wrong in the page. Reload it and try again.';
  if (e.status === 0) return 'The server could not be reached. Check your connection and try again.';
  if (e.status === 401) return 'You were signed out. Sign in again to go on.';
  // The session cookie now belongs to a sign-in made in another tab or window.
  if (e.code === 'CSRF')
    return 'Your sign-in changed in another tab or window, so this was not done. Try it again.';
  if (e.status === 429) return e.message || 'Too many attempts. Wait a few minutes and try again.';
  if (e.status >= 500 && e.status !== 503)
    return 'Something went wrong on the server. Try again; if it keeps happening, tell the review’s lead.';
  return e.message || 'The request was refused.';
}

/** Each field the server named, with its message (the first field alone when no list came). */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const p of e.problems) out[p.field] ??= p.message;
  if (e.field && !out[e.field]) out[e.field] = e.message;
  return out;
}

/** Whether the error names this form field (forms mark it `aria-invalid` and show the message beside it). */
export function fieldError(e: unknown, field: string): string | undefined {
  return e instanceof ApiError && e.field === field ? e.message : undefined;
}
