import { WinnowError } from '@winnow/core';
import { hypergeometricCdf, logFactorials } from './hypergeometric.ts';

export interface StoppingOptions {
  /** Recall the team wants to be confident of reaching (0.95 by default). */
  targetRecall: number;
  /** 1 - alpha: stop once H0 "recall < target" is rejected at this level. */
  confidence: number;
}

export const DEFAULT_STOPPING: StoppingOptions = { targetRecall: 0.95, confidence: 0.95 };

export interface StoppingResult {
  /** Smallest p-value over all windows of last-screened records (H0: recall < target). */
  pValue: number;
  /** True when pValue < 1 - confidence: stopping now misses the target with at most that probability. */
  canStop: boolean;
  /** Point estimate of recall from the window giving pValue: found / (found + expected still unseen). */
  estimatedRecall: number;
  /** Size of that window (the last `window` screened records were treated as a random sample). */
  window: number;
  screened: number;
  relevantFound: number;
  total: number;
  targetRecall: number;
  confidence: number;
}

/**
 * The stopping criterion of Callaghan & Mueller-Hansen (2020, Systematic Reviews 9:273).
 * `labels` are the screening outcomes (1 relevant, 0 not) in the order records were screened,
 * out of `total` records. For every window of the last n screened records, treat those n as a
 * random sample drawn without replacement from the N_s records still unseen when the window
 * began. If r_seen relevant records are known now and r_AL were known before the window, recall
 * is below the target exactly when the urn held at least
 *   K_tar = floor(r_seen / target - r_AL) + 1
 * relevant records; the p-value is P(X <= k) for X ~ Hypergeometric(N_s, K_tar, n), k the relevant
 * records in the window. The smallest over all windows is reported, as in the paper. Screening in
 * model order makes relevant records rarer late on than under random sampling, so the test is
 * conservative.
 */
export function stoppingTest(
  labels: ArrayLike<number>,
  total: number,
  options: Partial<StoppingOptions> = {},
  lf?: Float64Array,
): StoppingResult {
  const o = { ...DEFAULT_STOPPING, ...options };
  if (!(o.targetRecall > 0 && o.targetRecall <= 1))
    throw new WinnowError('VALIDATION', `targetRecall must be in (0, 1], got ${o.targetRecall}`);
  if (!(o.confidence > 0 && o.confidence < 1))
    throw new WinnowError('VALIDATION', `confidence must be in (0, 1), got ${o.confidence}`);
  const screened = labels.length;
  if (screened > total)
    throw new WinnowError('VALIDATION', `${screened} records screened but only ${total} in the review`);
  const table = lf && lf.length > total ? lf : logFactorials(total);
  let found = 0;
  for (let i = 0; i < screened; i++) if (labels[i] === 1) found++;
  const result: StoppingResult = {
    pValue: 1,
    canStop: false,
    estimatedRecall: found === 0 ? 0 : 1,
    window: 0,
    screened,
    relevantFound: found,
    total,
    targetRecall: o.targetRecall,
    confidence: o.confidence,
  };
  let bestEstimate = Number.NaN;
  let k = 0;
  for (let n = 1; n <= screened; n++) {
    if (labels[screened - n] === 1) k++;
    const unseenAtStart = total - (screened - n);
    const foundBefore = found - k;
    const kTar = Math.floor(found / o.targetRecall - foundBefore) + 1;
    // More relevant records than the urn could hold: H0 is impossible for this window.
    const p = kTar > unseenAtStart ? 0 : hypergeometricCdf(table, unseenAtStart, kTar, n, k);
    if (p < result.pValue || (p === result.pValue && result.window === 0)) {
      result.pValue = p;
      result.window = n;
      const remaining = (k / n) * (unseenAtStart - n);
      bestEstimate = found + remaining > 0 ? found / (found + remaining) : 1;
    }
  }
  if (!Number.isNaN(bestEstimate)) result.estimatedRecall = bestEstimate;
  result.canStop = result.pValue < 1 - o.confidence;
  return result;
}
