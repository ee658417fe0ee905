/**
 * Agreement between two raters over the same items, from a square contingency table
 * (`table[i][j]`: items rater A put in category i and rater B in category j).
 */
export interface AgreementStats {
  n: number;
  /** Observed proportion of agreement. */
  percentAgreement: number | null;
  /** Agreement expected by chance from the raters' marginals. */
  expectedAgreement: number | null;
  /** Cohen's kappa; null when undefined (no items, or chance agreement is 1). */
  kappa: number | null;
  /** Prevalence-adjusted bias-adjusted kappa (Byrt, Bishop & Carlin 1993): (k·po − 1)/(k − 1). */
  pabak: number | null;
}

export function agreementFromTable(table: readonly (readonly number[])[]): AgreementStats {
  const k = table.length;
  if (k < 2 || table.some((row) => row.length !== k)) {
    throw new RangeError(`agreement needs a square table with at least 2 categories, got ${k} rows`);
  }
  let n = 0;
  let agree = 0;
  const rowSums = new Array<number>(k).fill(0);
  const colSums = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const c = table[i]![j]!;
      if (!Number.isFinite(c) || c < 0)
        throw new RangeError(`cell [${i}][${j}] must be a non-negative count, got ${c}`);
      n += c;
      rowSums[i]! += c;
      colSums[j]! += c;
      if (i === j) agree += c;
    }
  }
  if (n === 0) return { n, percentAgreement: null, expectedAgreement: null, kappa: null, pabak: null };
  const po = agree / n;
  let pe = 0;
  for (let i = 0; i < k; i++) pe += (rowSums[i]! / n) * (colSums[i]! / n);
  // pe = 1 only when both raters used one and the same category throughout: kappa is 0/0 there.
  const kappa = pe >= 1 - 1e-12 ? null : (po - pe) / (1 - pe);
  const pabak = (k * po - 1) / (k - 1);
  return { n, percentAgreement: po, expectedAgreement: pe, kappa, pabak };
}

/** Builds the contingency table from paired ratings. */
export function tableFromPairs<C extends string>(
  categories: readonly C[],
  pairs: readonly (readonly [C, C])[],
): number[][] {
  const index = new Map(categories.map((c, i) => [c, i]));
  const table = categories.map(() => categories.map(() => 0));
  for (const [a, b] of pairs) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined)
      throw new RangeError(`rating "${i === undefined ? a : b}" is not one of ${categories.join(', ')}`);
    table[i]![j]! += 1;
  }
  return table;
}

export function addTables(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number[][] {
  return a.map((row, i) => row.map((c, j) => c + (b[i]?.[j] ?? 0)));
}
