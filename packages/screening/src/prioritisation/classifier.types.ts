import type { CsrMatrix } from './sparse.ts';
import type { TfidfOptions } from './tfidf.ts';

/** The labelled part of a review: rows of the feature matrix and their labels (1 relevant, 0 not). */
export interface TrainingSet {
  readonly x: CsrMatrix;
  readonly rows: Int32Array;
  readonly labels: Uint8Array;
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
  train(set: TrainingSet, warm?: WarmStart): { model: LinearModel; warm?: WarmStart };
}

/** Opaque per-classifier state carried between retrainings on the same feature matrix. */
export type WarmStart = object;
