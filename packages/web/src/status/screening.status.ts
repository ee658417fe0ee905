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
 * whose outcome the blinding policy hides from them is not counted by its state: otherwise the
 * conflict count rising by one after their vote would tell them the other reviewer disagreed.
 * Once they have voted on it, it counts as "being screened", whatever its state, as the Records
 * page shows it to them; before that (a third screener), as awaiting votes. Leads and adjudicators
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
    const beingScreened: Record<string, number> = {};
    for (const s of screened) {
      const c = all[s.stage];
      if (!c || s.visibility.outcome) continue;
      if (s.voted && (s.status === 'conflict' || s.status === 'awaiting-votes')) {
        c[s.status] = (c[s.status] ?? 0) - 1;
        beingScreened[s.stage] = (beingScreened[s.stage] ?? 0) + 1;
      } else if (s.status === 'conflict') {
        c.conflict = (c.conflict ?? 0) - 1;
        c['awaiting-votes'] = (c['awaiting-votes'] ?? 0) + 1;
      }
    }
    // Shown next to "awaiting votes", and only to a viewer who has such records.
    for (const [stage, n] of Object.entries(beingScreened))
      all[stage] = Object.fromEntries(
        Object.entries(all[stage]!).flatMap(([k, v]) =>
          k === 'awaiting-votes' ? [[k, v] as const, ['being-screened', n] as const] : [[k, v] as const],
        ),
      );
    return all;
  });
  return { screeningTitleAbstract: counts['title-abstract'], screeningFullText: counts['full-text'] };
}
