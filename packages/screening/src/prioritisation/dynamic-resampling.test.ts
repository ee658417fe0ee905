import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { relevantDrawShare, resamplingCounts, withDynamicResampling } from './dynamic-resampling.ts';
import { seededRandom } from './rng.ts';
import { fitTfidf } from './tfidf.ts';
import { svmClassifier } from './svm.ts';
import { scoreRows } from './sparse.ts';

describe('relevantDrawShare', () => {
  it('gives rare relevant records a large share early and less as the labels grow', () => {
    const early = relevantDrawShare(2, 50);
    const late = relevantDrawShare(2, 2000);
    expect(early).toBeGreaterThan(late);
    expect(early).toBeLessThanOrEqual(0.5);
    expect(late).toBeGreaterThanOrEqual(1 / 2002);
  });
});

describe('resamplingCounts', () => {
  it('keeps the size of the labels, every relevant record, and draws irrelevant ones at most once (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 2, maxLength: 300 }),
        fc.integer({ min: 0, max: 1000 }),
        (flags, seed) => {
          const labels = flags.map((f) => (f ? 1 : 0));
          const counts = resamplingCounts(labels, seededRandom(seed));
          const ones = labels.filter((l) => l === 1).length;
          if (ones === 0 || ones === labels.length) {
            expect(Array.from(counts)).toEqual(labels.map(() => 1));
            return;
          }
          let total = 0;
          labels.forEach((l, i) => {
            total += counts[i]!;
            if (l === 1) expect(counts[i]!).toBeGreaterThanOrEqual(1);
            else expect(counts[i] === 0 || counts[i] === 1).toBe(true);
          });
          expect(total).toBeLessThanOrEqual(labels.length);
          expect(total).toBeGreaterThanOrEqual(Math.min(labels.length, ones + 1));
        },
      ),
    );
  });

  it('draws the same counts for the same labels and seed', () => {
    const labels = [1, 0, 0, 0, 1, 0, 0, 0, 0, 0];
    expect(resamplingCounts(labels, seededRandom(3))).toEqual(resamplingCounts(labels, seededRandom(3)));
  });
});

describe('withDynamicResampling', () => {
  it('trains an SVM that ranks the relevant topic first', () => {
    const texts = Array.from({ length: 40 }, (_, i) =>
      i % 4 === 0 ? `nurse leadership ward improvement ${i}` : `soil wheat nitrogen yield ${i}`,
    );
    const x = fitTfidf(texts).matrix;
    const rows = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    const labels = Uint8Array.from(Array.from(rows, (r) => (r % 4 === 0 ? 1 : 0)));
    const c = withDynamicResampling(svmClassifier({ presumedIrrelevant: 0 }));
    expect(c.name).toBe('svm+resampling');
    const { model } = c.train({ x, rows, labels });
    const s = scoreRows(x, model.weights, model.bias);
    const top = Array.from(s.keys())
      .sort((a, b) => s[b]! - s[a]!)
      .slice(0, 10);
    expect(top.every((i) => i % 4 === 0)).toBe(true);
  });
});
