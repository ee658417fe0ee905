import type { Classifier } from '../prioritisation/classifier.types.ts';
import { retrainAndScore } from '../prioritisation/prioritiser.ts';
import { rankUnlabelled } from '../prioritisation/ranking.ts';
import { permutation, seededRandom } from '../prioritisation/rng.ts';
import { rowEntries, type CsrMatrix } from '../prioritisation/sparse.ts';

/**
 * Scores of every row by similarity to one row (the rows are L2-normalised, so this is the cosine):
 * what the criteria document can rank by before any record is labelled.
 */
export function similarityTo(x: CsrMatrix, row: number): Float64Array {
  const w = new Float64Array(x.cols);
  for (const [c, v] of rowEntries(x, row)) w[c] = v;
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let p = x.indptr[i]!, end = x.indptr[i + 1]!; p < end; p++) s += x.data[p]! * w[x.indices[p]!]!;
    out[i] = s;
  }
  return out;
}

export interface FirstRelevantOptions {
  seed: number;
  classifier: Classifier;
  batch: number;
  /**
   * Row of x holding the criteria document (the last row, after the records), or null to screen
   * in random order until a model can train, as a review with no criteria text does.
   */
  criteriaRow: number | null;
}

/**
 * Records screened before the first relevant one, starting from no labels at all. With a criteria
 * document, records come by similarity to it until one is labelled irrelevant, then by a model
 * trained on the criteria document (as a relevant record) and the irrelevant labels so far; without
 * one, in random order. `labels` covers the records only (the criteria row has none).
 */
export function screenedBeforeFirstRelevant(
  x: CsrMatrix,
  labels: ArrayLike<number>,
  options: FirstRelevantOptions,
): number {
  const n = labels.length;
  const random = seededRandom(options.seed + 1);
  const tieBreak = permutation(x.rows, random);
  const labelled = new Uint8Array(x.rows);
  const prior = options.criteriaRow;
  if (prior !== null) labelled[prior] = 1;
  const seen: number[] = [];
  const similarity = prior !== null ? similarityTo(x, prior) : null;
  while (seen.length < n) {
    let scores: ArrayLike<number> = tieBreak;
    if (prior !== null) {
      const trained =
        seen.length > 0
          ? retrainAndScore(
              x,
              { rows: [prior, ...seen], labels: [1, ...seen.map(() => 0)] },
              options.classifier,
            )
          : null;
      scores = trained?.scores ?? similarity!;
    }
    // Random order is a ranking by the random permutation, lowest first: negate it.
    const ranked =
      prior !== null
        ? rankUnlabelled(scores, labelled, options.batch, { tieBreak })
        : rankUnlabelled(
            Float64Array.from(tieBreak, (t) => -t),
            labelled,
            options.batch,
          );
    for (const i of ranked) {
      if (labels[i] === 1) return seen.length;
      labelled[i] = 1;
      seen.push(i);
    }
  }
  return seen.length;
}
