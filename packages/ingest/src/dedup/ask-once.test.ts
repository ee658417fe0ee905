import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupe } from './dedupe.ts';
import type { DedupInput, DedupResult, ManualDecision } from './dedupe.types.ts';
import { ARTICLE, rec } from './record.fixture.ts';

const AUTHOR_FORMS = [
  ['Wheeldon LJ', 'Worthington T', 'Lambert PA'],
  ['Wheeldon, L. J.', 'Worthington, T.', 'Lambert, P. A.'],
  ['WHEELDON LJ', 'WORTHINGTON T', 'LAMBERT PA'],
] as const;

/**
 * `count` exports of one report, as databases vary it (author form, title case, journal
 * abbreviation, pages written short), so they group among themselves. Side `b` is the same title
 * in another volume and year: the rule cannot tell whether it is the same report.
 */
function copies(side: 'a' | 'b', count: number, from = 0, seed = 1): DedupInput[] {
  const forms = fc.sample(
    fc.record({ authors: fc.nat(2), upper: fc.boolean(), abbrev: fc.boolean(), shortPages: fc.boolean() }),
    { numRuns: count, seed: seed + (side === 'a' ? 0 : 1000) },
  );
  return forms.map((f, k) => ({
    id: `${side}${String(from + k).padStart(3, '0')}`,
    record: rec({
      ...ARTICLE,
      title: f.upper ? ARTICLE.title.toUpperCase() : ARTICLE.title,
      authors: [...AUTHOR_FORMS[f.authors]!],
      journal: f.abbrev ? 'J Antimicrob Chemother' : ARTICLE.journal,
      ...(side === 'a'
        ? { pages: { asWritten: f.shortPages ? '522-5' : '522-525' } }
        : {
            doi: undefined,
            volume: '63',
            year: 2009,
            pages: { asWritten: f.shortPages ? '100-4' : '100-104' },
          }),
    }),
  }));
}

const members = (r: DedupResult): string[][] =>
  r.groups.map((g) => g.members.map((m) => m.recordId).sort()).sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
const cross = (r: DedupResult) => r.pairs.filter((p) => p.a[0] !== p.b[0]);

describe('one question per pair of groups', () => {
  const set = [...copies('a', 18), ...copies('b', 16)];

  it('one uncertain match between two groups of many records is asked once, covering both groups', () => {
    const r = dedupe(set);
    expect(members(r).map((g) => g.length)).toEqual([18, 16]);
    expect(r.review).toHaveLength(1);
    const q = r.review[0]!;
    const sides = [q.covers.a, q.covers.b].sort((x, y) => x.length - y.length);
    expect(sides[0]).toEqual(set.filter((x) => x.id.startsWith('b')).map((x) => x.id));
    expect(sides[1]).toEqual(set.filter((x) => x.id.startsWith('a')).map((x) => x.id));
    // Every candidate pair across the two groups is pending under that one question.
    expect(cross(r).length).toBeGreaterThan(1);
    expect(cross(r).every((p) => p.status === 'pending')).toBe(true);
    expect(r.stats).toMatchObject({ needsReview: 1, pendingPairs: cross(r).length });
    expect(r.pairs.filter((p) => p.a[0] === p.b[0]).every((p) => p.status === 'auto-merged')).toBe(true);
  });

  const answer = (r: DedupResult, kind: 'same' | 'different'): ManualDecision => {
    const q = r.review[0]!;
    return { kind, a: q.a, b: q.b, covers: q.covers };
  };

  it('"different" settles every pair across the groups, and holds when a group is later split', () => {
    const first = dedupe(set);
    const decisions = [answer(first, 'different')];
    const r = dedupe(set, decisions);
    expect(r.review).toHaveLength(0);
    expect(cross(r).every((p) => p.status === 'different')).toBe(true);
    expect(r.stats.pendingPairs).toBe(0);
    const bIds = set.filter((x) => x.id.startsWith('b')).map((x) => x.id);
    const split = dedupe(set, [...decisions, { kind: 'split', parts: [bIds.slice(0, 5), bIds.slice(5)] }]);
    expect(split.review).toHaveLength(0);
  });

  it('"same" merges the two groups and every pair across them reads same', () => {
    const first = dedupe(set);
    const r = dedupe(set, [answer(first, 'same')]);
    expect(members(r).map((g) => g.length)).toEqual([34]);
    expect(r.review).toHaveLength(0);
    expect(cross(r).every((p) => p.status === 'same')).toBe(true);
  });

  it('re-running after new imports of both reports asks nothing new', () => {
    for (const kind of ['same', 'different'] as const) {
      const decisions = [answer(dedupe(set), kind)];
      const more = [...set, ...copies('a', 7, 100, 7), ...copies('b', 6, 100, 7)];
      const r = dedupe(more, decisions);
      expect(r.review).toHaveLength(0);
      expect(r.stats.pendingPairs).toBe(0);
      expect(members(r).map((g) => g.length)).toEqual(kind === 'same' ? [47] : [25, 22]);
    }
  });
});

describe('one question for many records that may be one report', () => {
  // The same title by the same authors in eight volumes: each pair may or may not be one report.
  const volumes = Array.from({ length: 8 }, (_, k) => ({
    id: `v${k}`,
    record: rec({
      ...ARTICLE,
      doi: undefined,
      year: 2000 + 2 * k,
      volume: String(20 + 3 * k),
      pages: { asWritten: `${100 + 50 * k}-${104 + 50 * k}` },
    }),
  }));

  it('asks once for all of them, not once per pair', () => {
    const r = dedupe(volumes);
    expect(r.groups).toHaveLength(0);
    expect(r.review).toHaveLength(1);
    expect(r.review[0]!.parts).toEqual(volumes.map((v) => [v.id]));
    expect(r.stats.pendingPairs).toBe(28);
  });

  it('"all different reports" settles every pair; "all one report" makes one group', () => {
    const q = dedupe(volumes).review[0]!;
    const different = dedupe(volumes, [
      { kind: 'different', a: q.a, b: q.b, covers: q.covers, parts: q.parts },
    ]);
    expect(different.review).toHaveLength(0);
    expect(different.pairs.every((p) => p.status === 'different')).toBe(true);
    const same = dedupe(volumes, [{ kind: 'same', a: q.a, b: q.b, covers: q.covers, parts: q.parts }]);
    expect(same.groups.map((g) => g.members.length)).toEqual([8]);
    expect(same.pairs.every((p) => p.status === 'same')).toBe(true);
  });

  it('an answer on the pair shown leaves one question for the rest', () => {
    const q = dedupe(volumes).review[0]!;
    const r = dedupe(volumes, [{ kind: 'different', a: q.a, b: q.b, covers: q.covers }]);
    expect(r.review).toHaveLength(1);
    expect(r.review[0]!.parts).toHaveLength(8);
    expect(r.stats.pendingPairs).toBe(27);
  });
});
