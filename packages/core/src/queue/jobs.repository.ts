import type { Sql } from '../db/db.types.ts';

export type JobState = 'queued' | 'active' | 'completed' | 'failed' | 'retrying';

export interface JobRow {
  id: string;
  reviewId: string | null;
  name: string;
  state: JobState;
  progress: number;
  message: string | null;
  result: unknown;
  error: string | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, review_id AS "reviewId", name, state, progress, message, result, error, attempts,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function recordJobQueued(
  db: Sql,
  j: { id: string; reviewId: string | null; name: string; payload: unknown },
): Promise<void> {
  // A re-sent job keeps its row; a job re-sent after it failed goes back to queued.
  await db.query(
    `INSERT INTO jobs (id, review_id, name, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET state = 'queued', error = NULL, updated_at = now()
       WHERE jobs.state = 'failed'`,
    [j.id, j.reviewId, j.name, JSON.stringify(j.payload ?? {})],
  );
}

export async function updateJob(
  db: Sql,
  id: string,
  patch: {
    state?: JobState;
    progress?: number;
    message?: string | null;
    result?: unknown;
    error?: string | null;
    attempts?: number;
  },
): Promise<void> {
  const sets: string[] = ['updated_at = now()'];
  const params: unknown[] = [id];
  for (const [col, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    params.push(col === 'result' ? JSON.stringify(value) : value);
    sets.push(`${col} = $${params.length}`);
  }
  await db.query(`UPDATE jobs SET ${sets.join(', ')} WHERE id = $1`, params);
}

/**
 * A job whose worker stopped under it goes back to the queue: 'retrying', unless its final state
 * (written by whichever worker finished or failed it, maybe in another process) is already there.
 */
export async function markJobStalled(db: Sql, id: string, message: string): Promise<void> {
  await db.query(
    `UPDATE jobs SET state = 'retrying', error = $2, updated_at = now()
      WHERE id = $1 AND state NOT IN ('failed', 'completed')`,
    [id, message],
  );
}

export async function getJob(db: Sql, id: string): Promise<JobRow | null> {
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listJobs(db: Sql, reviewId: string, limit = 50): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    `SELECT ${COLUMNS} FROM jobs WHERE review_id = $1 ORDER BY created_at DESC LIMIT $2`,
    [reviewId, limit],
  );
  return rows;
}
