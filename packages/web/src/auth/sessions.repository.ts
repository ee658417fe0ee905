import { randomBytes } from 'node:crypto';
import { sha256, type Sql } from '@winnow/core';

const SESSION_DAYS = 14;

export async function createSession(
  db: Sql,
  userId: string,
): Promise<{ sessionId: string; csrfToken: string }> {
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.query(
    `INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + interval '${SESSION_DAYS} days')`,
    [sha256(sessionId), userId, csrfToken],
  );
  return { sessionId, csrfToken };
}

export async function deleteSession(db: Sql, sessionId: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [sha256(sessionId)]);
}

/**
 * Counts one attempt for each key and returns each key's count in the current window, in one
 * statement: the upsert locks each key's row, so parallel attempts get 1, 2, 3, ... and never all
 * read "under the limit". A window starts at a key's first attempt and lasts `minutes`. Keys are
 * locked in sorted order, so two statements sharing keys cannot deadlock.
 */
export async function countAttempts(
  db: Sql,
  keys: readonly string[],
  minutes: number,
): Promise<Map<string, number>> {
  const sorted = [...new Set(keys)].sort();
  const { rows } = await db.query<{ key: string; attempts: number }>(
    `INSERT INTO login_counters AS c (key, attempts)
     SELECT k, 1 FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n
     ON CONFLICT (key) DO UPDATE SET
       attempts = CASE WHEN c.window_started_at > now() - make_interval(mins => $2) THEN c.attempts + 1 ELSE 1 END,
       window_started_at = CASE WHEN c.window_started_at > now() - make_interval(mins => $2)
                           THEN c.window_started_at ELSE now() END
     RETURNING key, attempts`,
    [sorted, minutes],
  );
  return new Map(rows.map((r) => [r.key, r.attempts]));
}

/** Gives back an attempt that turned out fine, so sign-ins that work never add up to a lock. */
export async function refundAttempt(db: Sql, key: string): Promise<void> {
  await db.query('UPDATE login_counters SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0', [key]);
}

export async function clearAttempts(db: Sql, key: string): Promise<void> {
  await db.query('DELETE FROM login_counters WHERE key = $1', [key]);
}

/** Ends every session of a user except `keepSessionId` (the one changing the password). */
export async function deleteOtherSessions(
  db: Sql,
  userId: string,
  keepSessionId: string | null,
): Promise<number> {
  const { rows } = await db.query(
    'DELETE FROM sessions WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2 RETURNING 1',
    [userId, keepSessionId ? sha256(keepSessionId) : null],
  );
  return rows.length;
}
