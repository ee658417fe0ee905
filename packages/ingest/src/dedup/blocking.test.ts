import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCKING_PASSES, candidatePairs, MAX_BLOCK, passBlocks, WINDOW, type KeyFn } from './blocking.ts';
import { matchKeys, type MatchKeys } from './match-keys.ts';
import { PairSet } from './pair-set.ts';
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

/**
 * Blocking as a map of arrays per pass and a `Set` of pair numbers: the plain form the typed-array
 * blocking must equal, pair for pair and in the same order.
 */
function naiveBlocks(keys: readonly MatchKeys[], pass: KeyFn): number[][] {
  const blocks = new Map<string, number[]>();
  keys.forEach((k, i) => {
    for (const key of pass(k)) {
      const block = blocks.get(key);
      if (!block) blocks.set(key, [i]);
      else if (block[block.length - 1] !== i) block.push(i);
    }
  });
  return [...blocks.values()].filter((b) => b.length >= 2);
}

function naivePairs(keys: readonly MatchKeys[]): { visits: string[]; oversizedBlocks: number } {
  const seen = new Set<number>();
  const visits: string[] = [];
  let oversizedBlocks = 0;
  const emit = (a: number, b: number): void => {
    const [i, j] = a < b ? [a, b] : [b, a];
    if (seen.has(i * keys.length + j)) return;
    seen.add(i * keys.length + j);
    visits.push(`${i}-${j}`);
  };
  for (const pass of Object.values(BLOCKING_PASSES))
    for (const block of naiveBlocks(keys, pass)) {
      if (block.length <= MAX_BLOCK) {
        for (let x = 0; x < block.length; x++)
          for (let y = x + 1; y < block.length; y++) emit(block[x]!, block[y]!);
        continue;
      }
      oversizedBlocks++;
      const title = (i: number): string => keys[i]!.compactTitle;
      const sorted = [...block].sort((a, b) => (title(a) < title(b) ? -1 : title(a) > title(b) ? 1 : 0));
      for (let x = 0; x < sorted.length; x++)
        for (let y = x + 1; y < Math.min(sorted.length, x + 1 + WINDOW); y++) emit(sorted[x]!, sorted[y]!);
    }
  return { visits, oversizedBlocks };
}

/** Few words, names, years and numbers, so that blocks form, overlap and sometimes overflow. */
const recordArb = fc
  .record({
    title: fc.array(fc.constantFrom('copper', 'surfaces', 'ward', 'infection', 'trial', 'care'), {
      minLength: 2,
      maxLength: 7,
    }),
    author: fc.option(fc.constantFrom('Smith J', 'Salgado CD', 'Li X'), { nil: undefined }),
    year: fc.option(fc.integer({ min: 2000, max: 2002 }), { nil: undefined }),
    doi: fc.option(fc.constantFrom('10.1/a', '10.1/b', '10.2/c'), { nil: undefined }),
    volume: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    page: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    journal: fc.constantFrom('Lancet', 'Journal of Hospital Infection', ''),
  })
  .map((r) =>
    matchKeys(
      rec({
        title: r.title.join(' '),
        authors: r.author ? [r.author] : [],
        ...(r.year !== undefined ? { year: r.year } : {}),
        ...(r.doi ? { doi: r.doi } : {}),
        ...(r.volume !== undefined ? { volume: String(r.volume) } : {}),
        ...(r.page !== undefined ? { pages: { asWritten: `${r.page}-${r.page + 5}` } } : {}),
        ...(r.journal ? { journal: r.journal } : {}),
      }),
    ),
  );

describe('typed-array blocking against a map of arrays', () => {
  it('visits exactly the pairs of map-based blocking, once each, in the same order', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 140 }), (keys) => {
        const visits: string[] = [];
        const stats = candidatePairs(keys, (i, j) => visits.push(`${i}-${j}`));
        const naive = naivePairs(keys);
        expect(visits).toEqual(naive.visits);
        expect(stats).toEqual({ pairs: naive.visits.length, oversizedBlocks: naive.oversizedBlocks });
      }),
      { numRuns: 150 },
    );
  });

  it('tells colliding keys apart: with every key hashed alike, blocks are still one key each', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 80 }),
        fc.constantFrom(...Object.keys(BLOCKING_PASSES)),
        (keys, name) => {
          const pass = BLOCKING_PASSES[name]!;
          const { members, starts, count } = passBlocks(keys, pass, () => 7);
          const blocks = Array.from({ length: count }, (_, b) =>
            Array.from(members.subarray(starts[b]!, starts[b + 1]!)),
          );
          expect(blocks).toEqual(naiveBlocks(keys, pass));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a generated oversized block is compared by sorted window as before', () => {
    const keys = Array.from({ length: MAX_BLOCK + 25 }, (_, i) =>
      matchKeys(rec({ title: `Report ${(i * 7) % 13} on the same theme`, authors: ['Smith J'], year: 2020 })),
    );
    const visits: string[] = [];
    const stats = candidatePairs(keys, (i, j) => visits.push(`${i}-${j}`));
    expect(stats.oversizedBlocks).toBeGreaterThan(0);
    expect(visits).toEqual(naivePairs(keys).visits);
  });
});

describe('PairSet', () => {
  it('holds exactly the pairs a Set of strings holds, through growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3000), fc.nat(3000)), { maxLength: 4000 }), (pairs) => {
        const set = new PairSet(4);
        const naive = new Set<string>();
        for (const [a, b] of pairs) {
          const [i, j] = a < b ? [a, b] : [b, a];
          expect(set.add(i, j)).toBe(!naive.has(`${i}-${j}`));
          naive.add(`${i}-${j}`);
        }
        expect(set.size).toBe(naive.size);
        for (const [a, b] of pairs.slice(0, 200)) expect(set.has(Math.min(a, b), Math.max(a, b))).toBe(true);
        expect(set.has(3001, 3002)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
