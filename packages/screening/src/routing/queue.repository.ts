import type { Sql } from '@winnow/core';
import type { Stage } from '../stages/stage.types.ts';

export interface QueuedRecord {
  recordId: string;
  reportId: string | null;
  position: number;
  title: string;
  year: number | null;
  /** The normalised record (authors, journal, abstract, keywords, MeSH, ...). */
  data: Record<string, unknown>;
}

/**
 * The caller's open assignments in queue order. Only the caller's own assignment state is read, so
 * nothing here depends on anyone else's vote. While a calibration pilot holds the stage closed,
 * only pilot records are served; reports marked "not retrieved" cannot be assessed and are skipped.
 */
export async function nextAssignments(
  db: Sql,
  input: { reviewId: string; stage: Stage; userId: string; limit: number; after?: number },
): Promise<QueuedRecord[]> {
  const { rows } = await db.query<QueuedRecord>(
    `SELECT a.record_id AS "recordId", rp.id AS "reportId", a.position, r.title, r.year, r.data
     FROM assignments a
     JOIN records r ON r.id = a.record_id
     JOIN stage_records s ON s.record_id = a.record_id AND s.stage = a.stage
     LEFT JOIN stage_configs c ON c.review_id = a.review_id AND c.stage = a.stage
     LEFT JOIN reports rp ON rp.record_id = a.record_id AND a.stage = 'full-text'
     WHERE a.review_id = $1 AND a.stage = $2 AND a.reviewer_id = $3 AND a.state = 'open'
       AND (c.review_id IS NULL OR c.opened_at IS NOT NULL OR s.pilot)
       AND NOT EXISTS (
         SELECT 1 FROM report_retrievals rr WHERE rr.report_id = rp.id AND rr.withdraws IS NULL
           AND rr.kind = 'not-retrieved'
           AND rr.id = (SELECT max(x.id) FROM report_retrievals x WHERE x.report_id = rp.id AND x.withdraws IS NULL))
       AND a.position >= $5
     ORDER BY a.position, a.record_id
     LIMIT $4`,
    [input.reviewId, input.stage, input.userId, input.limit, input.after ?? 0],
  );
  return rows;
}

export interface Progress {
  mine: { done: number; total: number };
  /** Stage-wide counts of settled records; safe under blinding since a record only settles once every assigned reviewer has voted. */
  stage: { records: number; settled: number };
}

export async function screeningProgress(
  db: Sql,
  input: { reviewId: string; stage: Stage; userId: string },
): Promise<Progress> {
  const { rows } = await db.query<{ done: number; total: number; records: number; settled: number }>(
    `SELECT
       (SELECT count(*)::int FROM assignments WHERE review_id = $1 AND stage = $2 AND reviewer_id = $3 AND state = 'done') AS done,
       (SELECT count(*)::int FROM assignments WHERE review_id = $1 AND stage = $2 AND reviewer_id = $3 AND state <> 'revoked') AS total,
       (SELECT count(*)::int FROM stage_records WHERE review_id = $1 AND stage = $2) AS records,
       (SELECT count(*)::int FROM stage_records WHERE review_id = $1 AND stage = $2 AND status IN ('advanced', 'excluded')) AS settled`,
    [input.reviewId, input.stage, input.userId],
  );
  const r = rows[0]!;
  return { mine: { done: r.done, total: r.total }, stage: { records: r.records, settled: r.settled } };
}

export async function stageCounts(
  db: Sql,
  reviewId: string,
): Promise<Record<string, Record<string, number>>> {
  const { rows } = await db.query<{ stage: string; status: string; n: number }>(
    `SELECT stage, status, count(*)::int AS n FROM stage_records WHERE review_id = $1 GROUP BY stage, status`,
    [reviewId],
  );
  const out: Record<string, Record<string, number>> = {};
  for (const stage of ['title-abstract', 'full-text'])
    out[stage] = { records: 0, 'awaiting-votes': 0, conflict: 0, advanced: 0, excluded: 0 };
  for (const r of rows) {
    const s = out[r.stage]!;
    s[r.status] = r.n;
    s.records = (s.records ?? 0) + r.n;
  }
  return out;
}
