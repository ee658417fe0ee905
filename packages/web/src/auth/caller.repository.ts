import { sha256, type Review, type Role, type Sql, type User } from '@winnow/core';

export type Credential = { kind: 'token' | 'session'; secret: string };

export interface Caller {
  user: User;
  /** Sessions only: the token cookie-authenticated writes must echo. */
  csrfToken: string | null;
  /** Set when a review slug was asked for and it exists (roles empty for a non-member). */
  review: Review | null;
  roles: Role[];
}

// A bearer token's user; last_used_at is written at most once a minute (no commit otherwise).
const TOKEN_CALLER = `
  caller AS (
    SELECT t.id AS token_id, t.last_used_at, u.id, u.email, u.name, NULL::text AS csrf_token
    FROM api_tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL),
  touched AS (
    UPDATE api_tokens SET last_used_at = now()
    WHERE id IN (SELECT token_id FROM caller WHERE last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))`;

const SESSION_CALLER = `
  caller AS (
    SELECT u.id, u.email, u.name, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL)`;

// The review in the path with the caller's roles in it, checked afresh on every request.
const SELECT = `
  SELECT c.id, c.email, c.name, c.csrf_token AS "csrfToken",
         r.id AS "reviewId", r.slug, r.title, r.description, r.settings, r.created_at AS "createdAt",
         (SELECT array_agg(m.role ORDER BY m.role) FROM members m WHERE m.review_id = r.id AND m.user_id = c.id) AS roles
  FROM caller c LEFT JOIN reviews r ON r.slug = $2`;

const SQL = {
  token: `WITH ${TOKEN_CALLER} ${SELECT}`,
  session: `WITH ${SESSION_CALLER} ${SELECT}`,
};

/**
 * Who is calling and, for `/reviews/:review/...` routes, the review and their roles in it: one
 * query per request (identity, membership and the token's last use), where it used to take three.
 * Null when the credential is unknown, revoked, expired or belongs to a disabled user.
 */
export async function findCaller(
  db: Sql,
  credential: Credential,
  reviewSlug: string | null,
): Promise<Caller | null> {
  const { rows } = await db.query<
    User & {
      csrfToken: string | null;
      reviewId: string | null;
      slug: string;
      title: string;
      description: string;
      settings: Record<string, unknown>;
      createdAt: Date;
      roles: Role[] | null;
    }
  >(SQL[credential.kind], [sha256(credential.secret), reviewSlug]);
  const row = rows[0];
  if (!row) return null;
  return {
    user: { id: row.id, email: row.email, name: row.name },
    csrfToken: row.csrfToken,
    review: row.reviewId
      ? {
          id: row.reviewId,
          slug: row.slug,
          title: row.title,
          description: row.description,
          settings: row.settings,
          createdAt: row.createdAt,
        }
      : null,
    roles: row.roles ?? [],
  };
}
