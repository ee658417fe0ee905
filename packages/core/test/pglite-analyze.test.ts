import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db.types.ts';
import { ANALYZE_POLICY } from '../src/db/pglite-analyze.ts';
import { createPgliteDb } from '../src/db/pglite.client.ts';

const quick = { ...ANALYZE_POLICY, idleMs: 100, maxDeferMs: 1_000 };

/** The planner's row count for the table: -1 until an ANALYZE (or VACUUM) has counted it. */
async function counted(db: Db, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT reltuples::float8 AS n FROM pg_class WHERE relname = $1`,
    [table],
  );
  return rows[0]!.n;
}

async function eventually(f: () => Promise<boolean>, ms: number, everyMs = 25): Promise<void> {
  const until = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// PGlite has no autovacuum: without its own ANALYZE the planner never has statistics.
describe('statistics on the embedded database', () => {
  it('gathers them once enough rows have changed and the database is idle, or within the longest deferral', async () => {
    const db = await createPgliteDb(undefined, { analyze: quick });
    let closed = false;
    try {
      await db.exec('CREATE TABLE t (id int PRIMARY KEY, v text); CREATE TABLE u (id int PRIMARY KEY)');
      await db.query(`INSERT INTO t SELECT g, 'x' FROM generate_series(1, 10) g`);
      // Ten rows are not enough.
      await new Promise((r) => setTimeout(r, 400));
      expect(await counted(db, 't')).toBe(-1);
      await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO t SELECT g, 'y' FROM generate_series(11, 500) g`);
      });
      await eventually(async () => (await counted(db, 't')) === 500, 5_000);

      // Due again (50 rows and a tenth of the 500 counted), while a statement runs every 20 ms.
      await db.query(`INSERT INTO u SELECT g FROM generate_series(1, 300) g`);
      const started = Date.now();
      while ((await counted(db, 'u')) < 0) {
        if (Date.now() - started > 5_000) throw new Error('no statistics within 5 s');
        await new Promise((r) => setTimeout(r, 20));
      }

      // Due once more, then closed at once: close does not wait for the idle moment.
      await db.query(`INSERT INTO u SELECT g FROM generate_series(301, 700) g`);
      const closing = Date.now();
      await db.close();
      closed = true;
      expect(Date.now() - closing).toBeLessThan(quick.maxDeferMs);
    } finally {
      if (!closed) await db.close();
    }
  });

  it('frees the space of dead rows, so a table updated again and again stops growing', async () => {
    const db = await createPgliteDb(undefined, { analyze: quick });
    try {
      await db.exec(
        `CREATE TABLE t (id int PRIMARY KEY, n int, v text);
         INSERT INTO t SELECT g, 0, repeat('x', 200) FROM generate_series(1, 5000) g`,
      );
      const size = async () =>
        (await db.query<{ n: number }>(`SELECT pg_relation_size('t')::float8 AS n`)).rows[0]!.n;
      const vacuumed = async () =>
        (
          await db.query<{ at: Date | null }>(
            `SELECT last_vacuum AS at FROM pg_stat_user_tables WHERE relname = 't'`,
          )
        ).rows[0]?.at ?? null;
      const one = await size();
      // Each round rewrites every row (each leaves a dead version), then waits for the upkeep.
      for (let round = 1; round <= 4; round++) {
        const before = (await vacuumed())?.getTime() ?? 0;
        await db.query(`UPDATE t SET n = n + 1`);
        // Asked less often than the idle time, so the upkeep starts at the first idle moment.
        await eventually(async () => ((await vacuumed())?.getTime() ?? 0) > before, 5_000, 250);
      }
      // Unvacuumed, four rewrites make five copies; vacuumed, the dead ones' space is used again.
      expect(await size()).toBeLessThanOrEqual(2 * one);
      expect(await counted(db, 't')).toBe(5000);
    } finally {
      await db.close();
    }
  });

  it('gathers them for a data directory written without them, once it is opened', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-analyze-'));
    try {
      const first = await createPgliteDb(dir, { analyze: { ...quick, threshold: 1e9 } });
      await first.exec(
        `CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT g FROM generate_series(1, 200) g`,
      );
      await first.close();
      const again = await createPgliteDb(dir, { analyze: quick });
      try {
        await eventually(async () => (await counted(again, 't')) === 200, 5_000);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
