import type { StatusContributor } from './status-contributors.ts';

/** Dedup counts for the dashboard, derived from the stored groups, the queue and the event log. */
export const dedupStatus: StatusContributor = async (db, reviewId) => {
  const { rows } = await db.query<{
    groups: number;
    needsReview: number;
    manualDecisions: number;
    inherited: number;
  }>(
    `SELECT (SELECT count(*)::int FROM dedup_groups WHERE review_id = $1) AS groups,
            (SELECT count(*)::int FROM dedup_review_pairs WHERE review_id = $1) AS "needsReview",
            (SELECT count(*)::int FROM events WHERE review_id = $1
               AND type IN ('dedup.merged', 'dedup.marked-distinct', 'dedup.split') AND (data->>'manual')::boolean) AS "manualDecisions",
            (SELECT count(*)::int FROM events WHERE review_id = $1 AND type = 'dedup.inherited') AS inherited`,
    [reviewId],
  );
  return { duplicates: rows[0] ?? { groups: 0, needsReview: 0, manualDecisions: 0, inherited: 0 } };
};
