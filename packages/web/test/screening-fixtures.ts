import type { Db } from '@winnow/core';
import type { TestApp, TestUser } from './support/test-app.ts';

/** Inserts `n` small records (written for these tests) into a review through a fake completed import. */
export async function seedRecords(db: Db, reviewId: string, n: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO imports (review_id, file_name, content_hash, status) VALUES ($1, 'fixture.ris', $2, 'complete') RETURNING id`,
    [reviewId, `h-${Date.now()}-${Math.random()}`],
  );
  const importId = rows[0]!.id;
  const { rows: recs } = await db.query<{ id: string }>(
    `INSERT INTO records (review_id, import_id, source_index, title, year, data, raw)
     SELECT $1, $2, i, 'Leadership and quality improvement in hospitals, part ' || i, 2000 + i % 20,
            jsonb_build_object('title', 'Leadership and quality improvement in hospitals, part ' || i,
              'abstract', 'A randomised study of leadership for quality improvement in acute care; a systematic review was excluded. Part ' || i || '.',
              'authors', jsonb_build_array(jsonb_build_object('family', 'Smith', 'asWritten', 'Smith, A.'), jsonb_build_object('family', 'Jones', 'asWritten', 'Jones, B.')),
              'journal', 'BMJ Quality & Safety', 'year', 2000 + i % 20, 'keywords', jsonb_build_array('leadership'), 'mesh', jsonb_build_array('Quality Improvement'),
              'source', jsonb_build_object('format', 'ris'), 'raw', ''), ''
     FROM generate_series(1, $3::int) AS i RETURNING id`,
    [reviewId, importId, n],
  );
  return recs.map((r) => r.id);
}

export async function waitUntil<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function stageStatus(db: Db, recordId: string, stage: string): Promise<string | null> {
  const { rows } = await db.query<{ status: string }>(
    `SELECT status FROM stage_records WHERE record_id = $1 AND stage = $2`,
    [recordId, stage],
  );
  return rows[0]?.status ?? null;
}

/** The lead routes a review's title/abstract records to its reviewers; returns once the job has run. */
export async function routeTitleAbstract(app: TestApp, lead: TestUser, slug: string): Promise<void> {
  const routed = await lead.api<{ jobId: string }>('POST', `/reviews/${slug}/stages/title-abstract/route`);
  await app.rt.queue.waitFor(routed.body.jobId, 20_000);
}
