import { describe, expect, it } from 'vitest';
import type { CsrMatrix } from './sparse.ts';
import { scoreRows } from './sparse.ts';
import { trainLogisticRegression } from './logistic-regression.ts';

function csr(rows: number[][]): CsrMatrix {
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  for (const r of rows) {
    r.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        data.push(v);
      }
    });
    indptr.push(indices.length);
  }
  return {
    rows: rows.length,
    cols: rows[0]!.length,
    indptr: Int32Array.from(indptr),
    indices: Int32Array.from(indices),
    data: Float64Array.from(data),
  };
}

describe('trainLogisticRegression', () => {
  it('scores records with the relevant term above those without it', () => {
    const x = csr([
      [1, 0, 0.2],
      [0.9, 0, 0],
      [0, 1, 0.1],
      [0, 0.8, 0],
      [0, 1, 0.3],
    ]);
    const labels = Uint8Array.from([1, 1, 0, 0, 0]);
    const { model } = trainLogisticRegression({ x, rows: Int32Array.from([0, 1, 2, 3, 4]), labels });
    expect(model.weights[0]).toBeGreaterThan(0);
    expect(model.weights[1]).toBeLessThan(0);
    const s = scoreRows(x, model.weights, model.bias);
    expect(Math.min(s[0]!, s[1]!)).toBeGreaterThan(Math.max(s[2]!, s[3]!, s[4]!));
  });

  it('shrinks weights harder with a larger penalty and is deterministic', () => {
    const x = csr([
      [1, 0],
      [0, 1],
    ]);
    const set = { x, rows: Int32Array.from([0, 1]), labels: Uint8Array.from([1, 0]) };
    const weak = trainLogisticRegression(set, { lambda: 0 }).model;
    const strong = trainLogisticRegression(set, { lambda: 1 }).model;
    expect(Math.abs(strong.weights[0]!)).toBeLessThan(Math.abs(weak.weights[0]!));
    expect(trainLogisticRegression(set, { lambda: 0 }).model.weights).toEqual(weak.weights);
  });

  it('returns a zero model with no labels', () => {
    const x = csr([[1, 1]]);
    const { model } = trainLogisticRegression({ x, rows: new Int32Array(0), labels: new Uint8Array(0) });
    expect(Array.from(model.weights)).toEqual([0, 0]);
    expect(model.bias).toBe(0);
  });
});
