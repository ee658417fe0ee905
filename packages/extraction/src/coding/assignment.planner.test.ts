import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planCodingAssignments } from './assignment.planner.ts';

describe('planCodingAssignments', () => {
  it('gives each study two distinct coders and spreads load', () => {
    const plan = planCodingAssignments(['s1', 's2', 's3'], ['a', 'b', 'c'], 2, []);
    expect(plan).toEqual([
      { studyId: 's1', coderId: 'a' },
      { studyId: 's1', coderId: 'b' },
      { studyId: 's2', coderId: 'c' },
      { studyId: 's2', coderId: 'a' },
      { studyId: 's3', coderId: 'b' },
      { studyId: 's3', coderId: 'c' },
    ]);
  });

  it('only adds what is missing on a re-run', () => {
    const first = planCodingAssignments(['s1'], ['a', 'b'], 2, []);
    expect(planCodingAssignments(['s1'], ['a', 'b'], 2, first)).toEqual([]);
    expect(planCodingAssignments(['s1', 's2'], ['a', 'b'], 1, [{ studyId: 's1', coderId: 'a' }])).toEqual([
      { studyId: 's2', coderId: 'b' },
    ]);
  });

  it('never assigns a coder twice to a study and never exceeds perStudy', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(1, 2),
        (ns, nc, k) => {
          const studies = Array.from({ length: ns }, (_, i) => `s${i}`);
          const coders = Array.from({ length: nc }, (_, i) => `c${i}`);
          const plan = planCodingAssignments(studies, coders, k, []);
          for (const s of studies) {
            const cs = plan.filter((p) => p.studyId === s).map((p) => p.coderId);
            expect(new Set(cs).size).toBe(cs.length);
            expect(cs.length).toBe(Math.min(k, nc));
          }
          const loads = coders.map((c) => plan.filter((p) => p.coderId === c).length);
          expect(Math.max(0, ...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 100 },
    );
  });
});
