import { WinnowError } from '@winnow/core';

export interface UncertaintyOptions {
  /** Share of the early picks given to the most uncertain record (0.1: one pick in ten). */
  share: number;
  /** Only picks before this many records are screened (the two seed records count). */
  until: number;
}

/**
 * A query strategy that spends a small share of the early picks on the records the model is least
 * sure of (decision value nearest 0), so it learns where its boundary is instead of only confirming
 * what it already ranks high. `ranked` is the batch in score order; `screened` how many records
 * were screened before it. Picks number screened+1, screened+2, ... and every round(1/share)-th of
 * them below `until` is replaced by the most uncertain unlabelled record not yet in the batch; the
 * batch keeps its length (the displaced high scorers come back in the next batch).
 */
export function withUncertainPicks(
  ranked: readonly number[],
  decision: ArrayLike<number>,
  labelled: ArrayLike<number>,
  screened: number,
  options: UncertaintyOptions,
): number[] {
  if (!(options.share >= 0 && options.share <= 1))
    throw new WinnowError('VALIDATION', `uncertainty share must be in [0, 1], got ${options.share}`);
  if (options.share === 0 || screened >= options.until) return ranked.slice();
  const every = Math.max(1, Math.round(1 / options.share));
  const slots: number[] = [];
  for (let k = 0; k < ranked.length; k++) {
    const pick = screened + k + 1;
    if (pick <= options.until && pick % every === 0) slots.push(k);
  }
  if (slots.length === 0) return ranked.slice();
  const out = ranked.slice();
  const inBatch = new Set(ranked);
  const pool: number[] = [];
  for (let i = 0; i < decision.length; i++) if (!labelled[i]) pool.push(i);
  pool.sort((a, b) => Math.abs(decision[a]!) - Math.abs(decision[b]!) || a - b);
  let next = 0;
  const chosen = new Set<number>();
  for (const k of slots) {
    while (next < pool.length && (chosen.has(pool[next]!) || inBatch.has(pool[next]!))) next++;
    const pick = pool[next];
    if (pick === undefined) break;
    chosen.add(pick);
    out[k] = pick;
  }
  return out;
}
