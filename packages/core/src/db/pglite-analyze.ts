/**
 * When the embedded database gathers planner statistics and frees its dead rows (VACUUM ANALYZE).
 * PostgreSQL's autovacuum runs ANALYZE on a table once 50 rows plus a tenth of it have changed;
 * PGlite has no autovacuum, so without this its planner never has statistics and guesses: filtering
 * 100,000 records by an exclusion reason took 4.6-7.9 s instead of 0.2 s, opening a record page 88 ms
 * instead of 15. PGlite runs every statement on one thread, so the upkeep waits until the database
 * has been idle a moment (an import or a burst of votes is not held up by it), but not longer than
 * `maxDeferMs` once due.
 */
export interface AnalyzePolicy {
  /** Rows changed before statistics are due: `threshold + scale × rows at the last ANALYZE`. */
  threshold: number;
  scale: number;
  /**
   * Statistics are also due once `threshold` rows have changed and the last ANALYZE is this old
   * (ms). The rows counted are those statements change themselves, summed over the database, while
   * autovacuum counts each table's own, triggers' changes too: a review's screening moves the state
   * of its records a few at a time, which a tenth of the whole database would take long to reach.
   */
  maxAgeMs: number;
  /** How long the database must have run no statement before ANALYZE starts (ms). */
  idleMs: number;
  /** Once due, ANALYZE runs after at most this long even if the database is never idle (ms). */
  maxDeferMs: number;
}

export const ANALYZE_POLICY: AnalyzePolicy = {
  threshold: 50,
  scale: 0.1,
  maxAgeMs: 10 * 60_000,
  idleMs: 1_000,
  maxDeferMs: 60_000,
};

/**
 * Whether `changed` rows since the last ANALYZE, which saw `rows` rows `age` ms ago, make statistics
 * due.
 */
export function analyzeDue(policy: AnalyzePolicy, changed: number, rows: number, age: number): boolean {
  if (changed < policy.threshold) return false;
  return changed >= policy.threshold + policy.scale * Math.max(0, rows) || age >= policy.maxAgeMs;
}

/**
 * How long to wait before starting ANALYZE (0: start now), `now` being the time, `lastStatement` when
 * the last statement ended, `dueSince` when statistics became due, `busy` whether a statement or
 * transaction is running.
 */
export function analyzeDelay(
  policy: AnalyzePolicy,
  t: { now: number; lastStatement: number; dueSince: number; busy: boolean },
): number {
  const overdue = t.now - t.dueSince >= policy.maxDeferMs;
  if (overdue) return 0;
  const idleFor = t.busy ? 0 : t.now - t.lastStatement;
  const untilIdle = policy.idleMs - idleFor;
  const untilOverdue = t.dueSince + policy.maxDeferMs - t.now;
  return Math.max(0, Math.min(untilIdle, untilOverdue));
}
