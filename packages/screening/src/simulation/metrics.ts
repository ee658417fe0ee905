export interface OrderMetrics {
  /** Work saved over sampling at 95% recall: share of records left unscreened then, minus 0.05. */
  wss95: number;
  /** Share of records left unscreened when the last relevant record is found. */
  wss100: number;
  /** Share of relevant records found after screening 10% of the records. */
  recallAt10: number;
  /** Average time to discovery: mean share of records screened before each relevant record. */
  atd: number;
}

/**
 * Metrics of one screening order. `labels` are outcomes in screening order (1 relevant) and must
 * contain every relevant record of the `total`; records after the last relevant one may be omitted.
 * The simulation passes the full order (seed records first) and also the order without them.
 */
export function orderMetrics(labels: ArrayLike<number>, total: number): OrderMetrics {
  let relevant = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) relevant++;
  if (relevant === 0 || total === 0)
    return { wss95: Number.NaN, wss100: Number.NaN, recallAt10: Number.NaN, atd: Number.NaN };
  const need95 = Math.ceil(0.95 * relevant);
  const tenPercent = Math.ceil(0.1 * total);
  let found = 0;
  let at95 = -1;
  let at100 = -1;
  let foundAt10 = 0;
  let sumBefore = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) {
      found++;
      sumBefore += i;
      if (found === need95) at95 = i + 1;
      if (found === relevant) at100 = i + 1;
    }
    if (i + 1 === tenPercent) foundAt10 = found;
  }
  if (labels.length < tenPercent) foundAt10 = found;
  return {
    wss95: (total - at95) / total - 0.05,
    wss100: (total - at100) / total,
    recallAt10: foundAt10 / relevant,
    atd: sumBefore / relevant / total,
  };
}

export function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const xs = values.filter((v) => !Number.isNaN(v));
  if (xs.length === 0) return { mean: Number.NaN, sd: Number.NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd };
}
