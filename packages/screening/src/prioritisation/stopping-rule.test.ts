import { describe, expect, it } from 'vitest';
import { stoppingTest } from './stopping-rule.ts';

/**
 * Outcomes in screening order: `before` records whose last `found` are relevant (so the run of
 * irrelevant records at the end is exactly `zeros` long), then `zeros` irrelevant records.
 */
function outcomes(before: number, found: number, zeros: number): number[] {
  return [
    ...Array.from({ length: before }, (_, i) => (i >= before - found ? 1 : 0)),
    ...Array.from({ length: zeros }, () => 0),
  ];
}

describe('stoppingTest (Callaghan & Mueller-Hansen 2020)', () => {
  // Worked example by hand. N = 1000 records; 400 screened with 50 relevant, then 100 irrelevant in a row.
  // Window n = 100: the urn when it began held N_s = 600 unseen records, r_AL = 50 found before it, k = 0.
  //   K_tar = floor(50 / 0.95 - 50) + 1 = floor(2.63) + 1 = 3
  //   p = P(X <= 0), X ~ Hyp(600, 3, 100) = C(597,100)/C(600,100) = (500*499*498)/(600*599*598) = 0.578123
  // Longer windows reach back into relevant records (k > 0) and give larger p, shorter ones too, so
  // the minimum over windows is this one.
  it('matches a hand-computed p-value', () => {
    const r = stoppingTest(outcomes(400, 50, 100), 1000);
    expect(r.window).toBe(100);
    expect(r.pValue).toBeCloseTo((500 * 499 * 498) / (600 * 599 * 598), 10);
    expect(r.canStop).toBe(false);
    expect(r.relevantFound).toBe(50);
    expect(r.estimatedRecall).toBe(1);
  });

  // Target 0.9: K_tar = floor(50 / 0.9 - 50) + 1 = floor(5.56) + 1 = 6 ->
  //   p = prod_{i=0..5} (500 - i) / (600 - i)
  it('follows the target recall', () => {
    let expected = 1;
    for (let i = 0; i < 6; i++) expected *= (500 - i) / (600 - i);
    expect(stoppingTest(outcomes(400, 50, 100), 1000, { targetRecall: 0.9 }).pValue).toBeCloseTo(
      expected,
      10,
    );
  });

  // 100 screened with 50 relevant, then 700 irrelevant: window 700 drawn from N_s = 900, K_tar = 3:
  //   p = C(897,700)/C(900,700) = (200*199*198)/(900*899*898) = 0.010846 < 0.05 -> stop.
  // 400 screened, then 300 irrelevant: window 300 from N_s = 1000 - 400 = 600: p = (300*299*298)/(600*599*598) = 0.1244.
  it('rejects H0 once a long run of irrelevant records makes missing 5% unlikely', () => {
    const longRun = stoppingTest(outcomes(100, 50, 700), 1000);
    expect(longRun.window).toBe(700);
    expect(longRun.pValue).toBeCloseTo((200 * 199 * 198) / (900 * 899 * 898), 10);
    expect(longRun.canStop).toBe(true);
    const shortRun = stoppingTest(outcomes(400, 50, 300), 1000);
    expect(shortRun.pValue).toBeCloseTo((300 * 299 * 298) / (600 * 599 * 598), 10);
    expect(shortRun.canStop).toBe(false);
  });

  it('estimates recall from the window with relevant records in it', () => {
    // 10 screened in the window with 1 relevant, 90 unseen after it: expect 9 more -> recall 5/(5+9).
    const labels = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const r = stoppingTest(labels, 104);
    expect(r.pValue).toBeGreaterThan(0.05);
    expect(r.estimatedRecall).toBeGreaterThan(0);
    expect(r.estimatedRecall).toBeLessThan(1);
  });

  it('can always stop once every record is screened', () => {
    expect(stoppingTest(outcomes(20, 5, 0), 20).canStop).toBe(true);
  });

  it('runs on 100k records', () => {
    const r = stoppingTest(outcomes(20_000, 300, 30_000), 100_000);
    expect(r.canStop).toBe(true);
  });

  it('rejects bad parameters', () => {
    expect(() => stoppingTest([1], 1, { targetRecall: 1.5 })).toThrow(/targetRecall/);
    expect(() => stoppingTest([1, 0], 1)).toThrow(/screened/);
  });
});
