import type { Classifier, TrainingSet, WarmStart } from './classifier.types.ts';
import { rankAverage } from './rank-average.ts';
import { scoreRows } from './sparse.ts';

interface EnsembleWarm {
  members: (WarmStart | undefined)[];
}

/**
 * Several classifiers trained on the same labels, their scores combined by rank average
 * (rank-average.ts): models whose scores live on different scales (SVM margins, naive Bayes
 * log-odds, logistic log-odds) each vote with their order. The decision value for uncertainty picks
 * is the mean of the members' decision values, each divided by its spread over the records, so the
 * boundary stays at 0.
 */
export function ensembleClassifier(members: readonly Classifier[], name = 'ensemble'): Classifier {
  if (members.length === 0) throw new Error('an ensemble needs at least one member');
  const tfidf = members[0]!.tfidf;
  return {
    name,
    ...(tfidf ? { tfidf } : {}),
    train(set: TrainingSet, warm?: WarmStart) {
      const prev = (warm as EnsembleWarm | undefined)?.members ?? [];
      const next: (WarmStart | undefined)[] = [];
      const scoreSets: Float64Array[] = [];
      const decision = new Float64Array(set.x.rows);
      let first: ReturnType<Classifier['train']> | undefined;
      members.forEach((m, k) => {
        const r = m.train(set, prev[k]);
        first ??= r;
        next.push(r.warm);
        const scores = r.scores ?? scoreRows(set.x, r.model.weights, r.model.bias);
        scoreSets.push(scores);
        const d = r.decision ?? scores;
        let sq = 0;
        for (let i = 0; i < d.length; i++) sq += d[i]! * d[i]!;
        const scale = sq > 0 ? 1 / Math.sqrt(sq / d.length) : 0;
        for (let i = 0; i < d.length; i++) decision[i]! += (d[i]! * scale) / members.length;
      });
      const ensembleWarm: EnsembleWarm = { members: next };
      return { model: first!.model, warm: ensembleWarm, scores: rankAverage(scoreSets), decision };
    },
  };
}
