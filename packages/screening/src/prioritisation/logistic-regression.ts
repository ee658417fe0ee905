import type { Classifier, LinearModel, TrainingSet } from './classifier.types.ts';
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
}

export const DEFAULT_LOGISTIC_REGRESSION: LogisticRegressionOptions = {
  lambda: 1e-4,
  relevantRatio: 9.8,
  epochs: 30,
  learningRate: 0.5,
};

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
): { model: LinearModel } {
  const o = { ...DEFAULT_LOGISTIC_REGRESSION, ...options };
  const { x, rows, labels } = set;
  const sw = balancedWeights(labels, o.relevantRatio);
  const n = rows.length;
  const weights = new Float64Array(x.cols);
  let bias = 0;
  if (n === 0) return { model: { weights, bias } };
  const grad = new Float64Array(x.cols);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    grad.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      const p = sigmoid(rowDot(x, r, weights) + bias);
      const g = (sw[i]! * (p - labels[i]!)) / n;
      addRow(x, r, g, grad);
      gb += g;
    }
    const step = o.learningRate / Math.sqrt(epoch);
    for (let j = 0; j < x.cols; j++) weights[j]! -= step * (grad[j]! + o.lambda * weights[j]!);
    bias -= step * gb;
  }
  return { model: { weights, bias } };
}

export function logisticRegressionClassifier(options: Partial<LogisticRegressionOptions> = {}): Classifier {
  return { name: 'logistic-regression', train: (set) => trainLogisticRegression(set, options) };
}
