import { describe, expect, it } from 'vitest';
import { balancedWeights } from './class-weights.ts';
import type { CsrMatrix } from './sparse.ts';
import { trainSvm } from './svm.ts';
import { trainNaiveBayes } from './naive-bayes.ts';

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

const set = (x: CsrMatrix, labels: number[]) => ({
  x,
  rows: Int32Array.from(labels.keys()),
  labels: Uint8Array.from(labels),
});

describe('balancedWeights', () => {
  it('weights relevant records `ratio` times the irrelevant ones in total, averaging 1', () => {
    const w = balancedWeights([1, 0, 0, 0], 2);
    // relevant 1, irrelevant each 1/(2*3) = 1/6: totals 1 and 0.5; scaled by 4/1.5.
    expect(w[0]).toBeCloseTo(8 / 3, 12);
    expect(w[1]).toBeCloseTo(4 / 9, 12);
    expect(w[0]! / (w[1]! * 3)).toBeCloseTo(2, 12);
  });
});

describe('trainSvm (squared hinge, dual coordinate descent)', () => {
  // One feature, x = +1 relevant and x = -1 irrelevant, no intercept, equal weights (ratio 1), C = 1:
  //   min 1/2 w^2 + 2 (1 - w)^2  ->  w - 4 (1 - w) = 0  ->  w = 0.8
  it('finds the hand-computed optimum', () => {
    const { model } = trainSvm(set(csr([[1], [-1]]), [1, 0]), {
      c: 1,
      relevantRatio: 1,
      biasFeature: 0,
      tolerance: 1e-10,
    });
    expect(model.weights[0]).toBeCloseTo(0.8, 8);
    expect(model.bias).toBe(0);
  });

  // Same points, C = 0.5: min 1/2 w^2 + (1 - w)^2 -> w = 2/3.
  it('follows C', () => {
    const { model } = trainSvm(set(csr([[1], [-1]]), [1, 0]), {
      c: 0.5,
      relevantRatio: 1,
      biasFeature: 0,
      tolerance: 1e-10,
    });
    expect(model.weights[0]).toBeCloseTo(2 / 3, 8);
  });

  // x = 1 for both records, relevant and irrelevant, with intercept feature 1 -> the two coordinates are
  // symmetric (w = b). Ratio 3, two records: weights 1.5 (relevant) and 0.5 (irrelevant), C = 1:
  //   f = 1/2 (w^2 + b^2) + 1.5 (1 - s)^2 + 0.5 (1 + s)^2,  s = w + b = 2w
  //   df/dw = w - 3 (1 - 2w) + (1 + 2w) = 0  ->  9w = 2  ->  w = b = 2/9
  it('applies the class balance and the intercept', () => {
    const { model } = trainSvm(set(csr([[1], [1]]), [1, 0]), {
      c: 1,
      relevantRatio: 3,
      biasFeature: 1,
      tolerance: 1e-10,
    });
    expect(model.weights[0]).toBeCloseTo(2 / 9, 8);
    expect(model.bias).toBeCloseTo(2 / 9, 8);
  });

  it('reaches the same optimum from a warm start after a label changes', () => {
    const x = csr([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const opts = { c: 1, relevantRatio: 1, tolerance: 1e-10 };
    const first = trainSvm(set(x, [1, 0, 0]), opts);
    const warm = trainSvm(set(x, [1, 0, 1]), opts, first.warm);
    const cold = trainSvm(set(x, [1, 0, 1]), opts);
    expect(warm.model.weights[0]).toBeCloseTo(cold.model.weights[0]!, 8);
    expect(warm.model.weights[1]).toBeCloseTo(cold.model.weights[1]!, 8);
    expect(warm.model.bias).toBeCloseTo(cold.model.bias, 8);
  });
});

describe('trainNaiveBayes', () => {
  // Two terms; relevant row (1, 0), irrelevant row (0, 1), alpha 1, ratio 1 (equal weights 1 each):
  //   P(t0|1) = (1+1)/(1+2) = 2/3, P(t1|1) = 1/3; P(t0|0) = 1/3, P(t1|0) = 2/3
  //   weight t0 = ln(2/3) - ln(1/3) = ln 2, weight t1 = -ln 2, bias = ln(1/2) - ln(1/2) = 0
  it('matches hand-computed log-ratios', () => {
    const { model } = trainNaiveBayes(
      set(
        csr([
          [1, 0],
          [0, 1],
        ]),
        [1, 0],
      ),
      { alpha: 1, relevantRatio: 1 },
    );
    expect(model.weights[0]).toBeCloseTo(Math.LN2, 12);
    expect(model.weights[1]).toBeCloseTo(-Math.LN2, 12);
    expect(model.bias).toBeCloseTo(0, 12);
  });
});
