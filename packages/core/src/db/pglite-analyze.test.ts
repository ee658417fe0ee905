import { describe, expect, it } from 'vitest';
import { ANALYZE_POLICY, analyzeDelay, analyzeDue } from './pglite-analyze.ts';

const policy = {
  ...ANALYZE_POLICY,
  threshold: 50,
  scale: 0.1,
  maxAgeMs: 600_000,
  idleMs: 1_000,
  maxDeferMs: 60_000,
};

describe('when the embedded database gathers statistics', () => {
  it('is due after 50 rows plus a tenth of the database have changed, or 50 once the last is old', () => {
    expect(analyzeDue(policy, 49, 0, 0)).toBe(false);
    expect(analyzeDue(policy, 50, 0, 0)).toBe(true);
    expect(analyzeDue(policy, 1_049, 10_000, 0)).toBe(false);
    expect(analyzeDue(policy, 1_050, 10_000, 0)).toBe(true);
    expect(analyzeDue(policy, 60, 10_000, 599_999)).toBe(false);
    expect(analyzeDue(policy, 60, 10_000, 600_000)).toBe(true);
    expect(analyzeDue(policy, 49, 0, 10_000_000)).toBe(false);
  });

  it('waits for a second of idleness, but not past a minute once due', () => {
    const at = (now: number, lastStatement: number, busy = false) =>
      analyzeDelay(policy, { now, lastStatement, dueSince: 0, busy });
    expect(at(100, 100)).toBe(1_000);
    expect(at(700, 100)).toBe(400);
    expect(at(1_100, 100)).toBe(0);
    // A statement or transaction running: the full idle wait, from now.
    expect(at(1_100, 100, true)).toBe(1_000);
    // Never idle: at most until a minute after it became due.
    expect(at(59_500, 59_400)).toBe(500);
    expect(at(60_000, 59_990, true)).toBe(0);
  });
});
