// Summaries the prioritisation bench prints: means with t-based 95% intervals over seeds.

/** Two-sided 95% Student t quantiles by degrees of freedom (1..30); beyond 30 the normal's 1.96 is close enough. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

/** Mean and t-based 95% interval of the values (NaN left out). */
export function tInterval(values: readonly number[]): Interval {
  const xs = values.filter((v) => !Number.isNaN(v));
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN, n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, low: Number.NaN, high: Number.NaN, n };
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = (T975[n - 2] ?? 1.96) * (sd / Math.sqrt(n));
  return { mean, low: mean - half, high: mean + half, n };
}

export const fmt = (x: number, d = 3) => (Number.isNaN(x) ? '–' : x.toFixed(d));
export const fmtInterval = (i: Interval, d = 3) =>
  Number.isNaN(i.low) ? fmt(i.mean, d) : `${fmt(i.mean, d)} [${fmt(i.low, d)}, ${fmt(i.high, d)}]`;

export function mean(values: readonly number[]): number {
  const xs = values.filter((v) => !Number.isNaN(v));
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
}
