import { describe, expect, it } from 'vitest';
import type { Classifier } from './classifier.types.ts';
import {
  aucOf,
  bestCandidate,
  internalCvChoice,
  internalCvClassifier,
  stratifiedFolds,
} from './internal-cv.ts';
import { svmClassifier } from './svm.ts';
import { fitTfidf } from './tfidf.ts';

describe('aucOf', () => {
  it('is 1 when every relevant record outscores every irrelevant one, 0.5 on ties, NaN with one class', () => {
    expect(aucOf([3, 2, 1, 0], [1, 1, 0, 0])).toBe(1);
    expect(aucOf([0, 1, 2, 3], [1, 1, 0, 0])).toBe(0);
    expect(aucOf([1, 1, 1, 1], [1, 0, 1, 0])).toBe(0.5);
    expect(aucOf([1, 2], [1, 1])).toBeNaN();
  });
});

describe('stratifiedFolds', () => {
  it('deals each class round-robin so every fold has relevant records', () => {
    const labels = [1, 0, 0, 1, 0, 1, 0, 0, 0];
    const f = Array.from(stratifiedFolds(labels, 3));
    for (let k = 0; k < 3; k++) expect(labels.filter((l, i) => l === 1 && f[i] === k)).toHaveLength(1);
  });
});

describe('bestCandidate', () => {
  it('takes the highest score, the earlier on ties, and skips NaN', () => {
    expect(bestCandidate([0.5, 0.7, 0.7])).toBe(1);
    expect(bestCandidate([Number.NaN, 0.2])).toBe(1);
    expect(bestCandidate([0.4, Number.NaN])).toBe(0);
  });
});

describe('internalCvClassifier', () => {
  const texts = Array.from({ length: 60 }, (_, i) =>
    i % 3 === 0 ? `nurse leadership ward improvement team ${i}` : `wheat soil nitrogen yield plot ${i}`,
  );
  const x = fitTfidf(texts).matrix;
  // A candidate that ranks backwards: whatever the SVM learns, negated.
  const svm = svmClassifier({ presumedIrrelevant: 0 });
  const backwards: Classifier = {
    name: 'backwards',
    train(set) {
      const { model } = svm.train(set);
      return { model: { weights: model.weights.map((w) => -w), bias: -model.bias } };
    },
  };
  const set = (n: number) => {
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    return { x, rows, labels: Uint8Array.from(rows, (r) => (r % 3 === 0 ? 1 : 0)) };
  };

  it('serves the first candidate until there are enough relevant labels, then the one that cross-validates better', () => {
    const c = internalCvClassifier([backwards, svm], { minRelevant: 5, folds: 3 });
    const early = c.train(set(9)); // 3 relevant
    expect(internalCvChoice(early.warm)).toBeNull();
    const later = c.train(set(30), early.warm); // 10 relevant
    expect(internalCvChoice(later.warm)).toBe(1);
    expect(later.model.weights.some((w) => w !== 0)).toBe(true);
  });
});
