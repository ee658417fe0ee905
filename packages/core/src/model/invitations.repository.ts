import { randomBytes } from 'node:crypto';
import type { Db, Sql } from '../db/db.types.ts';
import { WinnowError } from '../errors/winnow-error.ts';
import { appendEvent } from '../events/event-log.ts';
import type { Role } from './reviews.repository.ts';
import { insertMember, insertUser, sha256, type User } from './users.repository.ts';

export const INVITATION_DAYS = 7;

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
}

export type InvitationState = 'pending' | 'expired' | 'accepted' | 'revoked';

/** What the holder of a link may see: enough to decide whether to accept, nothing more. */
export interface InvitationView {
  reviewTitle: string;
  email: string;
  role: Role;
  expiresAt: Date;
  state: InvitationState;
}

const COLUMNS = `id, email, role, created_at AS "createdAt", expires_at AS "expiresAt"`;

const STATE = `CASE WHEN i.revoked_at IS NOT NULL THEN 'revoked'
  WHEN i.accepted_at IS NOT NULL THEN 'accepted'
  WHEN i.expires_at <= now() THEN 'expired' ELSE 'pending' END`;

/**
 * Creates a one-time invitation and returns its token (the only time it exists in clear: the link
 * is built from it and only its hash is stored). `email` must already be normalised.
 */
export async function createInvitation(
  db: Db,
  input: { reviewId: string; email: string; role: Role; actorId: string },
): Promise<{ invitation: Invitation; token: string }> {
  const token = randomBytes(32).toString('base64url');
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<Invitation>(
      `INSERT INTO invitations (review_id, email, role, token_hash, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + interval '${INVITATION_DAYS} days') RETURNING ${COLUMNS}`,
      [input.reviewId, input.email, input.role, sha256(token), input.actorId],
    );
    const invitation = rows[0]!;
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'invitation.created',
      actorId: input.actorId,
      entityType: 'invitation',
      entityId: invitation.id,
      data: { email: input.email, role: input.role },
    });
    return { invitation, token };
  });
}

/** Invitations of a review that can still be accepted, newest first. */
export async function listPendingInvitations(db: Sql, reviewId: string): Promise<Invitation[]> {
  const { rows } = await db.query<Invitation>(
    `SELECT ${COLUMNS} FROM invitations i
     WHERE review_id = $1 AND ${STATE} = 'pending' ORDER BY created_at DESC, id`,
    [reviewId],
  );
  return rows;
}

/** Withdraws a pending invitation of this review; false when there is none with this id. */
export async function revokeInvitation(
  db: Db,
  input: { reviewId: string; id: string; actorId: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query(
      `UPDATE invitations SET revoked_at = now()
       WHERE id = $1 AND review_id = $2 AND revoked_at IS NULL AND accepted_at IS NULL RETURNING 1`,
      [input.id, input.reviewId],
    );
    if (!rows.length) return false;
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'invitation.revoked',
      actorId: input.actorId,
      entityType: 'invitation',
      entityId: input.id,
    });
    return true;
  });
}

export async function findInvitation(db: Sql, token: string): Promise<InvitationView | null> {
  const { rows } = await db.query<InvitationView>(
    `SELECT r.title AS "reviewTitle", i.email, i.role, i.expires_at AS "expiresAt", ${STATE} AS state
     FROM invitations i JOIN reviews r ON r.id = i.review_id WHERE i.token_hash = $1`,
    [sha256(token)],
  );
  return rows[0] ?? null;
}

const UNUSABLE: Record<Exclude<InvitationState, 'pending'>, string> = {
  expired: 'This invitation has expired. Ask the review lead for a new link.',
  accepted: 'This invitation has already been used. Sign in instead.',
  revoked: 'This invitation was withdrawn by the review lead.',
};

/** Why a link cannot be used, for the person holding it. */
export function invitationProblem(state: InvitationState | null): string | null {
  if (state === null) return 'This invitation link is not valid. Check that you copied all of it.';
  return state === 'pending' ? null : UNUSABLE[state];
}

/**
 * Accepts an invitation and consumes it, all in one transaction: as a signed-in user (`userId`),
 * whose account gets the role, or anonymously with a name and a password hash, which creates the
 * account for the invited email. The invitation row is locked first, so two accepts of one link
 * racing each other give one member and one refusal.
 */
export async function acceptInvitation(
  db: Db,
  token: string,
  who: { userId: string } | { name: string; passwordHash: string },
): Promise<{
  user: User | null;
  created: boolean;
  reviewSlug: string;
  reviewId: string;
  role: Role;
  invitationId: string;
}> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{
      id: string;
      reviewId: string;
      slug: string;
      email: string;
      role: Role;
      state: InvitationState;
    }>(
      `SELECT i.id, i.review_id AS "reviewId", r.slug, i.email, i.role, ${STATE} AS state
       FROM invitations i JOIN reviews r ON r.id = i.review_id WHERE i.token_hash = $1 FOR UPDATE OF i`,
      [sha256(token)],
    );
    const inv = rows[0];
    const problem = invitationProblem(inv?.state ?? null);
    if (!inv || problem) throw new WinnowError('NOT_FOUND', problem ?? 'No such invitation');
    let user: User | null = null;
    let userId: string;
    if ('userId' in who) {
      userId = who.userId;
    } else {
      const exists = await tx.query('SELECT 1 FROM users WHERE email = $1', [inv.email]);
      if (exists.rows.length) {
        // Never a password check here: that would be a second sign-in door without its rate limit.
        throw new WinnowError(
          'CONFLICT',
          'An account with this email already exists. Sign in with it, then open this link again to accept.',
        );
      }
      user = await insertUser(tx, { email: inv.email, name: who.name, passwordHash: who.passwordHash });
      userId = user.id;
    }
    await insertMember(tx, { reviewId: inv.reviewId, userId, role: inv.role, actorId: userId });
    await tx.query('UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1', [
      inv.id,
      userId,
    ]);
    await appendEvent(tx, {
      reviewId: inv.reviewId,
      type: 'invitation.accepted',
      actorId: userId,
      entityType: 'invitation',
      entityId: inv.id,
      data: { role: inv.role },
    });
    // Other links sent to the same address for the same role (sent again, say, when the first
    // seemed lost) have done their work: withdrawn, so they no longer wait to be accepted.
    const { rows: leftovers } = await tx.query<{ id: string }>(
      `UPDATE invitations i SET revoked_at = now()
        WHERE i.review_id = $1 AND lower(i.email) = lower($2) AND i.role = $3 AND i.id <> $4
          AND ${STATE} = 'pending'
        RETURNING i.id`,
      [inv.reviewId, inv.email, inv.role, inv.id],
    );
    for (const l of leftovers)
      await appendEvent(tx, {
        reviewId: inv.reviewId,
        type: 'invitation.revoked',
        actorId: userId,
        entityType: 'invitation',
        entityId: l.id,
        data: { reason: 'another invitation to the same address and role was accepted' },
      });
    return {
      user,
      created: user !== null,
      reviewSlug: inv.slug,
      reviewId: inv.reviewId,
      role: inv.role,
      invitationId: inv.id,
    };
  });
}
