import type { Db, Role } from '@winnow/core';
import { screenedRecordVisibility, stageCounts } from '@winnow/screening';
import type { StatusContributor } from './status-contributors.ts';

/** Records per screening stage and state; stage-wide counts reveal no single vote (see blinding.policy.ts). */
export const screeningStatus: StatusContributor = async (db, reviewId) => {
  const counts = await stageCounts(db, reviewId);
  return { screeningTitleAbstract: counts['title-abstract'], screeningFullText: counts['full-text'] };
};

/**
 * The screening counts as one member may see them. In blind mode a record the viewer screens and
 * whose outcome the blinding policy hides from them (a reviewer after voting, until the record
 * settles) counts as awaiting votes even when it is in conflict: otherwise the conflict count rising
 * by one after their vote would tell them the other reviewer disagreed. Leads and adjudicators
 * who do not screen a record still see its conflict counted.
 */
export async function screeningStatusFor(
  db: Db,
  reviewId: string,
  viewer: { id: string; roles: readonly Role[] },
): Promise<Record<string, unknown>> {
  const counts = await db.transaction(async (tx) => {
    // One snapshot for both reads: a record entering conflict in between must not be counted twice.
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const screened = await screenedRecordVisibility(tx, {
      reviewId,
      viewerId: viewer.id,
      roles: viewer.roles,
    });
    const all = await stageCounts(tx, reviewId);
    for (const s of screened) {
      const c = all[s.stage];
      if (!c || s.status !== 'conflict' || s.visibility.outcome) continue;
      c.conflict = (c.conflict ?? 0) - 1;
      c['awaiting-votes'] = (c['awaiting-votes'] ?? 0) + 1;
    }
    return all;
  });
  return { screeningTitleAbstract: counts['title-abstract'], screeningFullText: counts['full-text'] };
}
