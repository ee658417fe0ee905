import { createHash, randomBytes } from 'node:crypto';
import type { Db, Sql } from '../db/db.types.ts';
import { WinnowError } from '../errors/winnow-error.ts';
import { appendEvent } from '../events/event-log.ts';
import { looksLikeEmail, normaliseEmail } from './email.ts';
import { checkNewPassword, hashPassword } from './password.ts';
import type { Role } from './reviews.repository.ts';
import { ROLES } from './reviews.repository.ts';

export interface User {
  id: string;
  email: string;
  name: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A well-formed email in its one normal form, or a VALIDATION error naming the field. */
export function checkEmail(raw: string, field = 'email'): string {
  const email = normaliseEmail(raw);
  if (!looksLikeEmail(email)) {
    throw new WinnowError('VALIDATION', `"${raw.trim()}" is not an email address`, { location: { field } });
  }
  return email;
}

/** Inserts a user in `tx` (the caller's transaction); the email must already be normalised. */
export async function insertUser(
  tx: Sql,
  input: { email: string; name: string; passwordHash: string; admin?: boolean },
): Promise<User> {
  const dupe = await tx.query('SELECT 1 FROM users WHERE email = $1', [input.email]);
  if (dupe.rows.length) throw new WinnowError('CONFLICT', `A user with email ${input.email} already exists`);
  const { rows } = await tx.query<User>(
    'INSERT INTO users (email, name, password_hash, admin) VALUES ($1, $2, $3, $4) RETURNING id, email, name',
    [input.email, input.name, input.passwordHash, input.admin ?? false],
  );
  const user = rows[0]!;
  await appendEvent(tx, {
    reviewId: null,
    type: 'user.created',
    entityType: 'user',
    entityId: user.id,
    data: { email: input.email, ...(input.admin ? { admin: true } : {}) },
  });
  return user;
}

export async function createUser(
  db: Db,
  input: { email: string; name: string; password: string; admin?: boolean },
): Promise<User> {
  const email = checkEmail(input.email);
  checkNewPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return db.transaction((tx) =>
    insertUser(tx, { email, name: input.name, passwordHash, admin: input.admin }),
  );
}

export async function findUserByEmail(
  db: Sql,
  email: string,
): Promise<(User & { passwordHash: string | null }) | null> {
  const { rows } = await db.query<User & { passwordHash: string | null }>(
    'SELECT id, email, name, password_hash AS "passwordHash" FROM users WHERE email = $1 AND disabled_at IS NULL',
    [normaliseEmail(email)],
  );
  return rows[0] ?? null;
}

/** True until the first account exists: a fresh install then offers its setup page. */
export async function needsSetup(db: Sql): Promise<boolean> {
  const { rows } = await db.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM users) AS empty');
  return rows[0]?.empty ?? false;
}

/**
 * Creates the first account, an administrator, only while there is no account at all. The table
 * lock makes two setups racing on a fresh install create one account, not two.
 */
export async function createFirstAdmin(
  db: Db,
  input: { email: string; name: string; password: string },
): Promise<User> {
  const email = checkEmail(input.email);
  checkNewPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE users IN EXCLUSIVE MODE');
    if (!(await needsSetup(tx))) {
      throw new WinnowError('CONFLICT', 'Winnow is already set up: sign in with your account instead');
    }
    return insertUser(tx, { email, name: input.name, passwordHash, admin: true });
  });
}

/** The stored password hash of an active user (null when they have none or are disabled). */
export async function passwordHashOf(db: Sql, userId: string): Promise<string | null> {
  const { rows } = await db.query<{ hash: string | null }>(
    'SELECT password_hash AS hash FROM users WHERE id = $1 AND disabled_at IS NULL',
    [userId],
  );
  return rows[0]?.hash ?? null;
}

export async function setPasswordHash(tx: Sql, userId: string, passwordHash: string): Promise<void> {
  await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
  await appendEvent(tx, {
    reviewId: null,
    type: 'user.password_changed',
    actorId: userId,
    entityType: 'user',
    entityId: userId,
  });
}

export async function getUserByEmail(db: Sql, email: string): Promise<User> {
  const user = await findUserByEmail(db, email);
  if (!user) throw new WinnowError('NOT_FOUND', `No user with email ${email}`);
  return { id: user.id, email: user.email, name: user.name };
}

function checkRole(role: Role): void {
  if (!ROLES.includes(role)) {
    throw new WinnowError('VALIDATION', `Role must be one of ${ROLES.join(', ')}`, {
      location: { field: 'role' },
    });
  }
}

/** Gives a user a role in `tx` (the caller's transaction); a role they already hold is a no-op. */
export async function insertMember(
  tx: Sql,
  input: { reviewId: string; userId: string; role: Role; actorId?: string | null },
): Promise<void> {
  checkRole(input.role);
  const { rows } = await tx.query(
    `INSERT INTO members (review_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
    [input.reviewId, input.userId, input.role],
  );
  if (rows.length) {
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'member.added',
      actorId: input.actorId ?? null,
      entityType: 'user',
      entityId: input.userId,
      data: { role: input.role },
    });
  }
}

export async function addMember(
  db: Db,
  input: { reviewId: string; userId: string; role: Role; actorId?: string | null },
): Promise<void> {
  checkRole(input.role);
  await db.transaction((tx) => insertMember(tx, input));
}

export async function removeMember(
  db: Db,
  input: { reviewId: string; userId: string; role: Role; actorId?: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    const { rows } = await tx.query(
      'DELETE FROM members WHERE review_id = $1 AND user_id = $2 AND role = $3 RETURNING 1',
      [input.reviewId, input.userId, input.role],
    );
    if (rows.length) {
      await appendEvent(tx, {
        reviewId: input.reviewId,
        type: 'member.removed',
        actorId: input.actorId ?? null,
        entityType: 'user',
        entityId: input.userId,
        data: { role: input.role },
      });
    }
  });
}

export async function rolesOf(db: Sql, reviewId: string, userId: string): Promise<Role[]> {
  const { rows } = await db.query<{ role: Role }>(
    'SELECT role FROM members WHERE review_id = $1 AND user_id = $2',
    [reviewId, userId],
  );
  return rows.map((r) => r.role);
}

export interface Member extends User {
  roles: Role[];
}

export async function listMembers(db: Sql, reviewId: string): Promise<Member[]> {
  const { rows } = await db.query<Member>(
    `SELECT u.id, u.email, u.name, array_agg(m.role ORDER BY m.role) AS roles
     FROM members m JOIN users u ON u.id = m.user_id WHERE m.review_id = $1
     GROUP BY u.id, u.email, u.name ORDER BY u.name`,
    [reviewId],
  );
  return rows;
}

/** Returns the plain token once; only its hash is stored. */
export async function createApiToken(
  db: Db,
  userId: string,
  label = '',
): Promise<{ id: string; token: string }> {
  const token = `wn_${randomBytes(24).toString('base64url')}`;
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO api_tokens (user_id, token_hash, label) VALUES ($1, $2, $3) RETURNING id',
    [userId, sha256(token), label],
  );
  return { id: rows[0]!.id, token };
}

export async function revokeApiToken(db: Sql, userId: string, tokenId: string): Promise<boolean> {
  const { rows } = await db.query(
    'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING 1',
    [tokenId, userId],
  );
  return rows.length > 0;
}
