import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cohensKappa } from './kappa.ts';

describe('cohensKappa', () => {
  it('matches a textbook example', () => {
    // 50 items: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> po 0.7, pe 0.5, kappa 0.4
    const pairs: [string, string][] = [
      ...Array.from({ length: 20 }, () => ['y', 'y'] as [string, string]),
      ...Array.from({ length: 5 }, () => ['y', 'n'] as [string, string]),
      ...Array.from({ length: 10 }, () => ['n', 'y'] as [string, string]),
      ...Array.from({ length: 15 }, () => ['n', 'n'] as [string, string]),
    ];
    const r = cohensKappa(pairs);
    expect(r.observed).toBeCloseTo(0.7);
    expect(r.expected).toBeCloseTo(0.5);
    expect(r.kappa).toBeCloseTo(0.4);
  });

  it('is 1 for perfect agreement over two categories and null when undefined', () => {
    expect(
      cohensKappa([
        ['a', 'a'],
        ['b', 'b'],
      ]).kappa,
    ).toBe(1);
    expect(
      cohensKappa([
        ['a', 'a'],
        ['a', 'a'],
      ]).kappa,
    ).toBeNull();
    expect(cohensKappa([]).kappa).toBeNull();
  });

  it('is symmetric in the raters and never above 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('a', 'b', 'c')), { maxLength: 40 }),
        (pairs) => {
          const k1 = cohensKappa(pairs).kappa;
          const k2 = cohensKappa(pairs.map(([x, y]) => [y, x] as const)).kappa;
          if (k1 === null) {
            expect(k2).toBeNull();
            return;
          }
          expect(k2).toBeCloseTo(k1, 10);
          expect(k1).toBeLessThanOrEqual(1 + 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });
});
