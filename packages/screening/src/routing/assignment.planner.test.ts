import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { orderRecords, planAssignments, rebalance, type ExistingAssignment } from './assignment.planner.ts';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function loads(assignments: { reviewerId: string }[], reviewers: string[]): number[] {
  return reviewers.map((r) => assignments.filter((a) => a.reviewerId === r).length);
}

describe('planAssignments', () => {
  it('gives every record two distinct reviewers and balances load', () => {
    const plan = planAssignments({
      recordIds: ids('rec', 10),
      reviewerIds: ['a', 'b', 'c'],
      votesNeeded: 2,
      existing: [],
      order: { kind: 'random', seed: 7 },
    });
    expect(plan.assignments).toHaveLength(20);
    expect(plan.shortfall).toEqual([]);
    const l = loads(plan.assignments, ['a', 'b', 'c']);
    expect(Math.max(...l) - Math.min(...l)).toBeLessThanOrEqual(1);
  });

  it('is deterministic for a seed and varies with it', () => {
    const input = {
      recordIds: ids('r', 30),
      reviewerIds: ['a', 'b', 'c', 'd'],
      votesNeeded: 2,
      existing: [],
    };
    const one = planAssignments({ ...input, order: { kind: 'random', seed: 1 } });
    const again = planAssignments({ ...input, order: { kind: 'random', seed: 1 } });
    const other = planAssignments({ ...input, order: { kind: 'random', seed: 2 } });
    expect(again).toEqual(one);
    expect(other.assignments).not.toEqual(one.assignments);
  });

  it('puts higher-scored records first in prioritised order', () => {
    const scores = new Map([
      ['r1', 0.2],
      ['r2', 0.9],
      ['r3', 0.5],
    ]);
    expect(orderRecords(['r0', 'r1', 'r2', 'r3'], { kind: 'prioritised', scores, seed: 3 })).toEqual([
      'r2',
      'r3',
      'r1',
      'r0',
    ]);
    const plan = planAssignments({
      recordIds: ['r0', 'r1', 'r2', 'r3'],
      reviewerIds: ['a', 'b'],
      votesNeeded: 2,
      existing: [],
      order: { kind: 'prioritised', scores, seed: 3 },
    });
    const first = plan.assignments
      .filter((a) => a.reviewerId === 'a')
      .sort((x, y) => x.position - y.position)[0];
    expect(first?.recordId).toBe('r2');
  });

  it('tops up records that already have some assignments and never duplicates a reviewer', () => {
    const existing: ExistingAssignment[] = [
      { recordId: 'r0', reviewerId: 'a', open: false },
      { recordId: 'r1', reviewerId: 'a', open: true },
      { recordId: 'r1', reviewerId: 'b', open: true },
    ];
    const plan = planAssignments({
      recordIds: ['r0', 'r1'],
      reviewerIds: ['a', 'b', 'c'],
      votesNeeded: 2,
      existing,
      order: { kind: 'random', seed: 1 },
    });
    // r1 is full; r0 needs one more, not a, and c (load 0) is less busy than b (load 1).
    expect(plan.assignments).toEqual([{ recordId: 'r0', reviewerId: 'c', position: expect.any(Number) }]);
  });

  it('revokes open work of a reviewer who left and re-routes it, keeping their finished votes', () => {
    const existing: ExistingAssignment[] = [
      { recordId: 'r0', reviewerId: 'gone', open: false },
      { recordId: 'r0', reviewerId: 'a', open: true },
      { recordId: 'r1', reviewerId: 'gone', open: true },
      { recordId: 'r1', reviewerId: 'a', open: true },
    ];
    const plan = planAssignments({
      recordIds: [],
      reviewerIds: ['a', 'b'],
      votesNeeded: 2,
      existing,
      order: { kind: 'random', seed: 1 },
    });
    expect(plan.revoked).toEqual([{ recordId: 'r1', reviewerId: 'gone', open: true }]);
    expect(plan.assignments.map((a) => `${a.recordId}:${a.reviewerId}`)).toEqual(['r1:b']);
  });

  it('reports a shortfall when too few reviewers remain', () => {
    const plan = planAssignments({
      recordIds: ['r0'],
      reviewerIds: ['a'],
      votesNeeded: 2,
      existing: [],
      order: { kind: 'random', seed: 1 },
    });
    expect(plan.shortfall).toEqual([{ recordId: 'r0', missing: 1 }]);
    expect(() =>
      planAssignments({
        recordIds: [],
        reviewerIds: [],
        votesNeeded: 0,
        existing: [],
        order: { kind: 'random', seed: 1 },
      }),
    ).toThrow(/votesNeeded/);
  });
});

describe('planAssignments properties', () => {
  const arbInput = fc.record({
    records: fc.integer({ min: 0, max: 60 }),
    reviewers: fc.integer({ min: 1, max: 8 }),
    votesNeeded: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });

  it('never gives a record twice to one reviewer, balances within 1, and fills every record', () => {
    fc.assert(
      fc.property(arbInput, ({ records, reviewers, votesNeeded, seed }) => {
        const revs = ids('u', reviewers);
        const plan = planAssignments({
          recordIds: ids('r', records),
          reviewerIds: revs,
          votesNeeded,
          existing: [],
          order: { kind: 'random', seed },
        });
        const pairs = plan.assignments.map((a) => `${a.recordId}|${a.reviewerId}`);
        expect(new Set(pairs).size).toBe(pairs.length);
        const l = loads(plan.assignments, revs);
        expect(Math.max(...l) - Math.min(...l)).toBeLessThanOrEqual(1);
        const expected = Math.min(votesNeeded, reviewers);
        for (const r of ids('r', records)) {
          expect(plan.assignments.filter((a) => a.recordId === r)).toHaveLength(expected);
        }
        if (reviewers >= votesNeeded) expect(plan.shortfall).toEqual([]);
        else expect(plan.shortfall).toHaveLength(records);
      }),
      { numRuns: 200 },
    );
  });

  it('stays balanced when records arrive in batches', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 2, max: 6 }),
        (batches, reviewers) => {
          const revs = ids('u', reviewers);
          const existing: ExistingAssignment[] = [];
          let next = 0;
          batches.forEach((size, b) => {
            const plan = planAssignments({
              recordIds: Array.from({ length: size }, () => `r${next++}`),
              reviewerIds: revs,
              votesNeeded: 2,
              existing,
              order: { kind: 'random', seed: b },
            });
            existing.push(
              ...plan.assignments.map((a) => ({
                recordId: a.recordId,
                reviewerId: a.reviewerId,
                open: true,
              })),
            );
          });
          const l = loads(existing, revs);
          expect(Math.max(...l) - Math.min(...l)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('rebalance', () => {
  it('moves open work to a new reviewer until loads differ by at most one', () => {
    const plan = planAssignments({
      recordIds: ids('r', 12),
      reviewerIds: ['a', 'b'],
      votesNeeded: 2,
      existing: [],
      order: { kind: 'random', seed: 1 },
    });
    const existing = plan.assignments.map((a) => ({ ...a, open: true }));
    const moves = rebalance({ reviewerIds: ['a', 'b', 'c'], existing });
    // 24 open assignments over three reviewers: 8 each.
    expect(moves).toHaveLength(8);
    expect(moves.every((m) => m.to === 'c')).toBe(true);
  });

  it('never moves a record to someone who already has it, and leaves done work alone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        (n, before, joining, seed) => {
          const revs = ids('u', before);
          const plan = planAssignments({
            recordIds: ids('r', n),
            reviewerIds: revs,
            votesNeeded: 2,
            existing: [],
            order: { kind: 'random', seed },
          });
          const existing = plan.assignments.map((a, i) => ({ ...a, open: i % 3 !== 0 }));
          const all = [...revs, ...ids('new', joining)];
          const moves = rebalance({ reviewerIds: all, existing });
          const holders = new Map<string, Set<string>>();
          const openLoad = new Map(all.map((r) => [r, 0]));
          for (const a of existing) {
            holders.set(a.recordId, (holders.get(a.recordId) ?? new Set()).add(a.reviewerId));
            if (a.open) openLoad.set(a.reviewerId, openLoad.get(a.reviewerId)! + 1);
          }
          for (const m of moves) {
            const h = holders.get(m.recordId)!;
            expect(h.has(m.to)).toBe(false);
            expect(existing.some((a) => a.recordId === m.recordId && a.reviewerId === m.from && a.open)).toBe(
              true,
            );
            h.delete(m.from);
            h.add(m.to);
            openLoad.set(m.from, openLoad.get(m.from)! - 1);
            openLoad.set(m.to, openLoad.get(m.to)! + 1);
          }
          for (const h of holders.values()) expect(h.size).toBe(Math.min(2, before));
        },
      ),
      { numRuns: 100 },
    );
  });
});
