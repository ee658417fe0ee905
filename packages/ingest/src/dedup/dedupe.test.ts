import { describe, expect, it } from 'vitest';
import { dedupe, dedupeYielding } from './dedupe.ts';
import type { DedupInput } from './dedupe.types.ts';
import { ARTICLE, rec } from './record.fixture.ts';

const medline: DedupInput = {
  id: 'm1',
  source: 'MEDLINE',
  record: rec({
    ...ARTICLE,
    journal: 'J Antimicrob Chemother',
    pages: { asWritten: '522-5' },
    pmid: '18544601',
  }),
};
const embase: DedupInput = {
  id: 'e1',
  source: 'Embase',
  record: rec({
    ...ARTICLE,
    authors: ['Wheeldon, L. J.', 'Worthington, T.', 'Lambert, P. A.'],
    abstract: 'Copper surfaces killed spores.',
    keywords: ['copper', 'spores'],
  }),
};
const scopus: DedupInput = {
  id: 's1',
  source: 'Scopus',
  record: rec({ ...ARTICLE, doi: undefined, title: ARTICLE.title.toUpperCase() }),
};
const other: DedupInput = {
  id: 'x1',
  source: 'MEDLINE',
  record: rec({
    title: 'Copper alloys in intensive care units: a randomised trial',
    authors: ['Salgado CD'],
    year: 2013,
    journal: 'Infect Control Hosp Epidemiol',
    volume: '34',
    pages: { asWritten: '479-86' },
  }),
};
const sameTitleOtherVolume: DedupInput = {
  id: 'v2',
  source: 'Embase',
  record: rec({ ...ARTICLE, doi: undefined, volume: '63', pages: { asWritten: '100-104' } }),
};

describe('dedupe', () => {
  it('groups cross-database records of one report and keeps every record', () => {
    const r = dedupe([medline, embase, scopus, other]);
    expect(r.groups).toHaveLength(1);
    const g = r.groups[0]!;
    expect(g.members.map((m) => m.recordId).sort()).toEqual(['e1', 'm1', 's1']);
    expect(g.members.filter((m) => m.kept)).toHaveLength(1);
    expect(g.sources).toEqual({ MEDLINE: 1, Embase: 1, Scopus: 1 });
    expect(r.stats).toMatchObject({ records: 4, groups: 1, duplicatesRemoved: 2, needsReview: 0 });
  });

  it('builds the canonical record field by field with provenance', () => {
    const g = dedupe([medline, embase]).groups[0]!;
    expect(g.keptId).toBe('e1'); // the more complete record (abstract)
    expect(g.canonical.record.pmid).toBe('18544601');
    expect(g.canonical.provenance.pmid).toBe('m1');
    expect(g.canonical.record.abstract).toBe('Copper surfaces killed spores.');
    expect(g.canonical.provenance.abstract).toBe('e1');
    expect(g.canonical.record.journal).toBe('Journal of Antimicrobial Chemotherapy');
    expect(g.canonical.record.pages?.asWritten).toBe('522-525');
  });

  it('sends a same-title report with a different volume to review with its reason', () => {
    const r = dedupe([embase, sameTitleOtherVolume]);
    expect(r.groups).toHaveLength(0);
    expect(r.review).toHaveLength(1);
    expect(r.review[0]!.reason).toContain('volumes differ');
  });

  it('queues one pair per pair of groups, and one decision settles the whole group', () => {
    const r = dedupe([medline, embase, sameTitleOtherVolume]);
    expect(r.groups).toHaveLength(1);
    expect(r.review).toHaveLength(1);
    const decided = dedupe(
      [medline, embase, sameTitleOtherVolume],
      [{ kind: 'different', a: r.review[0]!.a, b: r.review[0]!.b }],
    );
    expect(decided.review).toHaveLength(0);
  });

  it('a reviewer "same" merges a review pair, "different" splits an automatic one', () => {
    const same = dedupe([embase, sameTitleOtherVolume], [{ kind: 'same', a: 'v2', b: 'e1' }]);
    expect(same.groups).toHaveLength(1);
    expect(same.review).toHaveLength(0);
    expect(same.stats.manualMerged).toBe(1);
    const different = dedupe([medline, embase], [{ kind: 'different', a: 'm1', b: 'e1' }]);
    expect(different.groups).toHaveLength(0);
    expect(different.review).toHaveLength(0);
  });

  it('a lead split removes a record from its group', () => {
    const r = dedupe([medline, embase, scopus], [{ kind: 'split', parts: [['m1'], ['e1', 's1']] }]);
    expect(r.groups.map((g) => g.members.map((m) => m.recordId).sort())).toEqual([['e1', 's1']]);
  });

  it('a split holds even when a third record links both sides', () => {
    const r = dedupe([medline, embase, scopus], [{ kind: 'split', parts: [['m1'], ['s1']] }]);
    expect(r.groups).toHaveLength(1);
    const members = r.groups[0]!.members.map((m) => m.recordId);
    expect(members).toContain('e1');
    expect(members.includes('m1') && members.includes('s1')).toBe(false);
    expect(r.review.some((p) => p.reason.includes('held back'))).toBe(true);
  });

  it('the latest decision wins and reset returns a pair to the rule', () => {
    const ms = [
      { kind: 'different', a: 'm1', b: 'e1' },
      { kind: 'same', a: 'm1', b: 'e1' },
    ] as const;
    expect(dedupe([medline, embase], [...ms]).groups).toHaveLength(1);
    expect(dedupe([medline, embase], [ms[0], { kind: 'reset', a: 'e1', b: 'm1' }]).groups).toHaveLength(1);
  });

  it('keeps group ids and the kept record across re-runs and reports the diff', () => {
    const first = dedupe([medline, embase]);
    const previous = first.groups.map((g) => ({
      id: g.id,
      keptId: g.keptId,
      recordIds: g.members.map((m) => m.recordId),
    }));
    const again = dedupe([medline, embase, scopus, other], [], previous);
    expect(again.groups[0]!.id).toBe(first.groups[0]!.id);
    expect(again.groups[0]!.keptId).toBe(first.groups[0]!.keptId);
    expect(again.diff).toEqual({
      created: [],
      dissolved: [],
      changed: [{ id: first.groups[0]!.id, added: ['s1'], removed: [] }],
    });
    const split = dedupe([medline, embase], [{ kind: 'split', parts: [['m1'], ['e1']] }], previous);
    expect(split.diff.dissolved).toEqual([first.groups[0]!.id]);
  });

  it('a new record joining a screened record inherits its decisions', () => {
    const r = dedupe([{ ...medline, screened: true }, other, embase, scopus]);
    expect(r.groups[0]!.keptId).toBe('m1');
    expect(r.inherits.sort((a, b) => a.recordId.localeCompare(b.recordId))).toEqual([
      { recordId: 'e1', fromRecordId: 'm1' },
      { recordId: 's1', fromRecordId: 'm1' },
    ]);
  });

  it('a re-run takes nothing over for duplicates grouped with the screened record before', () => {
    const first = dedupe([medline, embase]);
    const previous = first.groups.map((g) => ({
      id: g.id,
      keptId: g.keptId,
      recordIds: g.members.map((m) => m.recordId),
    }));
    const screenedId = first.groups[0]!.keptId;
    const mark = (r: typeof medline) => (r.id === screenedId ? { ...r, screened: true } : r);
    // An unrelated record arrives: the pair was grouped before anyone voted, so nothing is taken over.
    expect(dedupe([medline, embase, other].map(mark), [], previous).inherits).toEqual([]);
    // A new copy joining the group does take over the screened record's screening.
    expect(dedupe([medline, embase, scopus, other].map(mark), [], previous).inherits).toEqual([
      { recordId: 's1', fromRecordId: screenedId },
    ]);
  });

  it("keeps a record already in reviewers' queues over a more complete copy imported later", () => {
    const plain = dedupe([medline, embase, scopus]);
    const byCompleteness = plain.groups[0]!.keptId;
    const waiting = [medline, embase, scopus].find((r) => r.id !== byCompleteness)!;
    const r = dedupe([medline, embase, scopus].map((x) => (x === waiting ? { ...x, queued: true } : x)));
    expect(r.groups[0]!.keptId).toBe(waiting.id);
    // Queued is not screened: nothing is inherited until someone has voted.
    expect(r.inherits).toEqual([]);
  });

  it('gives the same result when keys are computed in chunks between event-loop turns', async () => {
    const inputs = [medline, embase, scopus, other, sameTitleOtherVolume];
    const shape = (r: ReturnType<typeof dedupe>) => [
      r.groups.map((g) => g.members.map((m) => m.recordId)),
      r.review.map((p) => p.reason),
    ];
    expect(shape(await dedupeYielding(inputs, [], [], 2))).toEqual(shape(dedupe(inputs)));
  });

  it('is independent of input order', () => {
    const a = dedupe([medline, embase, scopus, other, sameTitleOtherVolume]);
    const b = dedupe([sameTitleOtherVolume, other, scopus, embase, medline]);
    const shape = (r: typeof a) => r.groups.map((g) => [g.id, g.keptId, g.members.map((m) => m.recordId)]);
    expect(shape(b)).toEqual(shape(a));
  });
});
