import type { Classifier, TrainingSet, WarmStart } from './classifier.types.ts';
import { seededRandom } from './rng.ts';

/**
 * Cormack & Grossman's "presumed non-relevant" trick (BMI, TREC Total Recall): add `count`
 * unlabelled records, drawn at random, as irrelevant. Relevant records are rare, so these are
 * almost always right, and they tell the model what an ordinary record of this review looks like,
 * which labelled records alone (chosen by the model itself) do not. At most a tenth of the
 * unlabelled records are drawn, so on a small review the guess stays a small share of the pool.
 * The draw is seeded by the number of labels, so a retrain replays exactly.
 */
const MAX_SHARE = 0.1;

export function withPresumedIrrelevant(classifier: Classifier, count: number): Classifier {
  return {
    name: classifier.name,
    ...(classifier.tfidf ? { tfidf: classifier.tfidf } : {}),
    train(set: TrainingSet, warm?: WarmStart) {
      const n = set.x.rows;
      const labelled = new Uint8Array(n);
      for (const r of set.rows) labelled[r] = 1;
      const free = n - set.rows.length;
      const want = Math.min(count, Math.floor(free * MAX_SHARE));
      if (want <= 0) return classifier.train(set, warm);
      const random = seededRandom(0x5eed ^ set.rows.length);
      const rows = new Int32Array(set.rows.length + want);
      const labels = new Uint8Array(set.rows.length + want);
      rows.set(set.rows);
      labels.set(set.labels);
      let k = set.rows.length;
      while (k < rows.length) {
        const r = Math.floor(random() * n);
        if (labelled[r]) continue;
        labelled[r] = 1;
        rows[k++] = r;
      }
      return classifier.train({ x: set.x, rows, labels }, warm);
    },
  };
}
