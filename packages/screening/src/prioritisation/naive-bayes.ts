import type { Classifier, LinearModel, TrainingSet } from './classifier.types.ts';
import { balancedWeights } from './class-weights.ts';

export interface NaiveBayesOptions {
  /** Additive (Laplace/Lidstone) smoothing. */
  alpha: number;
  /** Relevant-to-irrelevant total weight (ASReview's former default used 1.2 with its own balancing). */
  relevantRatio: number;
}

export const DEFAULT_NAIVE_BAYES: NaiveBayesOptions = { alpha: 3.822, relevantRatio: 1.2 };

/**
 * Multinomial naive Bayes over TF-IDF weights, written as the equivalent linear model:
 * score = sum_t x_t (log P(t|1) - log P(t|0)) + log P(1) - log P(0).
 * The class prior is that of the balanced weights, so it moves with the ratio rather than the raw counts.
 */
export function trainNaiveBayes(
  set: TrainingSet,
  options: Partial<NaiveBayesOptions> = {},
): { model: LinearModel } {
  const o = { ...DEFAULT_NAIVE_BAYES, ...options };
  const { x, rows, labels } = set;
  const sw = set.weights ?? balancedWeights(labels, o.relevantRatio);
  const f1 = new Float64Array(x.cols);
  const f0 = new Float64Array(x.cols);
  let w1 = 0;
  let w0 = 0;
  for (let i = 0; i < rows.length; i++) {
    const target = labels[i] === 1 ? f1 : f0;
    const s = sw[i]!;
    if (labels[i] === 1) w1 += s;
    else w0 += s;
    for (let p = x.indptr[rows[i]!]!, end = x.indptr[rows[i]! + 1]!; p < end; p++)
      target[x.indices[p]!]! += s * x.data[p]!;
  }
  let t1 = 0;
  let t0 = 0;
  for (let j = 0; j < x.cols; j++) {
    t1 += f1[j]!;
    t0 += f0[j]!;
  }
  const d1 = Math.log(t1 + o.alpha * x.cols);
  const d0 = Math.log(t0 + o.alpha * x.cols);
  // A term no labelled record has gets the same weight (smoothing only): fill it once and take
  // logarithms only where a labelled record has the term.
  const weights = new Float64Array(x.cols).fill(d0 - d1);
  for (let j = 0; j < x.cols; j++)
    if (f1[j] !== 0 || f0[j] !== 0)
      weights[j] = Math.log(f1[j]! + o.alpha) - d1 - (Math.log(f0[j]! + o.alpha) - d0);
  const bias = w1 > 0 && w0 > 0 ? Math.log(w1 / (w0 + w1)) - Math.log(w0 / (w0 + w1)) : 0;
  return { model: { weights, bias } };
}

export function naiveBayesClassifier(options: Partial<NaiveBayesOptions> = {}): Classifier {
  return { name: 'naive-bayes', train: (set) => trainNaiveBayes(set, options) };
}
