import type { CsrMatrix } from './sparse.ts';
import type { TfidfOptions } from './tfidf.ts';

/** The labelled part of a review: rows of the feature matrix and their labels (1 relevant, 0 not). */
export interface TrainingSet {
  readonly x: CsrMatrix;
  readonly rows: Int32Array;
  readonly labels: Uint8Array;
  /**
   * Per-row weights that replace the classifier's own class balancing (dynamic resampling passes
   * how many times each row was drawn). Aligned with rows; rows weighted 0 are left out by the caller.
   */
  readonly weights?: Float64Array;
}

/** score(record) = w . x + bias; higher means more likely relevant. */
export interface LinearModel {
  readonly weights: Float64Array;
  readonly bias: number;
}

/**
 * A classifier trains a linear model. `warm` is whatever the previous training returned for the
 * same feature matrix (keyed by row), so retraining after a few more labels starts close to the answer.
 */
export interface Classifier {
  readonly name: string;
  /**
   * TF-IDF settings the classifier was tuned with; whoever fits the features for it (simulation,
   * live retrain, bench) applies these over the defaults, so both paths see the same features.
   */
  readonly tfidf?: Partial<TfidfOptions>;
  train(set: TrainingSet, warm?: WarmStart): TrainResult;
}

export interface TrainResult {
  model: LinearModel;
  warm?: WarmStart;
  /**
   * Scores for every row of x when they are not the linear model's (a rank-averaged ensemble);
   * `model` is then the first member's, kept for whoever inspects weights.
   */
  scores?: Float64Array;
  /**
   * Decision values whose sign is the predicted class (0 is the boundary), for uncertainty picks;
   * the linear model's scores when absent.
   */
  decision?: Float64Array;
}

/** Opaque per-classifier state carried between retrainings on the same feature matrix. */
export type WarmStart = object;
