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

/** Failed sign-ins in the window, per key; shared by all web processes through the database. */
export async function recentFailures(db: Sql, key: string, minutes: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM login_attempts WHERE key = $1 AND at > now() - ($2 || ' minutes')::interval`,
    [key, String(minutes)],
  );
  return rows[0]?.n ?? 0;
}

export async function recordFailure(db: Sql, key: string): Promise<void> {
  await db.query('INSERT INTO login_attempts (key) VALUES ($1)', [key]);
}

export async function clearFailures(db: Sql, key: string): Promise<void> {
  await db.query('DELETE FROM login_attempts WHERE key = $1', [key]);
}
