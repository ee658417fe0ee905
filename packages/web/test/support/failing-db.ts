import type { Db } from '@winnow/core';

/**
 * The same database, except that its `nth` transaction (1-based) fails with `error`, or, with
 * `hang`, never returns, as a worker killed or frozen mid-import: nothing after it runs, not even
 * the import's own clean-up. Other transactions and queries go to the real database. `reached`
 * settles when the `nth` transaction is asked for (every earlier one has committed by then).
 */
export function failingDb(
  db: Db,
  nth: number,
  how: { error: Error } | 'hang',
): Db & { reached: Promise<void> } {
  let calls = 0;
  let arrive!: () => void;
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  return {
    engine: db.engine,
    reached,
    query: (text, params) => db.query(text, params),
    exec: (script) => db.exec(script),
    close: () => db.close(),
    transaction: (fn) => {
      if (++calls !== nth) return db.transaction(fn);
      arrive();
      if (how === 'hang') return new Promise<never>(() => {});
      return db.transaction(async (tx) => {
        await fn(tx);
        throw how.error;
      });
    },
  };
}
