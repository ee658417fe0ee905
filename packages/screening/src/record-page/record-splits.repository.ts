import type { Sql } from '@winnow/core';

/**
 * Splits of duplicate groups that took this record out, for its page's history. The page's history
 * reads the events of the group the record is in now; once split out it is in no group (or a new
 * one), so the split is found by the record named in its parts.
 */
export async function recordSplitHistory(
  db: Sql,
  reviewId: string,
  recordId: string,
  currentGroupId: string | null,
): Promise<{ at: Date; kind: string; who: string | null; stage: null; text: string; note: null }[]> {
  const { rows } = await db.query<{ at: Date; who: string | null; records: number }>(
    `SELECT e.created_at AS at, u.name AS who,
            (SELECT count(*)::int FROM jsonb_array_elements(e.data->'parts') p, jsonb_array_elements_text(p) r) AS records
       FROM events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.review_id = $1 AND e.type = 'dedup.split' AND e.entity_type = 'dedup-group'
        AND e.entity_id IS DISTINCT FROM $3
        AND jsonb_typeof(e.data->'parts') = 'array'
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(e.data->'parts') p
                     WHERE jsonb_typeof(p) = 'array' AND p ? $2)
      ORDER BY e.id`,
    [reviewId, recordId, currentGroupId],
  );
  return rows.map((r) => ({
    at: r.at,
    kind: 'dedup.split',
    who: r.who,
    stage: null,
    text: `Split out of a duplicate group of ${r.records} records`,
    note: null,
  }));
}
