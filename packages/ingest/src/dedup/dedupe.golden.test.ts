import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dedupe } from './dedupe.ts';
import type { DedupResult, ManualDecision } from './dedupe.types.ts';
import { generateCollection } from './synthetic.ts';

/**
 * Guards the grouping while its memory layout changes (issue 18, lean dedup): a generated set of
 * 20,000 records, with and without reviewers' decisions, must give exactly the groups, questions
 * and candidate pairs the object-per-pair implementation gave (digests recorded from it).
 */
function digest(r: DedupResult): Record<string, string> {
  const h = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);
  return {
    groups: h(r.groups.map((g) => [g.id, g.keptId, g.members, g.sources, g.canonical])),
    review: h(r.review),
    pairs: h(r.pairs),
    stats: h(r.stats),
  };
}

describe('dedupe on a generated 20k set', () => {
  const { inputs } = generateCollection(20_000, 7);

  it('groups, asks and lists pairs exactly as before', () => {
    const r = dedupe(inputs);
    expect(r.stats.groups).toBeGreaterThan(1000);
    expect(digest(r)).toEqual(EXPECTED.plain);
  });

  it('with reviewers separating and joining records, still exactly as before', () => {
    const first = dedupe(inputs);
    const decisions: ManualDecision[] = [];
    // Separate two members of every 7th group; join the kept records of neighbouring groups.
    first.groups.forEach((g, k) => {
      const [a, b] = g.members.map((m) => m.recordId);
      if (k % 7 === 0 && a && b) decisions.push({ kind: 'different', a, b });
      const next = first.groups[k + 1];
      if (k % 11 === 0 && next) decisions.push({ kind: 'same', a: g.keptId, b: next.keptId });
    });
    const r = dedupe(
      inputs,
      decisions,
      first.groups.map((g) => ({ id: g.id, keptId: g.keptId, recordIds: g.members.map((m) => m.recordId) })),
    );
    expect(r.review.length).toBeGreaterThan(0);
    expect(digest(r)).toEqual(EXPECTED.decided);
  });
});

const EXPECTED = {
  plain: {
    groups: '04fcfb4252979a0a',
    pairs: '336daeebc604a7f7',
    review: '4f53cda18c2baa0c',
    stats: 'bbd69527fb8b23df',
  },
  decided: {
    groups: 'fb06e8731cb77d72',
    pairs: 'c418a784267c07f7',
    review: 'f0bacf416520fea9',
    stats: '59241dd691df0bde',
  },
};
