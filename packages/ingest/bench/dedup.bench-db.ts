// The dedup job's own path on a database: generated records stored as an import stores them, then
// the job's `runDedup` (read, compare, save) in a process of its own, so its peak RSS is the run's.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createReview, loadConfig, openDatabase, type Db, type Sql } from '@winnow/core';
import { createTestDatabase } from '@winnow/core/testing';
import { dedupeYielding } from '../src/dedup/dedupe.ts';
import type { DedupInput } from '../src/dedup/dedupe.types.ts';
import { loadManualDecisions, loadPreviousGroups, saveDedupResult } from '../src/dedup/dedup.repository.ts';
import { runDedup } from '../src/dedup/dedup.service.ts';
import { generateRecords } from '../src/dedup/synthetic.ts';
import type { NormalisedRecord } from '../src/record.types.ts';
import { SEED } from './dedup.bench-source.ts';

export type Engine = 'postgres' | 'pglite';

/** Where a stored collection lives: a PostgreSQL database or a PGlite directory. */
export interface StoredCollection {
  engine: Engine;
  location: string;
  reviewId: string;
}

/** As the server and worker open it: `DATABASE_URL`, or PGlite under the data directory (migrated). */
async function open(engine: Engine, location: string): Promise<Db> {
  return openDatabase(
    loadConfig(engine === 'postgres' ? { DATABASE_URL: location } : { WINNOW_DATA_DIR: location }),
  );
}

/**
 * Creates an empty database (a PostgreSQL test database, or a PGlite directory as the embedded
 * default keeps one) and stores `n` generated records in one complete import. `drop` removes it;
 * child processes open it by `location`.
 */
export async function storeCollection(
  engine: Engine,
  n: number,
): Promise<{ stored: StoredCollection; drop: () => Promise<void> }> {
  let db: Db;
  let location: string;
  let drop: () => Promise<void>;
  if (engine === 'postgres') {
    const t = await createTestDatabase('postgres');
    db = t.db;
    location = t.url!;
    drop = () => t.drop();
  } else {
    location = path.join(os.tmpdir(), `winnow-bench-dedup-${randomBytes(4).toString('hex')}`);
    db = await open(engine, location);
    drop = async () => rmSync(location, { recursive: true, force: true });
  }
  const reviewId = (await createReview(db, { slug: 'dedup-bench', title: 'Dedup bench' })).id;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO imports (review_id, file_name, content_hash, status, record_count)
     VALUES ($1, 'generated.ris', 'generated', 'complete', $2) RETURNING id`,
    [reviewId, n],
  );
  const importId = rows[0]!.id;
  let batch: NormalisedRecord[] = [];
  let stored = 0;
  const flush = async (): Promise<void> => {
    await db.query(
      `INSERT INTO records (review_id, import_id, source_index, title, year, doi, data, raw)
       SELECT $1, $2, i, t, y, d, j::jsonb, '' FROM unnest($3::int[], $4::text[], $5::int[], $6::text[], $7::text[]) AS v(i, t, y, d, j)`,
      [
        reviewId,
        importId,
        batch.map((_, k) => stored + k + 1),
        batch.map((r) => r.title),
        batch.map((r) => r.year ?? null),
        batch.map((r) => r.doi ?? null),
        batch.map((r) => JSON.stringify(r)),
      ],
    );
    stored += batch.length;
    batch = [];
  };
  for (const { input } of generateRecords(n, SEED)) {
    batch.push(input.record);
    if (batch.length === 2000) await flush();
  }
  if (batch.length > 0) await flush();
  // PGlite is one process's: the child runs open it after this closes.
  if (engine === 'pglite') await db.close();
  return { stored: { engine, location, reviewId }, drop };
}

export interface JobRun {
  records: number;
  groups: number;
  needsReview: number;
  pendingPairs: number;
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
}

/**
 * One dedup run as the job makes it. `whole`: the path before issue 18 (every record read whole
 * in one query, then `dedupeYielding`), kept here only to compare on the same machine and data.
 */
export async function runJob(c: StoredCollection, how: 'streamed' | 'whole'): Promise<JobRun> {
  const db = await open(c.engine, c.location);
  const t = Date.now();
  const cpu = process.cpuUsage();
  let summary: { records: number; groups: number; needsReview: number; pendingPairs: number };
  if (how === 'streamed') summary = await runDedup(db, c.reviewId, `bench-${Date.now()}`);
  else {
    const [inputs, decisions, previous] = await Promise.all([
      wholeRecords(db, c.reviewId),
      loadManualDecisions(db, c.reviewId),
      loadPreviousGroups(db, c.reviewId),
    ]);
    const result = await dedupeYielding(inputs, decisions, previous);
    await db.transaction((tx) => saveDedupResult(tx, c.reviewId, result, `bench-${Date.now()}`));
    summary = result.stats;
  }
  const used = process.cpuUsage(cpu);
  const run: JobRun = {
    records: summary.records,
    groups: summary.groups,
    needsReview: summary.needsReview,
    pendingPairs: summary.pendingPairs,
    wallMs: Date.now() - t,
    cpuMs: Math.round((used.user + used.system) / 1000),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  await db.close();
  return run;
}

/** The query the job used before issue 18: every record whole, at once. */
async function wholeRecords(db: Sql, reviewId: string): Promise<DedupInput[]> {
  const { rows } = await db.query<{
    id: string;
    data: NormalisedRecord;
    fileName: string;
    screened: boolean;
    queued: boolean;
    sourceName: string | null;
  }>(
    `SELECT r.id, r.data, i.file_name AS "fileName", s.source_name AS "sourceName",
            EXISTS (SELECT 1 FROM decisions d WHERE d.record_id = r.id) AS screened,
            EXISTS (SELECT 1 FROM stage_records sr WHERE sr.record_id = r.id) AS queued
       FROM records r JOIN imports i ON i.id = r.import_id LEFT JOIN searches s ON s.id = i.search_id
      WHERE r.review_id = $1
      ORDER BY i.created_at, r.import_id, r.source_index`,
    [reviewId],
  );
  return rows.map((r) => ({
    id: r.id,
    record: r.data,
    source: r.sourceName ?? r.data.source?.database ?? r.fileName,
    screened: r.screened,
    queued: r.queued,
  }));
}
