import { describe, expect, it } from 'vitest';
import { rankUnlabelled } from './ranking.ts';
import { seededRandom } from './rng.ts';

describe('rankUnlabelled', () => {
  it('orders unlabelled records by score, ties by the tie-break key', () => {
    const scores = [0.1, 0.9, 0.5, 0.9, 0.3];
    expect(rankUnlabelled(scores, [0, 0, 0, 0, 1], 4)).toEqual([1, 3, 2, 0]);
    expect(rankUnlabelled(scores, [0, 0, 0, 0, 1], 2, { tieBreak: [0, 5, 0, 1, 0] })).toEqual([3, 1]);
  });

  it('mixes in a share of random records without repeats', () => {
    const scores = Array.from({ length: 100 }, (_, i) => 100 - i);
    const picked = rankUnlabelled(scores, new Uint8Array(100), 50, {
      randomShare: 0.5,
      random: seededRandom(4),
    });
    expect(new Set(picked).size).toBe(50);
    const outsideTop = picked.filter((i) => i >= 50).length;
    expect(outsideTop).toBeGreaterThan(5);
    expect(rankUnlabelled(scores, new Uint8Array(100), 50)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects a bad share', () => {
    expect(() => rankUnlabelled([1], [0], 1, { randomShare: 2 })).toThrow(/randomShare/);
  });
});
