import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Sql } from './db.types.ts';
import { ANALYZE_POLICY, analyzeDelay, analyzeDue, type AnalyzePolicy } from './pglite-analyze.ts';

const BYTEA = 17;

// PGlite's own bytea conversion builds two strings per byte (`Array.from(bytes).map(...)` to hex,
// `parseInt` per pair back): about 1 s per MiB each way, which made storing and reading an upload
// most of an import's time. Node's hex codec does the same text format natively.
const parsers = {
  20: (v: string) => Number(v),
  1700: (v: string) => Number(v),
  [BYTEA]: (v: string) => Buffer.from(v.slice(2), 'hex'),
};
const serializers = {
  [BYTEA]: (v: unknown) => {
    if (!(v instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
    return `\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  },
};

/** How long statements may run back to back before timers and I/O get a turn (ms). */
const YIELD_AFTER_MS = 100;

/**
 * PGlite runs each statement on this thread and answers through promises alone, so statements
 * awaited one after another never let a timer run: a dedup run's save (hundreds of statements,
 * 27 s on a 101 MB import) held the thread throughout, and the queue could not renew its job's lock
 * (renewed every 15 s, lost after 30 s), so the job was run again beside itself, then failed. After
 * a statement, once YIELD_AFTER_MS have passed since the last turn, the event loop gets one.
 */
function eventLoopTurns(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < YIELD_AFTER_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}

/** The rows in the database's tables as its last ANALYZE counted them. */
const ROWS_ANALYZED = `SELECT coalesce(sum(reltuples), 0)::float8 AS n FROM pg_class
  WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND reltuples > 0`;

/**
 * Does what PostgreSQL's autovacuum would (see pglite-analyze.ts): counts the rows statements
 * change, and once enough have, runs VACUUM ANALYZE when the database is next idle. ANALYZE gives
 * the planner its statistics. VACUUM makes the space of dead row versions (every update and delete
 * leaves one) free for new rows, and marks pages whose rows all stand as such, which lets scans skip
 * their per-row visibility checks and index-only scans skip the table. Without it an embedded
 * review's tables only grew: a table rewritten four times was five times its size; vacuumed between
 * the rewrites, twice (PGlite 0.5.16, 5,000 rows of 200 bytes).
 */
function autoAnalyze(pg: PGlite, policy: AnalyzePolicy, dueAtStart: boolean) {
  let changed = 0;
  let rows = 0;
  let analyzedAt = performance.now();
  let dueSince: number | null = dueAtStart ? performance.now() : null;
  let lastStatement = performance.now();
  let busy = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;
  const schedule = (ms: number) => {
    if (closed || timer || running) return;
    timer = setTimeout(check, ms);
    // A pending ANALYZE does not keep a finished process alive.
    timer.unref();
  };
  const check = () => {
    timer = null;
    if (closed || dueSince === null) return;
    const wait = analyzeDelay(policy, { now: performance.now(), lastStatement, dueSince, busy: busy > 0 });
    if (wait > 0) return schedule(wait);
    changed = 0;
    dueSince = null;
    running = (async () => {
      try {
        // Outside any transaction: PGlite runs exec and transactions one at a time.
        await pg.exec('VACUUM ANALYZE');
        analyzedAt = performance.now();
        rows = (await pg.query<{ n: number }>(ROWS_ANALYZED)).rows[0]?.n ?? 0;
      } catch {
        // Upkeep only: a failed VACUUM ANALYZE is tried again after more changes.
      } finally {
        running = null;
        // A statement that ended meanwhile may have made statistics due again, and could not
        // schedule them while this ran. (PGlite ran its queued statements after this one's own
        // reads in every trial here, but nothing promises that order.)
        if (dueSince !== null) schedule(policy.idleMs);
      }
    })();
  };
  if (dueAtStart) schedule(policy.idleMs);
  return {
    started() {
      busy++;
    },
    finished(affectedRows: number | undefined) {
      busy--;
      lastStatement = performance.now();
      changed += affectedRows ?? 0;
      if (dueSince === null && analyzeDue(policy, changed, rows, lastStatement - analyzedAt)) {
        dueSince = lastStatement;
        schedule(policy.idleMs);
      }
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export interface PgliteOptions {
  /** When statistics are gathered (tests shorten the idle wait). */
  analyze?: AnalyzePolicy;
}

/** Embedded PostgreSQL (WASM) under `dir`, or in memory when `dir` is undefined (tests). */
export async function createPgliteDb(dir: string | undefined, options: PgliteOptions = {}): Promise<Db> {
  if (dir) mkdirSync(dir, { recursive: true });
  const pg = new PGlite(dir ? { dataDir: dir, parsers, serializers } : { parsers, serializers });
  await pg.waitReady;
  const turn = eventLoopTurns();
  // A data directory written before statistics were gathered (or never analyzed) gets them once
  // it is idle; a new database starts empty, and its changes make them due.
  const neverAnalyzed = dir
    ? (
        await pg.query<{ any: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = 'public'::regnamespace
             AND relkind = 'r' AND reltuples < 0) AS any`,
        )
      ).rows[0]?.any === true
    : false;
  const analyze = autoAnalyze(pg, options.analyze ?? ANALYZE_POLICY, neverAnalyzed);
  const run = async <T>(q: () => Promise<{ rows: T[]; affectedRows?: number }>) => {
    analyze.started();
    let affected: number | undefined;
    try {
      const r = await q();
      affected = r.affectedRows;
      return { rows: r.rows };
    } finally {
      analyze.finished(affected);
      await turn();
    }
  };
  return {
    engine: 'pglite',
    query: <T>(text: string, params?: readonly unknown[]) =>
      run(() => pg.query<T>(text, params as unknown[] | undefined)),
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      // The whole transaction counts as one busy statement: its own statements come in between.
      analyze.started();
      let result: T;
      try {
        result = await pg.transaction(async (tx) =>
          fn({
            query: <R>(text: string, params?: readonly unknown[]) =>
              run(() => tx.query<R>(text, params as unknown[] | undefined)),
          }),
        );
      } finally {
        analyze.finished(0);
      }
      // A reported PGlite issue: COMMIT inside transaction() may not reach disk at once.
      if (dir) await pg.syncToFs();
      return result;
    },
    async exec(script: string) {
      await pg.exec(script);
      if (dir) await pg.syncToFs();
    },
    async close() {
      await analyze.close();
      await pg.close();
    },
  };
}
