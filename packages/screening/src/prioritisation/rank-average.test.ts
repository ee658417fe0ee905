import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalisedRanks, rankAverage } from './rank-average.ts';

describe('normalisedRanks', () => {
  it('maps lowest to 0, highest to 1 and gives ties their mean rank', () => {
    expect(Array.from(normalisedRanks([10, -5, 3, 3, 100]))).toEqual([0.75, 0, 0.375, 0.375, 1]);
  });

  it('keeps the order of the scores (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 2, maxLength: 50 }),
        (s) => {
          const r = normalisedRanks(s);
          for (let i = 0; i < s.length; i++)
            for (let j = 0; j < s.length; j++) if (s[i]! < s[j]!) expect(r[i]!).toBeLessThan(r[j]!);
          for (const v of r) expect(v >= 0 && v <= 1).toBe(true);
        },
      ),
    );
  });
});

describe('rankAverage', () => {
  it('averages ranks, so a model on a wider scale does not dominate', () => {
    const a = [1, 2, 3];
    const b = [3000, 2000, 1000];
    expect(Array.from(rankAverage([a, b]))).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(rankAverage([a, [0.1, 0.3, 0.2]]))).toEqual([0, 0.75, 0.75]);
  });

  it('refuses sets of different lengths and an empty list, saying which', () => {
    expect(() => rankAverage([[1, 2], [1]])).toThrow(/model 2 have 1 entries, expected 2/);
    expect(() => rankAverage([])).toThrow(/at least one/);
  });
});
