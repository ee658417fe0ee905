import type { Classifier, LinearModel, TrainingSet, WarmStart } from './classifier.types.ts';
import type { CsrMatrix } from './sparse.ts';
import { balancedWeights } from './class-weights.ts';
import { addRow, rowDot } from './sparse.ts';

export interface LogisticRegressionOptions {
  /** L2 penalty strength (larger shrinks weights more). */
  lambda: number;
  /** Relevant-to-irrelevant total weight, as for the SVM and naive Bayes. */
  relevantRatio: number;
  /** Passes of gradient descent over the labelled rows. */
  epochs: number;
  /** Step size of the first pass; it decays as 1/sqrt(pass). */
  learningRate: number;
  /** Passes when starting from the previous training's weights on the same features. */
  warmEpochs: number;
}

export const DEFAULT_LOGISTIC_REGRESSION: LogisticRegressionOptions = {
  lambda: 1e-4,
  relevantRatio: 9.8,
  epochs: 30,
  learningRate: 0.5,
  warmEpochs: 3,
};

/** The last weights and the columns that training touched, so a retrain starts where it ended. */
interface LogisticWarm {
  x: CsrMatrix;
  weights: Float64Array;
  bias: number;
  active: Int32Array;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * L2-regularised logistic regression on the sparse rows, fitted by full-batch gradient descent
 * on the class-balanced log loss (deterministic: no sampling, so the same labels give the same model).
 */
export function trainLogisticRegression(
  set: TrainingSet,
  options: Partial<LogisticRegressionOptions> = {},
  warmStart?: WarmStart,
): { model: LinearModel; warm: WarmStart } {
  const o = { ...DEFAULT_LOGISTIC_REGRESSION, ...options };
  const { x, rows, labels } = set;
  const sw = set.weights ?? balancedWeights(labels, o.relevantRatio);
  const n = rows.length;
  const prev = warmStart as LogisticWarm | undefined;
  const warm = prev !== undefined && prev.x === x;
  const weights = warm ? prev.weights : new Float64Array(x.cols);
  let bias = warm ? prev.bias : 0;
  // Only columns some labelled row touches get a gradient; the others stay 0 from a cold start, so
  // updating just these costs the labelled rows, not the vocabulary. A warm start zeroes the columns
  // no current row touches (records that left the set, e.g. earlier presumed-irrelevant draws), as a
  // cold start would have them.
  const mark = new Uint8Array(x.cols);
  const active: number[] = [];
  for (const r of rows)
    for (let p = x.indptr[r]!, end = x.indptr[r + 1]!; p < end; p++) {
      const c = x.indices[p]!;
      if (mark[c]) continue;
      mark[c] = 1;
      active.push(c);
    }
  if (warm) for (const c of prev.active) if (!mark[c]) weights[c] = 0;
  const done = (): { model: LinearModel; warm: WarmStart } => {
    const next: LogisticWarm = { x, weights, bias, active: Int32Array.from(active) };
    return { model: { weights, bias }, warm: next };
  };
  if (n === 0) return done();
  const grad = new Float64Array(x.cols);
  const epochs = warm ? o.warmEpochs : o.epochs;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (const c of active) grad[c] = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      const p = sigmoid(rowDot(x, r, weights) + bias);
      const g = (sw[i]! * (p - labels[i]!)) / n;
      addRow(x, r, g, grad);
      gb += g;
    }
    const step = o.learningRate / Math.sqrt(epoch);
    for (const c of active) weights[c]! -= step * (grad[c]! + o.lambda * weights[c]!);
    bias -= step * gb;
  }
  return done();
}

export function logisticRegressionClassifier(options: Partial<LogisticRegressionOptions> = {}): Classifier {
  return {
    name: 'logistic-regression',
    train: (set, warm) => trainLogisticRegression(set, options, warm),
  };
}
