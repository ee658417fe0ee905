import type { Role, Sql } from '@winnow/core';
import { getStageConfig } from '../stages/stage-config.repository.ts';
import type { Stage, Vote } from '../stages/stage.types.ts';
import { stageAgreement, type MaybeAs, type RatedVote, type StageAgreement } from './stage-agreement.ts';

/**
 * Agreement on current reviewer votes at a stage. Under blind mode a viewer who still has an open
 * assignment on a record would learn the other vote from a pair table, so such records are left
 * out of what that viewer is shown.
 */
export async function agreementFor(
  db: Sql,
  input: { reviewId: string; stage: Stage; viewerId: string; roles: readonly Role[]; maybeAs?: MaybeAs },
): Promise<StageAgreement & { reviewers: Record<string, string>; withheldRecords: number }> {
  const { config } = await getStageConfig(db, input.reviewId, input.stage);
  const { rows } = await db.query<RatedVote>(
    `SELECT DISTINCT ON (d.record_id, d.reviewer_id) d.record_id AS "recordId", d.reviewer_id AS "reviewerId", d.vote
     FROM decisions d WHERE d.review_id = $1 AND d.stage = $2 AND d.role = 'reviewer'
     ORDER BY d.record_id, d.reviewer_id, d.id DESC`,
    [input.reviewId, input.stage],
  );
  let withheld = new Set<string>();
  if (config.blind) {
    const { rows: open } = await db.query<{ recordId: string }>(
      `SELECT record_id AS "recordId" FROM assignments WHERE review_id = $1 AND stage = $2 AND reviewer_id = $3 AND state = 'open'`,
      [input.reviewId, input.stage, input.viewerId],
    );
    withheld = new Set(open.map((r) => r.recordId));
  }
  const votes = rows
    .filter((r) => (r.vote as string) !== 'retract' && !withheld.has(r.recordId))
    .map((r) => ({ ...r, vote: r.vote as Vote }));
  const { rows: names } = await db.query<{ id: string; name: string }>(
    `SELECT DISTINCT u.id, u.name FROM users u JOIN members m ON m.user_id = u.id WHERE m.review_id = $1`,
    [input.reviewId],
  );
  return {
    ...stageAgreement(votes, input.maybeAs ?? 'include'),
    reviewers: Object.fromEntries(names.map((n) => [n.id, n.name])),
    withheldRecords: [...withheld].filter((id) => rows.some((r) => r.recordId === id)).length,
  };
}
