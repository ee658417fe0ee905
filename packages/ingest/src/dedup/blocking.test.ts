import { describe, expect, it } from 'vitest';
import { candidatePairs, MAX_BLOCK, WINDOW } from './blocking.ts';
import { matchKeys } from './match-keys.ts';
import { rec } from './record.fixture.ts';

describe('candidatePairs', () => {
  it('pairs records sharing a DOI, a title start or end, author+year or volume+page', () => {
    const keys = [
      rec({
        title: 'Copper surfaces reduce infections in intensive care',
        doi: '10.1234/a',
        authors: ['Salgado CD'],
        year: 2013,
      }),
      rec({ title: 'Something else entirely', doi: '10.1234/A' }),
      rec({ title: 'Copper surfaces reduce infections in intensive care units', authors: ['Other X'] }),
      rec({ title: 'Unrelated title about zinc', authors: ['Salgado C'], year: 2014 }),
      rec({
        title: 'Nothing in common with anything here',
        volume: '5',
        pages: { asWritten: '10-12' },
        journal: 'Lancet',
      }),
      rec({
        title: 'Nor here, a different title altogether',
        volume: '5',
        pages: { asWritten: '10-9' },
        journal: 'The Lancet',
      }),
      rec({ title: 'Lonely record' }),
    ].map(matchKeys);
    const pairs: string[] = [];
    candidatePairs(keys, (i, j) => pairs.push(`${i}-${j}`));
    expect(pairs.sort()).toEqual(['0-1', '0-2', '0-3', '4-5']);
  });

  it('never compares all pairs: oversized blocks use a sorted window', () => {
    const n = MAX_BLOCK * 5;
    const keys = Array.from({ length: n }, (_, i) =>
      matchKeys(rec({ title: `Report number ${i} on the same theme`, authors: ['Smith J'], year: 2020 })),
    );
    let count = 0;
    const stats = candidatePairs(keys, () => count++);
    expect(stats.oversizedBlocks).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(n * WINDOW);
    expect(count).toBeLessThan((n * (n - 1)) / 2);
  });
});
