import { WinnowError, type Sql } from '@winnow/core';
import { countAttempts } from './sessions.repository.ts';

export interface AttemptLimit {
  max: number;
  minutes: number;
  /** Said to the person refused (no codes: it reaches the browser). */
  message: string;
}

/** Password guesses: per email and per client address, shared by all web processes. */
export const SIGN_IN: AttemptLimit = {
  max: 10,
  minutes: 15,
  message: 'Too many failed sign-ins. Try again in 15 minutes.',
};

/** Invitation links: a token cannot be guessed, but lookups are refused long before anyone could try. */
export const INVITATION_LINKS: AttemptLimit = {
  max: 20,
  minutes: 15,
  message: 'Too many invitation links tried from here. Try again in 15 minutes.',
};

/**
 * Counts this attempt under every key before any check runs, and refuses it when a key is over
 * its limit: whatever the answer would have been, even for the right password.
 */
export async function takeAttempt(db: Sql, keys: readonly string[], limit: AttemptLimit): Promise<void> {
  const counts = await countAttempts(db, keys, limit.minutes);
  for (const n of counts.values()) {
    if (n > limit.max) throw new WinnowError('RATE_LIMITED', limit.message);
  }
}
