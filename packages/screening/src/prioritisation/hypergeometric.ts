/**
 * ln(k!) for k = 0..n in one table, so each hypergeometric term costs three look-ups instead of
 * products of huge numbers: 100k records would overflow any direct binomial coefficient.
 */
export function logFactorials(n: number): Float64Array {
  const t = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) t[k] = t[k - 1]! + Math.log(k);
  return t;
}

function logChoose(lf: Float64Array, n: number, k: number): number {
  return lf[n]! - lf[k]! - lf[n - k]!;
}

/** ln P(X = j) for X ~ Hypergeometric(population, successes, draws). */
export function hypergeometricLogPmf(
  lf: Float64Array,
  population: number,
  successes: number,
  draws: number,
  j: number,
): number {
  if (j < 0 || j > draws || j > successes || draws - j > population - successes) return -Infinity;
  return (
    logChoose(lf, successes, j) +
    logChoose(lf, population - successes, draws - j) -
    logChoose(lf, population, draws)
  );
}

/**
 * P(X <= k). Summed from j = k downwards: below the mode the terms shrink at least geometrically,
 * so the sum stops once a term no longer changes it, keeping the cost near-constant for small p.
 */
export function hypergeometricCdf(
  lf: Float64Array,
  population: number,
  successes: number,
  draws: number,
  k: number,
): number {
  const lo = Math.max(0, draws - (population - successes));
  const hi = Math.min(k, draws, successes);
  if (hi < lo) return 0;
  if (k >= Math.min(draws, successes)) return 1;
  let sum = 0;
  for (let j = hi; j >= lo; j--) {
    const term = Math.exp(hypergeometricLogPmf(lf, population, successes, draws, j));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.min(1, sum);
}
