import type { Db, Sql } from '../db/db.types.ts';
import { WinnowError } from '../errors/winnow-error.ts';
import { appendEvent } from '../events/event-log.ts';
import { ROLES, type Role } from './reviews.repository.ts';

async function rolesFor(tx: Sql, reviewId: string, userId: string): Promise<Role[]> {
  const { rows } = await tx.query<{ role: Role }>(
    'SELECT role FROM members WHERE review_id = $1 AND user_id = $2 FOR UPDATE',
    [reviewId, userId],
  );
  return rows.map((r) => r.role);
}

/** A review without a lead could never be configured again: the last lead's role stays. */
async function assertAnotherLead(tx: Sql, reviewId: string, userId: string): Promise<void> {
  // Locks every lead row, so two leads removing each other at once cannot both succeed.
  const { rows } = await tx.query<{ userId: string }>(
    `SELECT user_id AS "userId" FROM members WHERE review_id = $1 AND role = 'lead' FOR UPDATE`,
    [reviewId],
  );
  if (!rows.some((r) => r.userId !== userId)) {
    throw new WinnowError(
      'CONFLICT',
      'A review needs at least one lead: make someone else a lead before changing this one',
      { location: { field: 'roles' } },
    );
  }
}

export interface RoleChange {
  added: Role[];
  removed: Role[];
}

/**
 * Sets a member's roles to exactly `roles` (at least one; removing someone is removeFromReview).
 * Each role added or removed is its own `member.added` / `member.removed` event.
 */
export async function setMemberRoles(
  db: Db,
  input: { reviewId: string; userId: string; roles: readonly Role[]; actorId: string },
): Promise<RoleChange> {
  const wanted = [...new Set(input.roles)];
  if (wanted.length === 0 || wanted.some((r) => !ROLES.includes(r))) {
    throw new WinnowError('VALIDATION', `Choose at least one role: ${ROLES.join(', ')}`, {
      location: { field: 'roles' },
    });
  }
  return db.transaction(async (tx) => {
    const current = await rolesFor(tx, input.reviewId, input.userId);
    if (current.length === 0)
      throw new WinnowError('NOT_FOUND', 'That person is not a member of this review');
    const added = wanted.filter((r) => !current.includes(r));
    const removed = current.filter((r) => !wanted.includes(r));
    if (removed.includes('lead')) await assertAnotherLead(tx, input.reviewId, input.userId);
    for (const role of added) {
      await tx.query(`INSERT INTO members (review_id, user_id, role) VALUES ($1, $2, $3)`, [
        input.reviewId,
        input.userId,
        role,
      ]);
    }
    if (removed.length) {
      await tx.query(`DELETE FROM members WHERE review_id = $1 AND user_id = $2 AND role = ANY($3::text[])`, [
        input.reviewId,
        input.userId,
        removed,
      ]);
    }
    for (const [type, list] of [
      ['member.added', added],
      ['member.removed', removed],
    ] as const) {
      for (const role of list) {
        await appendEvent(tx, {
          reviewId: input.reviewId,
          type,
          actorId: input.actorId,
          entityType: 'user',
          entityId: input.userId,
          data: { role },
        });
      }
    }
    return { added, removed };
  });
}

/**
 * Takes every role in the review from a member. Their votes stay in the log and keep counting;
 * open assignments are handed on by the next routing run (which revokes work of non-reviewers).
 */
export async function removeFromReview(
  db: Db,
  input: { reviewId: string; userId: string; actorId: string },
): Promise<{ removed: Role[] }> {
  return db.transaction(async (tx) => {
    const current = await rolesFor(tx, input.reviewId, input.userId);
    if (current.length === 0)
      throw new WinnowError('NOT_FOUND', 'That person is not a member of this review');
    if (current.includes('lead')) await assertAnotherLead(tx, input.reviewId, input.userId);
    await tx.query('DELETE FROM members WHERE review_id = $1 AND user_id = $2', [
      input.reviewId,
      input.userId,
    ]);
    for (const role of current) {
      await appendEvent(tx, {
        reviewId: input.reviewId,
        type: 'member.removed',
        actorId: input.actorId,
        entityType: 'user',
        entityId: input.userId,
        data: { role },
      });
    }
    return { removed: current };
  });
}
