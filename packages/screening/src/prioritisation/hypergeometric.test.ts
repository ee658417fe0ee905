import { describe, expect, it } from 'vitest';
import { hypergeometricCdf, hypergeometricLogPmf, logFactorials } from './hypergeometric.ts';

describe('hypergeometric', () => {
  const lf = logFactorials(200);
  it('pmf matches direct binomials on a small urn', () => {
    // 10 balls, 4 red, draw 3: P(X = 1) = C(4,1) C(6,2) / C(10,3) = 4 * 15 / 120 = 0.5
    expect(Math.exp(hypergeometricLogPmf(lf, 10, 4, 3, 1))).toBeCloseTo(0.5, 12);
    // P(X = 0) = C(6,3)/C(10,3) = 20/120
    expect(hypergeometricCdf(lf, 10, 4, 3, 0)).toBeCloseTo(1 / 6, 12);
    // P(X <= 1) = 1/6 + 1/2
    expect(hypergeometricCdf(lf, 10, 4, 3, 1)).toBeCloseTo(2 / 3, 12);
    expect(hypergeometricCdf(lf, 10, 4, 3, 3)).toBe(1);
  });

  it('stays finite for 100k-record urns (log space)', () => {
    const big = logFactorials(100_000);
    const p = hypergeometricCdf(big, 100_000, 500, 20_000, 50);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-6);
  });
});
