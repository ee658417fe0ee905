export interface KappaResult {
  n: number;
  /** Observed proportion of agreement. */
  observed: number;
  /** Agreement expected by chance from each rater's marginal distribution. */
  expected: number;
  /** Cohen's kappa; null when undefined (no items, or both raters used one and the same category). */
  kappa: number | null;
}

/** Cohen's kappa for two raters over paired nominal ratings. */
export function cohensKappa(pairs: ReadonlyArray<readonly [string, string]>): KappaResult {
  const n = pairs.length;
  if (n === 0) return { n, observed: 0, expected: 0, kappa: null };
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let agree = 0;
  for (const [x, y] of pairs) {
    if (x === y) agree++;
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
  }
  let expected = 0;
  for (const [category, count] of a) expected += (count / n) * ((b.get(category) ?? 0) / n);
  const observed = agree / n;
  // With expected = 1 the statistic is 0/0: report it as undefined rather than pretend.
  const kappa = expected >= 1 ? null : (observed - expected) / (1 - expected);
  return { n, observed, expected, kappa };
}
