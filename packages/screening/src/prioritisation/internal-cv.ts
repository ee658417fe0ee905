import type { Classifier, TrainingSet, WarmStart } from './classifier.types.ts';
import { rowDot } from './sparse.ts';

export interface InternalCvOptions {
  /** No choice before this many relevant labels: the first candidate serves until then. */
  minRelevant: number;
  /** Stratified folds of the labels. */
  folds: number;
}

export const DEFAULT_INTERNAL_CV: InternalCvOptions = { minRelevant: 5, folds: 3 };

/** Probability that a relevant record outscores an irrelevant one (ties count half). */
export function aucOf(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let ones = 0;
  let rankSum = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[idx[k]!] !== 1) continue;
      ones++;
      rankSum += rank;
    }
    i = j + 1;
  }
  const zeros = idx.length - ones;
  if (ones === 0 || zeros === 0) return Number.NaN;
  return (rankSum - (ones * (ones + 1)) / 2) / (ones * zeros);
}

/**
 * Fold of each label: relevant and irrelevant labels are each dealt round-robin in the order they
 * were screened, so every fold holds relevant records from early and late in the review.
 */
export function stratifiedFolds(labels: ArrayLike<number>, folds: number): Int32Array {
  const out = new Int32Array(labels.length);
  const next = [0, 0];
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i] === 1 ? 1 : 0;
    out[i] = next[c]! % folds;
    next[c]!++;
  }
  return out;
}

/**
 * Mean held-out AUC of each candidate over stratified folds of the labels seen so far. The labels
 * were chosen by a model, so the held-out irrelevant records are the hard ones: the figure ranks
 * candidates, it does not estimate their recall. Folds whose held-out part lacks a class are skipped.
 */
export function internalCvScores(
  candidates: readonly Classifier[],
  set: TrainingSet,
  folds: number,
): number[] {
  const fold = stratifiedFolds(set.labels, folds);
  return candidates.map((c) => {
    let sum = 0;
    let used = 0;
    for (let f = 0; f < folds; f++) {
      const train: number[] = [];
      const test: number[] = [];
      for (let i = 0; i < set.rows.length; i++) (fold[i] === f ? test : train).push(i);
      const trainLabels = Uint8Array.from(train, (i) => set.labels[i]!);
      const ones = trainLabels.reduce((a, b) => a + b, 0);
      if (ones === 0 || ones === trainLabels.length) continue;
      const { model, scores } = c.train({
        x: set.x,
        rows: Int32Array.from(train, (i) => set.rows[i]!),
        labels: trainLabels,
      });
      const held = test.map((i) =>
        scores ? scores[set.rows[i]!]! : rowDot(set.x, set.rows[i]!, model.weights) + model.bias,
      );
      const auc = aucOf(
        held,
        test.map((i) => set.labels[i]!),
      );
      if (Number.isNaN(auc)) continue;
      sum += auc;
      used++;
    }
    return used > 0 ? sum / used : Number.NaN;
  });
}

/** Index of the best score; ties and NaN go to the earlier candidate (list the default first). */
export function bestCandidate(scores: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++)
    if (scores[i]! > (Number.isNaN(scores[best]!) ? -Infinity : scores[best]!)) best = i;
  return best;
}

interface InternalCvWarm {
  chosen: number;
  /** Relevant labels when the choice was made (0: not yet made). */
  decidedAt: number;
  members: (WarmStart | undefined)[];
}

/**
 * Chooses among `candidates` per review from its own labels: the first candidate serves until
 * `minRelevant` relevant labels exist; then internal cross-validation picks one, and picks again
 * each time the relevant labels double (5, 10, 20, ...), so the cost stays a few trainings per
 * choice. The choice travels in the warm start, which the simulation and the live retrain both keep.
 */
export function internalCvClassifier(
  candidates: readonly Classifier[],
  options: Partial<InternalCvOptions> = {},
  name = 'internal-cv',
): Classifier {
  const o = { ...DEFAULT_INTERNAL_CV, ...options };
  if (candidates.length === 0) throw new Error('internal cross-validation needs at least one candidate');
  const tfidf = candidates[0]!.tfidf;
  return {
    name,
    ...(tfidf ? { tfidf } : {}),
    train(set: TrainingSet, warm?: WarmStart) {
      const prev = warm as InternalCvWarm | undefined;
      const state: InternalCvWarm = prev
        ? { ...prev, members: prev.members.slice() }
        : { chosen: 0, decidedAt: 0, members: [] };
      let ones = 0;
      for (const l of set.labels) ones += l;
      if (ones >= o.minRelevant && (state.decidedAt === 0 || ones >= 2 * state.decidedAt)) {
        state.chosen = bestCandidate(internalCvScores(candidates, set, o.folds));
        state.decidedAt = ones;
      }
      const result = candidates[state.chosen]!.train(set, state.members[state.chosen]);
      state.members[state.chosen] = result.warm;
      return { ...result, warm: state };
    },
  };
}

/** Which candidate a warm start from internalCvClassifier has chosen (reports and tests). */
export function internalCvChoice(warm: WarmStart | undefined): number | null {
  const w = warm as Partial<InternalCvWarm> | undefined;
  return w && typeof w.chosen === 'number' && w.decidedAt ? w.chosen : null;
}
