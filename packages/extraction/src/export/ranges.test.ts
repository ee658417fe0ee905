import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressRanges, countWithReferences } from './ranges.ts';

function expand(s: string): number[] {
  if (s === '') return [];
  return s.split(', ').flatMap((p) => {
    const [a, b] = p.split('-').map(Number);
    return b === undefined
      ? [a as number]
      : Array.from({ length: b - (a as number) + 1 }, (_, i) => (a as number) + i);
  });
}

describe('compressRanges', () => {
  it('prints references like the seed review', () => {
    expect(compressRanges([15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25])).toBe('15-25');
    expect(compressRanges([57, 7, 8, 9, 56])).toBe('7-9, 56, 57');
    expect(countWithReferences([15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25])).toBe('11 [15-25]');
    expect(countWithReferences([])).toBe('0');
  });

  it('round-trips any set of positive numbers', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 60 }), (ns) => {
        expect(expand(compressRanges(ns))).toEqual([...new Set(ns)].sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });
});
