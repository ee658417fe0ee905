import { describe, expect, it } from 'vitest';
import { meanAndSd, orderMetrics } from './metrics.ts';

describe('orderMetrics', () => {
  // 20 records, 4 relevant, found at positions 1, 2, 5 and 10 (1-based) of the screening order.
  //   95% of 4 -> ceil(3.8) = 4 records needed -> found after 10: WSS@95 = (20 - 10)/20 - 0.05 = 0.45
  //   WSS@100 = 0.5; after 10% (2 records) 2 of 4 found -> 0.5
  //   ATD = mean of records screened before each (0, 1, 4, 9) / 20 = 3.5 / 20 = 0.175
  const labels = [1, 1, 0, 0, 1, 0, 0, 0, 0, 1];
  it('matches hand-computed values', () => {
    const m = orderMetrics(labels, 20);
    expect(m.wss95).toBeCloseTo(0.45, 12);
    expect(m.wss100).toBeCloseTo(0.5, 12);
    expect(m.recallAt10).toBeCloseTo(0.5, 12);
    expect(m.atd).toBeCloseTo(0.175, 12);
  });

  it('with 40 relevant, 95% means 38', () => {
    const order = [...Array.from({ length: 38 }, () => 1), 0, 0, 1, 1];
    const m = orderMetrics(order, 100);
    expect(m.wss95).toBeCloseTo((100 - 38) / 100 - 0.05, 12);
    expect(m.wss100).toBeCloseTo((100 - 42) / 100, 12);
  });

  it('mean and sample sd', () => {
    expect(meanAndSd([1, 2, 3])).toEqual({ mean: 2, sd: 1 });
    expect(meanAndSd([Number.NaN, 4]).mean).toBe(4);
  });
});
