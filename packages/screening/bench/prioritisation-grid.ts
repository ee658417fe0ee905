// The candidate settings the prioritisation bench measures, and the runs behind its tables: each set's
// features are fitted once per feature setting and shared by every candidate and seed.
import type { CsrMatrix } from '../src/prioritisation/sparse.ts';
import { fitTfidf } from '../src/prioritisation/tfidf.ts';
import { recordText } from '../src/prioritisation/tokenise.ts';
import {
  classifierFromSettings,
  tfidfFor,
  type ModelSettings,
} from '../src/prioritisation/model-settings.ts';
import type { UncertaintyOptions } from '../src/prioritisation/uncertainty.ts';
import type { LabelledRecord } from '../src/simulation/labelled-csv.ts';
import { simulate, type SeedResult } from '../src/simulation/simulate.ts';

export interface Candidate {
  /** Short name in the tables. */
  key: string;
  /** What it is, in words. */
  label: string;
  model: ModelSettings;
  uncertainty?: UncertaintyOptions;
}

const base: ModelSettings = { classifier: 'svm', drugClasses: false, balance: 'weights', internalCv: false };

/**
 * The grid, in the order it runs and breaks ties (the leave-one-set-out choice takes the earlier
 * candidate): the SVM without drug-class terms first, the default (with them) second, the costliest
 * last. Each member is one of the approaches; the grid stays small because every
 * member costs ten seeds on nine sets on a shared machine (the ensemble alone about five SVMs).
 * C and ratio neighbours (0.03-0.07, 15-30) were measured in-sample before (docs/benchmarks.md
 * history) and left out for time; naive Bayes alone is a candidate of the internal CV.
 */
export const CANDIDATES: Candidate[] = [
  { key: 'svm', label: 'SVM C 0.05, ratio 20, no drug-class terms', model: base },
  {
    key: 'svm+drug',
    label: 'SVM C 0.05, ratio 20, drug-class terms (the default)',
    model: { ...base, drugClasses: true },
  },
  {
    key: 'internal-cv',
    label: 'chosen per review by internal CV among SVM, ensemble, naive Bayes (from 5 relevant labels)',
    model: { ...base, internalCv: true },
  },
  {
    key: 'svm+uncertain',
    label: 'SVM, 1 in 10 of the first 100 picks the most uncertain record',
    model: base,
    uncertainty: { share: 0.1, until: 100 },
  },
  {
    key: 'svm+resampling',
    label: 'SVM on a dynamically resampled training set (no fixed ratio)',
    model: { ...base, balance: 'dynamic-resampling' },
  },
  {
    key: 'ensemble',
    label: 'rank average of SVM, naive Bayes and logistic regression',
    model: { ...base, classifier: 'ensemble' },
  },
];

export interface SetRuns {
  name: string;
  records: number;
  relevant: number;
  /** Per candidate key, one result per seed. */
  runs: Map<string, SeedResult[]>;
}

/** Features of one set, fitted once per distinct feature setting. */
export function featuresFor(records: readonly LabelledRecord[]): (m: ModelSettings) => CsrMatrix {
  const cache = new Map<string, CsrMatrix>();
  const texts = records.map(recordText);
  return (m) => {
    const key = JSON.stringify(tfidfFor(m));
    let x = cache.get(key);
    if (!x) cache.set(key, (x = fitTfidf(texts, tfidfFor(m)).matrix));
    return x;
  };
}

/**
 * Runs the grid candidate by candidate (all sets for one, then the next), in `runOrder`, so that if
 * the time budget runs out the candidates measured so far are complete on every set. A candidate
 * still running when the deadline passes finishes its current set and stops; a set it did not reach
 * has no entry in `runs`.
 */
export function runGrid(
  data: readonly { name: string; records: readonly LabelledRecord[] }[],
  candidates: readonly Candidate[],
  seeds: readonly number[],
  deadline: number,
  progress: (line: string) => void = () => {},
): SetRuns[] {
  const sets = data.map((d) => ({
    name: d.name,
    records: d.records.length,
    relevant: d.records.filter((r) => r.label === 1).length,
    runs: new Map<string, SeedResult[]>(),
    features: featuresFor(d.records),
    labels: d.records.map((r) => r.label),
  }));
  for (const c of candidates) {
    for (const set of sets) {
      if (Date.now() > deadline) {
        progress(`${set.name} ${c.key}: not run, time budget spent`);
        continue;
      }
      const started = performance.now();
      const s = simulate(set.features(c.model), set.labels, {
        seeds: [...seeds],
        classifier: classifierFromSettings(c.model),
        ...(c.uncertainty ? { uncertainty: c.uncertainty } : {}),
      });
      set.runs.set(c.key, s.seeds);
      progress(
        `${set.name} ${c.key}: WSS@95 ${s.mean.wss95.mean.toFixed(3)} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
  }
  return sets.map(({ name, records, relevant, runs }) => ({ name, records, relevant, runs }));
}
