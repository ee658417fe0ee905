import type { Classifier, TrainingSet, WarmStart } from './classifier.types.ts';
import { seededRandom } from './rng.ts';

/**
 * Dynamic resampling, the idea behind ASReview's "double" balance: each retrain draws a training
 * set of the same size as the labels, with relevant records drawn with replacement (so a handful
 * of them can fill a real share of it) and irrelevant records drawn without replacement. The
 * relevant share is large while relevant records are rare among few labels and shrinks as the
 * labels grow: share/(1 - share) = a (n0/n1)^alpha / (b n), kept within [1/n, 1/2]. The constants
 * are the published ones of ASReview's double balance (a 2.155, alpha 0.94, b 0.789).
 */
export interface ResamplingOptions {
  a: number;
  alpha: number;
  b: number;
}

export const DEFAULT_RESAMPLING: ResamplingOptions = { a: 2.155, alpha: 0.94, b: 0.789 };

/** Share of the draws that go to relevant records, for n1 relevant and n0 irrelevant labels. */
export function relevantDrawShare(n1: number, n0: number, o: ResamplingOptions = DEFAULT_RESAMPLING): number {
  const n = n1 + n0;
  if (n1 === 0 || n0 === 0) return n1 === 0 ? 0 : 1;
  const odds = (o.a * (n0 / n1) ** o.alpha) / (o.b * n);
  return Math.min(0.5, Math.max(1 / n, odds / (1 + odds)));
}

/**
 * How many times each labelled row is drawn (aligned with `labels`): the counts sum to the number
 * of labels, every relevant record is drawn at least once (a rare relevant record is what the model
 * must not lose), the rest of the relevant draws are uniform with replacement, and the irrelevant
 * draws are a uniform subset without replacement.
 */
export function resamplingCounts(
  labels: ArrayLike<number>,
  random: () => number,
  o: ResamplingOptions = DEFAULT_RESAMPLING,
): Float64Array {
  const ones: number[] = [];
  const zeros: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? ones : zeros).push(i);
  const n = labels.length;
  const counts = new Float64Array(n);
  if (ones.length === 0 || zeros.length === 0) return counts.fill(1);
  const relevantDraws = Math.max(
    ones.length,
    Math.round(relevantDrawShare(ones.length, zeros.length, o) * n),
  );
  const irrelevantDraws = Math.max(1, Math.min(zeros.length, n - relevantDraws));
  for (const i of ones) counts[i] = 1;
  for (let k = ones.length; k < relevantDraws; k++) counts[ones[Math.floor(random() * ones.length)]!]! += 1;
  // Partial Fisher-Yates: the first irrelevantDraws of a shuffle are a uniform subset.
  for (let k = 0; k < irrelevantDraws; k++) {
    const j = k + Math.floor(random() * (zeros.length - k));
    const t = zeros[k]!;
    zeros[k] = zeros[j]!;
    zeros[j] = t;
    counts[zeros[k]!] = 1;
  }
  return counts;
}

/**
 * Trains `classifier` on a resampled set: rows drawn k times weigh k (for the squared-hinge SVM and
 * the weighted likelihoods here that is the same as k copies), rows not drawn are left out. The draw
 * is seeded by the number of labels, so a retrain on the same labels replays exactly.
 */
export function withDynamicResampling(
  classifier: Classifier,
  options: ResamplingOptions = DEFAULT_RESAMPLING,
): Classifier {
  return {
    name: `${classifier.name}+resampling`,
    ...(classifier.tfidf ? { tfidf: classifier.tfidf } : {}),
    train(set: TrainingSet, warm?: WarmStart) {
      const counts = resamplingCounts(set.labels, seededRandom(0xd0b1e ^ set.rows.length), options);
      const keep: number[] = [];
      for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) keep.push(i);
      return classifier.train(
        {
          x: set.x,
          rows: Int32Array.from(keep, (i) => set.rows[i]!),
          labels: Uint8Array.from(keep, (i) => set.labels[i]!),
          weights: Float64Array.from(keep, (i) => counts[i]!),
        },
        warm,
      );
    },
  };
}
