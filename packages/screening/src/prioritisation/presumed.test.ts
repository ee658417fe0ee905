import { describe, expect, it } from 'vitest';
import type { Classifier, TrainingSet } from './classifier.types.ts';
import type { CsrMatrix } from './sparse.ts';
import { withPresumedIrrelevant } from './presumed.ts';

// A classifier that only records what it was asked to train on.
function spy(): Classifier & { seen: TrainingSet[] } {
  const seen: TrainingSet[] = [];
  return {
    name: 'spy',
    tfidf: { maxDf: 0.5 },
    seen,
    train(set) {
      seen.push(set);
      return { model: { weights: new Float64Array(set.x.cols), bias: 0 } };
    },
  };
}

const x = (rows: number): CsrMatrix => ({
  rows,
  cols: 1,
  indptr: new Int32Array(rows + 1),
  indices: new Int32Array(0),
  data: new Float64Array(0),
});

describe('withPresumedIrrelevant', () => {
  const set = { x: x(52), rows: Int32Array.from([3, 7]), labels: Uint8Array.from([1, 0]) };

  it('adds a tenth of the unlabelled records, capped at count, as irrelevant', () => {
    const inner = spy();
    const c = withPresumedIrrelevant(inner, 100);
    c.train(set);
    const got = inner.seen[0]!;
    // 50 unlabelled records: floor(50 / 10) = 5 presumed, after the real labels unchanged.
    expect(got.rows.length).toBe(7);
    expect([...got.rows.slice(0, 2)]).toEqual([3, 7]);
    expect([...got.labels]).toEqual([1, 0, 0, 0, 0, 0, 0]);
    const added = [...got.rows.slice(2)];
    expect(new Set(added).size).toBe(5);
    for (const r of added) {
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThan(52);
      expect([3, 7]).not.toContain(r);
    }
    expect(c.name).toBe('spy');
    expect(c.tfidf).toEqual({ maxDf: 0.5 });
  });

  it('respects a count below a tenth, and draws the same records on a replay', () => {
    const a = spy();
    const b = spy();
    withPresumedIrrelevant(a, 2).train(set);
    withPresumedIrrelevant(b, 2).train(set);
    expect(a.seen[0]!.rows.length).toBe(4);
    expect([...a.seen[0]!.rows]).toEqual([...b.seen[0]!.rows]);
  });

  it('passes the labels through untouched when nothing can be presumed', () => {
    const inner = spy();
    withPresumedIrrelevant(inner, 100).train({ ...set, x: x(11) });
    // 9 unlabelled records: floor(0.9) = 0.
    expect(inner.seen[0]!.rows.length).toBe(2);
  });
});
