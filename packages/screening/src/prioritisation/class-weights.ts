/**
 * Per-record weights so the relevant records together weigh `ratio` times the irrelevant ones,
 * rescaled to average 1 (so C keeps its meaning as the number of labels grows). This is the
 * balancing behind ASReview's tuned default (ratio 9.8): with 5 relevant among 500 labels, a lone
 * relevant record would otherwise be drowned out.
 */
export function balancedWeights(labels: ArrayLike<number>, ratio: number): Float64Array {
  let n1 = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) n1++;
  const n = labels.length;
  const n0 = n - n1;
  const out = new Float64Array(n).fill(1);
  if (n1 === 0 || n0 === 0) return out;
  const w1 = 1;
  const w0 = n1 / (ratio * n0);
  const scale = n / (n1 * w1 + n0 * w0);
  for (let i = 0; i < n; i++) out[i] = (labels[i] === 1 ? w1 : w0) * scale;
  return out;
}
