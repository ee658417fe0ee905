import type { Sql } from '@winnow/core';
import { notRetrievedSql } from '../fulltext/retrieval.repository.ts';
import { parseStageConfig } from '../stages/stage-config.repository.ts';
import type { StageConfig } from '../stages/stage-config.schema.ts';
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
 * only pilot records are served; while a lead holds it, nothing is; a record merged into another
 * (its assignment is being withdrawn) is never served; reports marked "not retrieved" cannot be
 * assessed and are skipped for every assigned reviewer (the condition every reader shares,
 * notRetrievedSql).
 */
// The caller's open assignments in queue order, shared by nextAssignments and nextForReviewer.
// `picked` walks the caller's open queue index (assignments_open_queue) in order and stops once it
// has the page: every condition a queued record must meet is a subquery on that one record, which
// the planner keeps per row rather than joining every assignment first. As joins (the earlier
// form), a planner with no statistics (PGlite has no autovacuum to gather them; a new review's
// tables) joined and sorted the whole queue on each request: 600 queued records took 2.7 ms of
// PostgreSQL's time, with the not-retrieved check as an anti-join 8 ms, where the walk takes 0.1.
const QUEUE_SQL = `WITH picked AS (
       SELECT a.record_id, a.position, a.stage FROM assignments a
        WHERE a.review_id = $1 AND a.stage = $2 AND a.reviewer_id = $3 AND a.state = 'open'
          AND a.position >= $5
          AND (SELECT r.duplicate_of IS NULL FROM records r WHERE r.id = a.record_id)
          AND (SELECT (c.review_id IS NULL OR c.opened_at IS NOT NULL OR s.pilot) AND c.held_at IS NULL
                 FROM stage_records s LEFT JOIN stage_configs c ON c.review_id = s.review_id AND c.stage = s.stage
                WHERE s.record_id = a.record_id AND s.stage = a.stage)
          AND (a.stage <> 'full-text' OR NOT coalesce((
                 SELECT ${notRetrievedSql('rp.id')} FROM reports rp WHERE rp.record_id = a.record_id LIMIT 1), false))
        ORDER BY a.position, a.record_id
        LIMIT $4)
     SELECT p.record_id AS "recordId", rp.id AS "reportId", p.position, r.title, r.year, r.data,
            (SELECT c.config::text FROM stage_configs c WHERE c.review_id = $1 AND c.stage = $2) AS config
       FROM picked p
       JOIN records r ON r.id = p.record_id
       LEFT JOIN reports rp ON rp.record_id = p.record_id AND p.stage = 'full-text'
      ORDER BY p.position, p.record_id`;

/**
 * SQL ($1 review, $2 stage, $3 caller): how many of the caller's open assignments wait for a
 * calibration pilot, 0 unless one holds the stage closed (QUEUE_SQL then serves pilot records
 * only). Counted apart, and only while the stage is closed: as a subquery on every assignment it
 * changed the count's plan, and a `GET …/next` on a queue of 10,000 took 37 ms instead of 7.
 */
function waitingSql(extra: { join: string; where: string }): string {
  return `CASE WHEN coalesce((SELECT c.opened_at IS NULL FROM stage_configs c WHERE c.review_id = $1 AND c.stage = $2), false)
       THEN (SELECT count(*)::int FROM assignments a
               JOIN stage_records s ON s.record_id = a.record_id AND s.stage = a.stage ${extra.join}
              WHERE a.review_id = $1 AND a.stage = $2 AND a.reviewer_id = $3 AND a.state = 'open'
                AND NOT coalesce(s.pilot, false) ${extra.where})
       ELSE 0 END`;
}

/**
 * The caller's own progress ($1 review, $2 stage, $3 caller): votes cast out of records assigned
 * that can be screened now, and how many more wait for a calibration pilot. At full text, a record
 * whose report is marked not retrieved is out of assessment, so it is not counted as still to do (a
 * vote cast on it before the mark still counts as done). Title/abstract records have no report:
 * their count reads the caller's queue index alone, where joining each assignment to the reports
 * (to find none) took most of a `GET …/next` on a long queue.
 */
const MINE_SQL: Record<Stage, string> = {
  'title-abstract': `SELECT m.done, m.total - w.waiting AS total, w.waiting FROM (
       SELECT count(*) FILTER (WHERE a.state = 'done')::int AS done, count(*)::int AS total
         FROM assignments a
        WHERE a.review_id = $1 AND a.stage = $2 AND a.reviewer_id = $3 AND a.state <> 'revoked') m
     CROSS JOIN (SELECT ${waitingSql({ join: '', where: '' })} AS waiting) w`,
  'full-text': `SELECT m.done, m.total - w.waiting AS total, w.waiting FROM (
       SELECT count(*) FILTER (WHERE a.state = 'done')::int AS done,
              count(*) FILTER (WHERE a.state = 'done' OR rp.id IS NULL OR NOT ${notRetrievedSql('rp.id')})::int AS total
         FROM assignments a
         LEFT JOIN reports rp ON rp.record_id = a.record_id
        WHERE a.review_id = $1 AND a.stage = $2 AND a.reviewer_id = $3 AND a.state <> 'revoked') m
     CROSS JOIN (SELECT ${waitingSql({
       join: 'LEFT JOIN reports rp ON rp.record_id = a.record_id',
       where: `AND (rp.id IS NULL OR NOT ${notRetrievedSql('rp.id')})`,
     })} AS waiting) w`,
};

type QueueRow = QueuedRecord & { config: string | null };

const toQueued = ({ config: _config, ...q }: QueueRow): QueuedRecord => q;

export async function nextAssignments(
  db: Sql,
  input: { reviewId: string; stage: Stage; userId: string; limit: number; after?: number },
): Promise<QueuedRecord[]> {
  const { rows } = await db.query<QueueRow>(QUEUE_SQL, [
    input.reviewId,
    input.stage,
    input.userId,
    input.limit,
    input.after ?? 0,
  ]);
  return rows.map(toQueued);
}

/**
 * What `GET …/next` shows, in one round trip: the caller's queue, the stage configuration (for
 * highlighting) and the caller's own progress; the stage-wide counts come from stageTotals. Empty
 * `queued` means nothing is left for the caller (and the rest is not read).
 */
export async function nextForReviewer(
  db: Sql,
  input: { reviewId: string; stage: Stage; userId: string; limit: number; after?: number },
): Promise<{ queued: QueuedRecord[]; config: StageConfig; mine: Progress['mine'] }> {
  const { rows } = await db.query<QueueRow & Progress['mine']>(
    // MATERIALIZED: counted once. Inlined, the count ran again for every queued row it was
    // joined to (five times a request with four prefetched).
    `WITH q AS MATERIALIZED (${QUEUE_SQL}),
     mine AS MATERIALIZED (${MINE_SQL[input.stage]})
     SELECT q.*, mine.done, mine.total, mine.waiting FROM q CROSS JOIN mine ORDER BY q.position, q."recordId"`,
    [input.reviewId, input.stage, input.userId, input.limit, input.after ?? 0],
  );
  const first = rows[0];
  return {
    queued: rows.map(({ done: _d, total: _t, waiting: _w, ...q }) => toQueued(q)),
    config: parseStageConfig(first?.config ?? null),
    mine: { done: first?.done ?? 0, total: first?.total ?? 0, waiting: first?.waiting ?? 0 },
  };
}

export interface Progress {
  /** Records the caller can screen now (done of total), and more that wait for a calibration pilot. */
  mine: { done: number; total: number; waiting: number };
  /** Stage-wide counts of settled records; safe under blinding since a record only settles once every assigned reviewer has voted. */
  stage: { records: number; settled: number };
}

export async function screeningProgress(
  db: Sql,
  input: { reviewId: string; stage: Stage; userId: string },
): Promise<Progress> {
  const { rows } = await db.query<Progress['mine']>(MINE_SQL[input.stage], [
    input.reviewId,
    input.stage,
    input.userId,
  ]);
  const r = rows[0]!;
  return {
    mine: r,
    stage: await stageTotals(db, input.reviewId, input.stage),
  };
}

const TOTALS_TTL_MS = 2_000;
const totals = new Map<string, { at: number; value: Promise<Progress['stage']> }>();

/**
 * SQL ($1 review): the stage's records and those settled. At full text, a record whose report is
 * marked not retrieved is out of assessment (PRISMA counts it as not retrieved, not assessed), so
 * until its outcome is settled it is not counted among the records still to settle.
 */
const TOTALS_SQL: Record<Stage, string> = {
  'title-abstract': `SELECT count(*)::int AS records, count(*) FILTER (WHERE s.status IN ('advanced', 'excluded'))::int AS settled
       FROM stage_records s JOIN records r ON r.id = s.record_id
       WHERE s.review_id = $1 AND s.stage = 'title-abstract' AND r.duplicate_of IS NULL`,
  'full-text': `SELECT count(*)::int AS records, count(*) FILTER (WHERE s.status IN ('advanced', 'excluded'))::int AS settled
       FROM stage_records s JOIN records r ON r.id = s.record_id
       WHERE s.review_id = $1 AND s.stage = 'full-text' AND r.duplicate_of IS NULL
         AND (s.status IN ('advanced', 'excluded') OR NOT coalesce((
               SELECT ${notRetrievedSql('rp.id')} FROM reports rp WHERE rp.record_id = s.record_id LIMIT 1), false))`,
};

/**
 * Stage-wide counts for the progress bar. Counting means reading every record of the stage, too
 * much for each "next record" of a large review, so each process keeps the answer for two seconds
 * (a display count, not a decision; it tells nothing of anyone's vote, see Progress).
 */
export function stageTotals(db: Sql, reviewId: string, stage: Stage): Promise<Progress['stage']> {
  const key = `${reviewId}|${stage}`;
  const now = Date.now();
  const hit = totals.get(key);
  if (hit && now - hit.at < TOTALS_TTL_MS) return hit.value;
  const value = db
    .query<{ records: number; settled: number }>(TOTALS_SQL[stage], [reviewId])
    .then(({ rows }) => ({ records: rows[0]?.records ?? 0, settled: rows[0]?.settled ?? 0 }));
  if (totals.size >= 1_000) totals.clear();
  totals.set(key, { at: now, value });
  // A failed count is not kept: the next caller asks again.
  value.catch(() => totals.delete(key));
  return value;
}

/**
 * Drops this process's kept counts for a review, after a change that takes records in or out of a
 * stage's count (a report marked not retrieved, or retrieved after all): whoever made it sees the
 * bar move at once rather than up to two seconds later.
 */
export function forgetStageTotals(reviewId: string): void {
  for (const stage of ['title-abstract', 'full-text'] as const) totals.delete(`${reviewId}|${stage}`);
}

export async function stageCounts(
  db: Sql,
  reviewId: string,
): Promise<Record<string, Record<string, number>>> {
  const { rows } = await db.query<{ stage: string; status: string; n: number }>(
    // A record merged into another is screened through its kept record, so it is not counted twice.
    // A full-text record whose report is marked not retrieved waits for no vote: counted apart.
    `SELECT s.stage,
            CASE WHEN s.stage = 'full-text' AND s.status NOT IN ('advanced', 'excluded') AND coalesce((
                   SELECT ${notRetrievedSql('rp.id')} FROM reports rp WHERE rp.record_id = s.record_id LIMIT 1), false)
                 THEN 'not-retrieved' ELSE s.status END AS status,
            count(*)::int AS n
       FROM stage_records s JOIN records r ON r.id = s.record_id
      WHERE s.review_id = $1 AND r.duplicate_of IS NULL GROUP BY 1, 2`,
    [reviewId],
  );
  const out: Record<string, Record<string, number>> = {};
  for (const stage of ['title-abstract', 'full-text'])
    out[stage] = { records: 0, 'awaiting-votes': 0, conflict: 0, advanced: 0, excluded: 0 };
  out['full-text']!['not-retrieved'] = 0;
  for (const r of rows) {
    const s = out[r.stage]!;
    s[r.status] = r.n;
    s.records = (s.records ?? 0) + r.n;
  }
  return out;
}
