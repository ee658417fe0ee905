import { describe, expect, it } from 'vitest';
import { computeLiveRankings, type LiveTrainingData } from './live-ranking.ts';
import { DEFAULT_PRIORITISATION_SETTINGS } from './prioritisation-settings.schema.ts';

const settings = DEFAULT_PRIORITISATION_SETTINGS;

function data(): LiveTrainingData {
  const records = Array.from({ length: 30 }, (_, i) => ({
    id: `r${i}`,
    title: i % 3 === 0 ? `hospital leadership improvement ${i}` : `wheat soil nitrogen ${i}`,
    abstract: i % 3 === 0 ? 'quality improvement in wards' : 'fertiliser trial',
  }));
  return {
    records,
    settled: [
      { recordId: 'r0', label: 1 },
      { recordId: 'r1', label: 0 },
    ],
    // Ann's unsettled vote calls a wheat record relevant; Bob has no unsettled votes.
    votes: [{ recordId: 'r2', reviewerId: 'ann', label: 1 }],
    reviewers: ['ann', 'bob'],
  };
}

describe('computeLiveRankings', () => {
  const r = computeLiveRankings(data(), settings);

  it('ranks by settled labels for routing and for a reviewer without own votes', () => {
    expect(r.labelled).toBe(2);
    expect(r.relevant).toBe(1);
    const shared = r.shared!;
    expect(shared.get('r3')!).toBeGreaterThan(shared.get('r4')!);
    expect(r.perReviewer.get('bob')).toEqual(shared);
  });

  it("adds only the reviewer's own unsettled votes to their model (blinding)", () => {
    const ann = r.perReviewer.get('ann')!;
    expect(ann).not.toEqual(r.shared);
    // Ann's include on r2 lifts its wheat neighbours in her ranking only.
    expect(ann.get('r5')! - ann.get('r3')!).toBeGreaterThan(r.shared!.get('r5')! - r.shared!.get('r3')!);
  });

  it('has no model before one include and one exclude are settled', () => {
    const d = data();
    d.settled = [{ recordId: 'r0', label: 1 }];
    d.votes = [];
    const none = computeLiveRankings(d, settings);
    expect(none.shared).toBeNull();
    expect(none.perReviewer.size).toBe(0);
    expect(none.stopping.pValue).toBeGreaterThan(0.05);
  });
});

describe('computeLiveRankings with a cache key', () => {
  it('reuses features and warm starts and ranks as a cold retrain does', () => {
    const key = `test-${Math.random()}`;
    computeLiveRankings(data(), settings, key);
    const more = data();
    more.settled.push({ recordId: 'r6', label: 1 }, { recordId: 'r7', label: 0 });
    const warm = computeLiveRankings(more, settings, key).shared!;
    const cold = computeLiveRankings(more, settings).shared!;
    const order = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    const topic = (ids: string[]) => ids.slice(0, 10).map((id) => Number(id.slice(1)) % 3 === 0);
    expect(topic(order(warm))).toEqual(topic(order(cold)));
    for (const [id, v] of cold) expect(warm.get(id)!).toBeCloseTo(v, 1);
  });
});

describe('computeLiveRankings on drug names', () => {
  it('carries what it learnt from one drug to other drugs of the same class (drug classes on by default)', () => {
    // Only enalapril and atenolol have been judged; lisinopril (an ACE inhibitor, "-pril") and
    // metoprolol (a beta-blocker, "-olol") appear in no labelled record. Their class terms are
    // what lets the model tell them apart.
    const trial = (drug: string) => `${drug} versus placebo after myocardial infarction`;
    const records = [
      { id: 'enalapril', title: trial('enalapril'), abstract: 'mortality at one year' },
      { id: 'atenolol', title: trial('atenolol'), abstract: 'mortality at one year' },
      { id: 'lisinopril', title: trial('lisinopril'), abstract: 'mortality at one year' },
      { id: 'metoprolol', title: trial('metoprolol'), abstract: 'mortality at one year' },
      ...Array.from({ length: 20 }, (_, i) => ({
        id: `other${i}`,
        title: `cohort ${i}`,
        abstract: 'survey',
      })),
    ];
    const r = computeLiveRankings(
      {
        records,
        settled: [
          { recordId: 'enalapril', label: 1 },
          { recordId: 'atenolol', label: 0 },
        ],
        votes: [],
        reviewers: [],
      },
      settings,
    );
    expect(r.classifier).toBe('svm+drug-classes');
    expect(r.shared!.get('lisinopril')!).toBeGreaterThan(r.shared!.get('metoprolol')!);
  });
});

describe('computeLiveRankings with the other model settings', () => {
  const topTen = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([id]) => Number(id.slice(1)) % 3 === 0);
  it.each([
    [{ classifier: 'ensemble' as const }, 'ensemble+drug-classes'],
    [{ balance: 'dynamic-resampling' as const }, 'svm+drug-classes+dynamic-resampling'],
    [{ internalCv: true, drugClasses: false }, 'svm+internal-cv'],
  ])('ranks the settled topic first with %o', (change, key) => {
    const r = computeLiveRankings(data(), { ...settings, ...change });
    expect(r.classifier).toBe(key);
    expect(topTen(r.shared!)).toEqual(Array(10).fill(true));
  });
});
