import { describe, expect, it } from 'vitest';
import { chooseOnTraining, leaveOneSetOut } from './leave-one-set-out.ts';

describe('leaveOneSetOut', () => {
  it('holds each set out once and never trains on it', () => {
    const folds = leaveOneSetOut(['a', 'b', 'c']);
    expect(folds.map((f) => f.heldOut)).toEqual(['a', 'b', 'c']);
    for (const f of folds) {
      expect(f.training).toHaveLength(2);
      expect(f.training).not.toContain(f.heldOut);
    }
  });
});

describe('chooseOnTraining', () => {
  const table: Record<string, Record<string, number>> = {
    stems: { a: 0.9, b: 0.2, c: 0.2 },
    plain: { a: 0.5, b: 0.5, c: 0.5 },
  };
  const score = (c: string, s: string) => table[c]![s]!;

  it('picks by the mean over the training sets only, not the held-out one', () => {
    // With 'a' held out, stems averages 0.2 on b,c: plain wins. With 'b' held out, stems averages 0.55.
    expect(chooseOnTraining(['plain', 'stems'], ['b', 'c'], score)).toBe('plain');
    expect(chooseOnTraining(['plain', 'stems'], ['a', 'c'], score)).toBe('stems');
  });

  it('breaks ties toward the first candidate and refuses an empty grid', () => {
    expect(chooseOnTraining(['x', 'y'], ['a'], () => 1)).toBe('x');
    expect(() => chooseOnTraining([], ['a'], () => 1)).toThrow(/at least one candidate/);
  });
});
