import { describe, expect, it } from 'vitest';
import { agreementFromTable, tableFromPairs } from './kappa.ts';

describe('agreementFromTable', () => {
  it('matches the classic 50-item example: po 0.70, pe 0.50, kappa 0.40', () => {
    // Rater A yes/no in rows, rater B in columns: 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no.
    // pe = 0.5·0.6 + 0.5·0.4 = 0.5 by hand.
    const s = agreementFromTable([
      [20, 5],
      [10, 15],
    ]);
    expect(s.n).toBe(50);
    expect(s.percentAgreement).toBeCloseTo(0.7, 10);
    expect(s.expectedAgreement).toBeCloseTo(0.5, 10);
    expect(s.kappa).toBeCloseTo(0.4, 10);
    expect(s.pabak).toBeCloseTo(0.4, 10);
  });

  it('shows the prevalence paradox: same po 0.60, kappa 0.1304 vs 0.2593 (Feinstein & Cicchetti)', () => {
    // Table 1: 45 15 / 25 15 -> pe = .6·.7 + .4·.3 = .54, kappa = .06/.46 = 0.130435
    const a = agreementFromTable([
      [45, 15],
      [25, 15],
    ]);
    // Table 2: 25 35 / 5 35 -> pe = .6·.3 + .4·.7 = .46, kappa = .14/.54 = 0.259259
    const b = agreementFromTable([
      [25, 35],
      [5, 35],
    ]);
    expect(a.percentAgreement).toBeCloseTo(0.6, 10);
    expect(b.percentAgreement).toBeCloseTo(0.6, 10);
    expect(a.kappa).toBeCloseTo(0.06 / 0.46, 10);
    expect(b.kappa).toBeCloseTo(0.14 / 0.54, 10);
    // PABAK ignores prevalence and bias: both 2·0.6 − 1 = 0.2.
    expect(a.pabak).toBeCloseTo(0.2, 10);
    expect(b.pabak).toBeCloseTo(0.2, 10);
  });

  it('screening-typical skew: high agreement, low kappa, high PABAK', () => {
    // 100 records, 2 include-include, 3 + 3 disagreements, 92 exclude-exclude.
    // po = .94; marginals .05/.95 both: pe = .0025 + .9025 = .905; kappa = .035/.095 = 0.368421
    const s = agreementFromTable([
      [2, 3],
      [3, 92],
    ]);
    expect(s.kappa).toBeCloseTo(0.035 / 0.095, 10);
    expect(s.pabak).toBeCloseTo(0.88, 10);
  });

  it('three categories, worked by hand', () => {
    // n = 100, diagonal 25 + 20 + 15 = 60 -> po = 0.60.
    // Row sums 40/30/30, column sums 35/35/30 -> pe = .40·.35 + .30·.35 + .30·.30 = .335.
    // kappa = (.60 − .335)/(1 − .335) = .265/.665 = 0.398496; PABAK = (3·.6 − 1)/2 = 0.40.
    const s = agreementFromTable([
      [25, 10, 5],
      [0, 20, 10],
      [10, 5, 15],
    ]);
    expect(s.n).toBe(100);
    expect(s.percentAgreement).toBeCloseTo(0.6, 10);
    expect(s.expectedAgreement).toBeCloseTo(0.335, 10);
    expect(s.kappa).toBeCloseTo(0.265 / 0.665, 10);
    expect(s.pabak).toBeCloseTo(0.4, 10);
  });

  it('perfect agreement is 1, systematic opposite agreement is negative', () => {
    expect(
      agreementFromTable([
        [10, 0],
        [0, 10],
      ]).kappa,
    ).toBe(1);
    expect(
      agreementFromTable([
        [0, 10],
        [10, 0],
      ]).kappa,
    ).toBe(-1);
  });

  it('is undefined when both raters used one category only, and for no items', () => {
    const s = agreementFromTable([
      [0, 0],
      [0, 30],
    ]);
    expect(s.kappa).toBeNull();
    expect(s.percentAgreement).toBe(1);
    expect(s.pabak).toBe(1);
    expect(
      agreementFromTable([
        [0, 0],
        [0, 0],
      ]).kappa,
    ).toBeNull();
  });

  it('rejects non-square tables and negative counts', () => {
    expect(() => agreementFromTable([[1, 2]])).toThrow(/square/);
    expect(() =>
      agreementFromTable([
        [1, -1],
        [0, 1],
      ]),
    ).toThrow(/non-negative/);
  });
});

describe('tableFromPairs', () => {
  it('counts pairs into cells and rejects unknown ratings', () => {
    const t = tableFromPairs(['y', 'n'] as const, [
      ['y', 'y'],
      ['y', 'n'],
      ['n', 'n'],
      ['n', 'n'],
    ]);
    expect(t).toEqual([
      [1, 1],
      [0, 2],
    ]);
    expect(() => tableFromPairs(['y', 'n'], [['y', 'x']])).toThrow(/"x"/);
  });
});
