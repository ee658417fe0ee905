import { describe, expect, it } from 'vitest';
import { stageAgreement, type RatedVote } from './stage-agreement.ts';
import type { Vote } from '../stages/stage.types.ts';

function votes(reviewer: string, list: Vote[], offset = 0): RatedVote[] {
  return list.map((vote, i) => ({ recordId: `r${i + offset}`, reviewerId: reviewer, vote }));
}

describe('stageAgreement', () => {
  it('computes per pair and pooled tables', () => {
    const all = [
      ...votes('alice', ['include', 'include', 'exclude', 'exclude']),
      ...votes('bob', ['include', 'exclude', 'exclude', 'exclude']),
      // carol overlaps alice on r2..r3 only
      ...votes('carol', ['exclude', 'include'], 2),
    ];
    const s = stageAgreement(all);
    expect(s.pairs.map((p) => `${p.reviewerA}-${p.reviewerB}:${p.n}`)).toEqual([
      'alice-bob:4',
      'alice-carol:2',
      'bob-carol:2',
    ]);
    const ab = s.pairs[0]!;
    expect(ab.table).toEqual([
      [1, 1],
      [0, 2],
    ]);
    // po = .75; A .5/.5, B .25/.75 -> pe = .125 + .375 = .5 -> kappa .5
    expect(ab.kappa).toBeCloseTo(0.5, 10);
    expect(s.overall.n).toBe(8);
    // alice-carol and bob-carol each add (exclude, exclude) on r2 and (exclude, include) on r3.
    expect(s.overall.table).toEqual([
      [1, 1],
      [2, 4],
    ]);
  });

  it('treats maybe as include by default and as its own category on request', () => {
    const all = [...votes('a', ['maybe', 'exclude']), ...votes('b', ['include', 'exclude'])];
    expect(stageAgreement(all).overall.percentAgreement).toBe(1);
    const three = stageAgreement(all, 'category');
    expect(three.categories).toEqual(['include', 'exclude', 'maybe']);
    expect(three.overall.percentAgreement).toBe(0.5);
  });

  it('ignores records with a single vote', () => {
    const s = stageAgreement(votes('a', ['include', 'exclude']));
    expect(s.pairs).toEqual([]);
    expect(s.overall.n).toBe(0);
    expect(s.overall.kappa).toBeNull();
  });
});
