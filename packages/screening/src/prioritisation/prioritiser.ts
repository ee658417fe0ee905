import type { Classifier, LinearModel, WarmStart } from './classifier.types.ts';
import type { CsrMatrix } from './sparse.ts';
import { scoreRows } from './sparse.ts';
import { classifierFromSettings } from './model-settings.ts';
import { DEFAULT_PRIORITISATION_SETTINGS } from './prioritisation-settings.schema.ts';

export interface Labelled {
  /** Feature-matrix row of each labelled record. */
  readonly rows: ArrayLike<number>;
  /** 1 relevant, 0 irrelevant, aligned with rows. */
  readonly labels: ArrayLike<number>;
}

export interface ScoreResult {
  /** One score per record (row of x); null when the labels cannot train a model yet. */
  scores: Float64Array | null;
  model: LinearModel | null;
  warm?: WarmStart;
  /** Decision values (sign = predicted class) for uncertainty picks; null with the scores. */
  decision?: Float64Array | null;
}

/**
 * The classifier of the default settings: the reference's SVM C and ratio, with the switches that
 * leave-one-set-out cross-validation chose (docs/benchmarks.md).
 */
export function defaultClassifier(): Classifier {
  return classifierFromSettings(DEFAULT_PRIORITISATION_SETTINGS);
}

/**
 * Retrain and rescore: the single step both the simulation and the live retrain job run.
 * A model needs at least one relevant and one irrelevant label; before that, scores are null and
 * callers serve records in random order.
 */
export function retrainAndScore(
  x: CsrMatrix,
  labelled: Labelled,
  classifier: Classifier = defaultClassifier(),
  warm?: WarmStart,
): ScoreResult {
  const rows = Int32Array.from(labelled.rows);
  const labels = Uint8Array.from(labelled.labels, (l) => (l === 1 ? 1 : 0));
  let ones = 0;
  for (const l of labels) ones += l;
  if (ones === 0 || ones === labels.length) return { scores: null, model: null };
  const trained = classifier.train({ x, rows, labels }, warm);
  const scores = trained.scores ?? scoreRows(x, trained.model.weights, trained.model.bias);
  return {
    scores,
    model: trained.model,
    decision: trained.decision ?? scores,
    ...(trained.warm ? { warm: trained.warm } : {}),
  };
}
