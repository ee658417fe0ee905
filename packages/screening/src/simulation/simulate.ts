import { WinnowError } from '@winnow/core';
import type { Classifier, WarmStart } from '../prioritisation/classifier.types.ts';
import { logFactorials } from '../prioritisation/hypergeometric.ts';
import { defaultClassifier, retrainAndScore } from '../prioritisation/prioritiser.ts';
import { rankUnlabelled } from '../prioritisation/ranking.ts';
import { permutation, seededRandom } from '../prioritisation/rng.ts';
import type { CsrMatrix } from '../prioritisation/sparse.ts';
import { stoppingTest, type StoppingOptions } from '../prioritisation/stopping-rule.ts';
import { withUncertainPicks, type UncertaintyOptions } from '../prioritisation/uncertainty.ts';
import { meanAndSd, orderMetrics, type OrderMetrics } from './metrics.ts';

export interface SimulationOptions {
  seeds: number[];
  classifier: Classifier;
  /** Labels between retrainings; default max(1, floor(N / 500)) as in REFERENCE.md. */
  batch?: number;
  randomShare: number;
  stopping: Partial<StoppingOptions>;
  /** Spend a share of the early picks on the most uncertain records (uncertainty.ts). */
  uncertainty?: UncertaintyOptions;
}

export interface SeedResult extends OrderMetrics {
  seed: number;
  /** Records screened (the two seed records included) when the stopping rule first fired; null if never. */
  stoppedAfter: number | null;
  /** WSS@95 with the two seed records left out of the order and the counts (ASReview-insights style). */
  wss95ExcludingSeeds: number;
  /** Share of all relevant records found by then. */
  recallAtStop: number | null;
  /** p-value at that point. */
  pValueAtStop: number | null;
  milliseconds: number;
}

export interface SimulationSummary {
  records: number;
  relevant: number;
  classifier: string;
  seeds: SeedResult[];
  mean: Record<
    'wss95' | 'wss95ExcludingSeeds' | 'wss100' | 'recallAt10' | 'atd' | 'stoppedAfter' | 'recallAtStop',
    { mean: number; sd: number }
  >;
  /** Seeds whose stop came before reaching the target recall. */
  stopsBelowTarget: number;
}

/** Replays screening of a labelled review: the same retrainAndScore + rankUnlabelled the live review runs. */
export function simulate(
  x: CsrMatrix,
  labels: ArrayLike<number>,
  options: Partial<SimulationOptions> = {},
): SimulationSummary {
  const seeds = options.seeds ?? [0, 1, 2, 3, 4];
  const classifier = options.classifier ?? defaultClassifier();
  const n = labels.length;
  if (x.rows !== n) throw new WinnowError('VALIDATION', `${x.rows} feature rows for ${n} labels`);
  let relevant = 0;
  for (let i = 0; i < n; i++) relevant += labels[i] === 1 ? 1 : 0;
  if (relevant < 1 || relevant === n)
    throw new WinnowError('VALIDATION', 'simulation needs at least one relevant and one irrelevant record');
  const lf = logFactorials(n);
  const results = seeds.map((seed) => simulateSeed(x, labels, relevant, seed, classifier, options, lf));
  const target = options.stopping?.targetRecall ?? 0.95;
  const pick = (k: keyof SeedResult) =>
    meanAndSd(results.map((r) => (r[k] === null ? Number.NaN : (r[k] as number))));
  return {
    records: n,
    relevant,
    classifier: classifier.name,
    seeds: results,
    mean: {
      wss95: pick('wss95'),
      wss95ExcludingSeeds: pick('wss95ExcludingSeeds'),
      wss100: pick('wss100'),
      recallAt10: pick('recallAt10'),
      atd: pick('atd'),
      stoppedAfter: pick('stoppedAfter'),
      recallAtStop: pick('recallAtStop'),
    },
    stopsBelowTarget: results.filter((r) => r.recallAtStop !== null && r.recallAtStop < target).length,
  };
}

function simulateSeed(
  x: CsrMatrix,
  labels: ArrayLike<number>,
  relevant: number,
  seed: number,
  classifier: Classifier,
  options: Partial<SimulationOptions>,
  lf: Float64Array,
): SeedResult {
  const started = performance.now();
  const n = labels.length;
  const random = seededRandom(seed + 1);
  const ones: number[] = [];
  const zeros: number[] = [];
  for (let i = 0; i < n; i++) (labels[i] === 1 ? ones : zeros).push(i);
  const prior = [ones[Math.floor(random() * ones.length)]!, zeros[Math.floor(random() * zeros.length)]!];
  const tieBreak = permutation(n, random);
  const batch = options.batch ?? Math.max(1, Math.floor(n / 500));
  const randomShare = options.randomShare ?? 0;

  const labelled = new Uint8Array(n);
  const order: number[] = [];
  const outcomes: number[] = [];
  let found = 0;
  const screen = (i: number) => {
    labelled[i] = 1;
    order.push(i);
    outcomes.push(labels[i] === 1 ? 1 : 0);
    if (labels[i] === 1) found++;
  };
  prior.forEach(screen);

  let warm: WarmStart | undefined;
  let stop: { after: number; recall: number; p: number } | null = null;
  while (order.length < n && (found < relevant || stop === null)) {
    let next: number[];
    if (found < relevant) {
      const scored = retrainAndScore(x, { rows: order, labels: outcomes }, classifier, warm);
      warm = scored.warm;
      next = rankUnlabelled(scored.scores ?? tieBreak, labelled, batch, { randomShare, random, tieBreak });
      if (options.uncertainty && scored.decision)
        next = withUncertainPicks(next, scored.decision, labelled, order.length, options.uncertainty);
    } else {
      // Every relevant record is found: whatever the model orders next is irrelevant, and the
      // stopping test depends only on the outcomes, so skip the model.
      next = [];
      for (let i = 0; i < n && next.length < batch; i++) if (!labelled[i]) next.push(i);
    }
    next.forEach(screen);
    if (stop === null) {
      const test = stoppingTest(outcomes, n, options.stopping, lf);
      if (test.canStop) stop = { after: order.length, recall: found / relevant, p: test.pValue };
    }
  }
  // DESIGN.md's definitions count every record, the two seed records included (they are screened
  // first, by people); ASReview-insights leaves them out, which is stricter on small sets (with 20
  // relevant records, 95% then means all 19 that were not seeds), so both are reported.
  const metrics = orderMetrics(outcomes, n);
  const excludingSeeds = orderMetrics(outcomes.slice(prior.length), n - prior.length);
  return {
    seed,
    ...metrics,
    wss95ExcludingSeeds: excludingSeeds.wss95,
    stoppedAfter: stop?.after ?? null,
    recallAtStop: stop?.recall ?? null,
    pValueAtStop: stop?.p ?? null,
    milliseconds: performance.now() - started,
  };
}
