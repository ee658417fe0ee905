import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Sql } from './db.types.ts';

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

/** Embedded PostgreSQL (WASM) under `dir`, or in memory when `dir` is undefined (tests). */
export async function createPgliteDb(dir: string | undefined): Promise<Db> {
  if (dir) mkdirSync(dir, { recursive: true });
  const pg = new PGlite(dir ? { dataDir: dir, parsers, serializers } : { parsers, serializers });
  await pg.waitReady;
  const turn = eventLoopTurns();
  return {
    engine: 'pglite',
    async query<T>(text: string, params?: readonly unknown[]) {
      const r = await pg.query<T>(text, params as unknown[] | undefined);
      await turn();
      return { rows: r.rows };
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      const result = await pg.transaction(async (tx) =>
        fn({
          query: async <R>(text: string, params?: readonly unknown[]) => {
            const r = await tx.query<R>(text, params as unknown[] | undefined);
            await turn();
            return { rows: r.rows };
          },
        }),
      );
      // A reported PGlite issue: COMMIT inside transaction() may not reach disk at once.
      if (dir) await pg.syncToFs();
      return result;
    },
    async exec(script: string) {
      await pg.exec(script);
      if (dir) await pg.syncToFs();
    },
    async close() {
      await pg.close();
    },
  };
}
