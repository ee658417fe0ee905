import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textWidth, wrapText } from './text-metrics.ts';

describe('text metrics', () => {
  it('measures bold wider than regular and scales with the font size', () => {
    expect(textWidth('Records screened', 12, true)).toBeGreaterThan(textWidth('Records screened', 12));
    expect(textWidth('abc', 24)).toBeCloseTo(2 * textWidth('abc', 12));
    expect(textWidth('W', 10)).toBeGreaterThan(textWidth('i', 10));
  });

  it('wraps within the width, losing no word', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z0-9()=é漢]{1,30}$/), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 40, max: 300 }),
        (words, width) => {
          const lines = wrapText(words.join(' '), width, 12);
          for (const l of lines) expect(textWidth(l, 12)).toBeLessThanOrEqual(width);
          expect(lines.join('').replaceAll(' ', '')).toBe(words.join(''));
        },
      ),
      { numRuns: 200 },
    );
  });
});
