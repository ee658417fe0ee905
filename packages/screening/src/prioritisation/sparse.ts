/**
 * Compressed sparse rows: row i holds columns `indices[indptr[i]..indptr[i+1])` with `data` values,
 * columns ascending. The only matrix shape used by prioritisation: 100k records x 1M terms would
 * not fit densely.
 */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float64Array;
}

/** x_i . w (+ bias). */
export function rowDot(m: CsrMatrix, i: number, w: Float64Array): number {
  let s = 0;
  for (let p = m.indptr[i]!, end = m.indptr[i + 1]!; p < end; p++) s += m.data[p]! * w[m.indices[p]!]!;
  return s;
}

/** w += a * x_i */
export function addRow(m: CsrMatrix, i: number, a: number, w: Float64Array): void {
  for (let p = m.indptr[i]!, end = m.indptr[i + 1]!; p < end; p++) w[m.indices[p]!]! += a * m.data[p]!;
}

export function rowSquaredNorm(m: CsrMatrix, i: number): number {
  let s = 0;
  for (let p = m.indptr[i]!, end = m.indptr[i + 1]!; p < end; p++) s += m.data[p]! * m.data[p]!;
  return s;
}

/** Decision values X w + b for every row. */
export function scoreRows(m: CsrMatrix, w: Float64Array, bias: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = rowDot(m, i, w) + bias;
  return out;
}

/** Row i as a column -> value object (tests and debugging). */
export function rowEntries(m: CsrMatrix, i: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let p = m.indptr[i]!, end = m.indptr[i + 1]!; p < end; p++) out.set(m.indices[p]!, m.data[p]!);
  return out;
}
