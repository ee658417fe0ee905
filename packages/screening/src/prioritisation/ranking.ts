import { WinnowError } from '@winnow/core';

export interface RankingOptions {
  /** Share of picks (0..1) drawn at random from the unlabelled records instead of by score. */
  randomShare: number;
  /** Random source for random picks; required when randomShare > 0. */
  random?: () => number;
  /**
   * Tie-break key per record (lower first). Without it, ties fall back to record position, and
   * export order often carries label information (some sets list included records first).
   */
  tieBreak?: ArrayLike<number>;
}

/**
 * Unlabelled records, highest score first. With `randomShare` > 0, each slot is filled by a random
 * unlabelled record with that probability: a little exploration guards against the model
 * fixating on one cluster of relevant records.
 */
export function rankUnlabelled(
  scores: ArrayLike<number>,
  labelled: ArrayLike<number>,
  count: number,
  options: Partial<RankingOptions> = {},
): number[] {
  const share = options.randomShare ?? 0;
  if (!(share >= 0 && share <= 1))
    throw new WinnowError('VALIDATION', `randomShare must be in [0, 1], got ${share}`);
  if (share > 0 && !options.random)
    throw new WinnowError('VALIDATION', 'randomShare > 0 needs a random source');
  const tie = options.tieBreak;
  const pool: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!labelled[i]) pool.push(i);
  pool.sort((a, b) => scores[b]! - scores[a]! || (tie ? tie[a]! - tie[b]! : 0) || a - b);
  const want = Math.min(count, pool.length);
  if (share === 0) return pool.slice(0, want);
  const taken = new Uint8Array(scores.length);
  const out: number[] = [];
  let next = 0;
  const random = options.random!;
  while (out.length < want) {
    let pick: number;
    if (random() < share) {
      // Rejection sampling over the pool: fine while few are taken.
      do pick = pool[Math.floor(random() * pool.length)]!;
      while (taken[pick]);
    } else {
      while (taken[pool[next]!]) next++;
      pick = pool[next]!;
    }
    taken[pick] = 1;
    out.push(pick);
  }
  return out;
}
