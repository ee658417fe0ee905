/**
 * Normalised ranks of scores: the lowest score gets 0, the highest 1, ties share their mean rank.
 * Ranks, not raw scores, are what an ensemble of differently scaled models can average.
 */
export function normalisedRanks(scores: ArrayLike<number>): Float64Array {
  const n = scores.length;
  const out = new Float64Array(n);
  if (n <= 1) return out;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 / (n - 1);
    for (let k = i; k <= j; k++) out[order[k]!] = rank;
    i = j + 1;
  }
  return out;
}

/** Mean normalised rank across score vectors of equal length (one per model). */
export function rankAverage(scoreSets: readonly ArrayLike<number>[]): Float64Array {
  const first = scoreSets[0];
  if (first === undefined) throw new Error('rankAverage needs at least one set of scores');
  const n = first.length;
  const out = new Float64Array(n);
  scoreSets.forEach((s, m) => {
    if (s.length !== n)
      throw new Error(`rankAverage: scores of model ${m + 1} have ${s.length} entries, expected ${n}`);
    const r = normalisedRanks(s);
    for (let i = 0; i < n; i++) out[i]! += r[i]! / scoreSets.length;
  });
  return out;
}
