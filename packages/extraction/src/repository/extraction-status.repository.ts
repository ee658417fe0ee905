import type { Sql } from '@winnow/core';

/** Extraction counts for the review dashboard, derived from the tables (read-only). */
export async function extractionStatus(db: Sql, reviewId: string): Promise<Record<string, unknown>> {
  const { rows } = await db.query<Record<string, number>>(
    `WITH latest AS (
       SELECT DISTINCT ON (study_id, coder_id) study_id, status FROM codings WHERE review_id = $1 ORDER BY study_id, coder_id, id DESC
     )
     SELECT (SELECT count(*)::int FROM studies WHERE review_id = $1) AS "studies",
            (SELECT count(*)::int FROM coding_assignments WHERE review_id = $1) AS "assignments",
            (SELECT count(*)::int FROM latest WHERE status = 'submitted') AS "codingsSubmitted",
            (SELECT count(DISTINCT study_id)::int FROM consensus_records WHERE review_id = $1) AS "consensusFinalised",
            (SELECT count(*)::int FROM emergent_codes WHERE review_id = $1 AND status = 'proposed') AS "emergentCodesPending"`,
    [reviewId],
  );
  return { extraction: rows[0] ?? {} };
}
