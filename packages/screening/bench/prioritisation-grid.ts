// The candidate settings the prioritisation bench measures, and the runs behind its tables: each set's
// features are fitted once per feature setting and shared by every candidate and seed.
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { CsrMatrix } from '../src/prioritisation/sparse.ts';
import { fitTfidf } from '../src/prioritisation/tfidf.ts';
import { recordText } from '../src/prioritisation/tokenise.ts';
import { tfidfFor, type ModelSettings } from '../src/prioritisation/model-settings.ts';
import { DEFAULT_SVM } from '../src/prioritisation/svm.ts';
import type { UncertaintyOptions } from '../src/prioritisation/uncertainty.ts';
import type { LabelledRecord } from '../src/simulation/labelled-csv.ts';
import type { SeedResult } from '../src/simulation/simulate.ts';

const WORKER = new URL('./prioritisation-grid-worker.ts', import.meta.url);

export interface Candidate {
  /** Short name in the tables. */
  key: string;
  /** What it is, in words. */
  label: string;
  model: ModelSettings;
  uncertainty?: UncertaintyOptions;
  /**
   * Its inner settings were tuned on these very sets: shown in the grid for comparison, never chosen,
   * since a leave-one-set-out choice among them would have seen the held-out set through the tuning.
   */
  tunedOnTheseSets?: true;
}

const base: ModelSettings = { classifier: 'svm', drugClasses: false, balance: 'weights', internalCv: false };
/** The default SVM's C and ratio, as the labels name them. */
const ref = `SVM C ${DEFAULT_SVM.c}, ratio ${DEFAULT_SVM.relevantRatio}`;
/** C and ratio the nine sets chose for the SVM in 2026-12-01/03 simulations (in-sample). */
export const TUNED_HERE = { c: 0.05, relevantRatio: 20 };
const tuned = `SVM C ${TUNED_HERE.c}, ratio ${TUNED_HERE.relevantRatio} (tuned on these sets)`;

/**
 * The grid, in the order it runs and breaks ties (the leave-one-set-out choice takes the earlier
 * candidate). Every candidate's SVM takes its C and relevant-weight ratio from the reference
 * configuration (svm.ts DEFAULT_SVM, ASReview's published default, fixed without these sets) and,
 * unless it says otherwise, 100 unlabelled records presumed irrelevant at each retrain; the rows
 * after the first four add one of the issue's approaches. The last two rows are the SVM
 * settings these sets chose earlier, measured for comparison and not candidates. The grid stays small
 * because every member costs ten seeds on nine sets (the ensemble alone about four SVMs).
 */
export const CANDIDATES: Candidate[] = [
  { key: 'svm', label: `${ref}, no drug-class terms`, model: base },
  {
    key: 'svm+drug',
    label: `${ref}, drug-class terms (the default)`,
    model: { ...base, drugClasses: true },
  },
  {
    key: 'svm-nopresumed',
    label: `${ref}, no drug-class terms, no records presumed irrelevant`,
    model: { ...base, svm: { presumedIrrelevant: 0 } },
  },
  {
    key: 'svm+drug-nopresumed',
    label: `${ref}, drug-class terms, no records presumed irrelevant`,
    model: { ...base, drugClasses: true, svm: { presumedIrrelevant: 0 } },
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
  {
    key: 'svm-tuned',
    label: `${tuned}, no drug-class terms`,
    model: { ...base, svm: TUNED_HERE },
    tunedOnTheseSets: true,
  },
  {
    key: 'svm-tuned+drug',
    label: `${tuned}, drug-class terms (the default until 2026-12-06)`,
    model: { ...base, drugClasses: true, svm: TUNED_HERE },
    tunedOnTheseSets: true,
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

/** One cell of the grid, sent to a worker process. */
export interface GridCell {
  id: number;
  /** The labelled set's CSV. */
  file: string;
  candidate: Candidate;
  seeds: number[];
}

export interface GridCellResult {
  id: number;
  seeds: SeedResult[];
  meanWss: number;
  seconds: number;
}

/**
 * Runs the grid candidate by candidate (all sets for one, then the next) on `workers` child processes
 * (prioritisation-grid-worker.ts), so that if the time budget runs out the candidates measured so far
 * are complete on every set. A cell not started when the deadline passes is not run; a set a
 * candidate did not reach has no entry in `runs`. Each cell is deterministic (its seeds fix it), so
 * the figures do not depend on how many workers ran them.
 */
export async function runGrid(
  data: readonly { name: string; file: string; records: readonly LabelledRecord[] }[],
  candidates: readonly Candidate[],
  seeds: readonly number[],
  deadline: number,
  progress: (line: string) => void = () => {},
  workers = Math.max(1, os.availableParallelism()),
): Promise<SetRuns[]> {
  const sets = data.map((d) => ({
    name: d.name,
    records: d.records.length,
    relevant: d.records.filter((r) => r.label === 1).length,
    runs: new Map<string, SeedResult[]>(),
  }));
  const cells = candidates.flatMap((candidate) =>
    data.map((d, setIndex) => ({ candidate, setIndex, file: d.file })),
  );
  let next = 0;
  const children = new Set<ChildProcess>();
  const worker = async () => {
    // 'advanced' (structured clone) keeps NaN, which JSON would turn into null.
    const child = fork(WORKER, [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    children.add(child);
    const failed = new Promise<never>((_, reject) => {
      child.once('exit', (code, signal) =>
        reject(new Error(`prioritisation grid worker exited (${signal ?? `code ${code}`})`)),
      );
      child.once('error', reject);
    });
    try {
      while (next < cells.length) {
        const id = next++;
        const cell = cells[id]!;
        const set = sets[cell.setIndex]!;
        if (Date.now() > deadline) {
          progress(`${set.name} ${cell.candidate.key}: not run, time budget spent`);
          continue;
        }
        const answer = new Promise<GridCellResult>((resolve) => {
          const onMessage = (m: GridCellResult) => {
            if (m.id !== id) return;
            child.off('message', onMessage);
            resolve(m);
          };
          child.on('message', onMessage);
        });
        child.send({ id, file: cell.file, candidate: cell.candidate, seeds: [...seeds] } satisfies GridCell);
        const r = await Promise.race([answer, failed]);
        set.runs.set(cell.candidate.key, r.seeds);
        progress(
          `${set.name} ${cell.candidate.key}: WSS@95 ${r.meanWss.toFixed(3)} (${r.seconds.toFixed(1)} s)`,
        );
      }
    } catch (err) {
      // One worker failed: no cell starts after it, and the others' children stop now.
      next = cells.length;
      for (const c of children) c.kill();
      throw err;
    } finally {
      child.removeAllListeners('exit');
      failed.catch(() => {});
      child.kill();
    }
  };
  const done = await Promise.allSettled(Array.from({ length: Math.min(workers, cells.length) }, worker));
  const failure = done.find((d) => d.status === 'rejected');
  if (failure) throw failure.reason;
  // Runs in the order of the candidates, whatever order the workers finished in.
  return sets.map((s) => ({
    ...s,
    runs: new Map(
      candidates.flatMap((c) => (s.runs.has(c.key) ? [[c.key, s.runs.get(c.key)!] as const] : [])),
    ),
  }));
}
