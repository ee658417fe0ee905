import { describe, expect, it } from 'vitest';
import type { Classifier } from './classifier.types.ts';
import { ensembleClassifier } from './ensemble.ts';
import { logisticRegressionClassifier } from './logistic-regression.ts';
import { naiveBayesClassifier } from './naive-bayes.ts';
import { normalisedRanks } from './rank-average.ts';
import { scoreRows } from './sparse.ts';
import { svmClassifier } from './svm.ts';
import { fitTfidf } from './tfidf.ts';

const texts = Array.from({ length: 30 }, (_, i) =>
  i % 3 === 0 ? `hospital leadership improvement culture ${i}` : `wheat soil nitrogen fertiliser ${i}`,
);
const x = fitTfidf(texts).matrix;
const set = { x, rows: Int32Array.from([0, 1, 2, 3, 4]), labels: Uint8Array.from([1, 0, 0, 1, 0]) };

describe('ensembleClassifier', () => {
  it('scores by the mean normalised rank of its members', () => {
    const members: Classifier[] = [svmClassifier({ presumedIrrelevant: 0 }), naiveBayesClassifier()];
    const r = ensembleClassifier(members).train(set);
    const ranks = members.map((m) => {
      const { model } = m.train(set);
      return normalisedRanks(scoreRows(x, model.weights, model.bias));
    });
    for (let i = 0; i < x.rows; i++)
      expect(r.scores![i]!).toBeCloseTo((ranks[0]![i]! + ranks[1]![i]!) / 2, 12);
  });

  it('ranks the relevant topic first with SVM, naive Bayes and logistic regression, and so do its decision values', () => {
    const r = ensembleClassifier([
      svmClassifier({ presumedIrrelevant: 0 }),
      naiveBayesClassifier(),
      logisticRegressionClassifier(),
    ]).train(set);
    const order = Array.from(r.scores!.keys()).sort((a, b) => r.scores![b]! - r.scores![a]!);
    expect(order.slice(0, 10).every((i) => i % 3 === 0)).toBe(true);
    const d = Array.from(r.decision!);
    const relevant = d.filter((_, i) => i % 3 === 0);
    const other = d.filter((_, i) => i % 3 !== 0);
    expect(Math.min(...relevant)).toBeGreaterThan(Math.max(...other));
  });

  it('keeps each member’s warm start for the next training', () => {
    const e = ensembleClassifier([svmClassifier({ presumedIrrelevant: 0 }), logisticRegressionClassifier()]);
    const first = e.train(set);
    const more = {
      x,
      rows: Int32Array.from([0, 1, 2, 3, 4, 6]),
      labels: Uint8Array.from([1, 0, 0, 1, 0, 1]),
    };
    const warm = e.train(more, first.warm);
    const cold = e.train(more);
    const top = (s: Float64Array) =>
      Array.from(s.keys())
        .sort((a, b) => s[b]! - s[a]!)
        .slice(0, 10);
    expect(top(warm.scores!).every((i) => i % 3 === 0)).toBe(true);
    expect(top(cold.scores!).every((i) => i % 3 === 0)).toBe(true);
  });
});
