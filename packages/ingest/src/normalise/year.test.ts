import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseYear } from './year.ts';

const now = new Date('2026-01-01T00:00:00Z');

describe('normaliseYear', () => {
  it.each([
    ['2019//', 2019],
    ['2017 Nov 15', 2017],
    ['2016/09//', 2016],
    ['DEC 16 2020', 2020],
    ['Endoscopic Ultrasound (2014) 3:3', 2014],
  ])('%s', (v, y) => expect(normaliseYear(v, now)).toBe(y));

  it('rejects non-years', () => {
    expect(normaliseYear('10 15', now)).toBeUndefined();
    expect(normaliseYear('12345', now)).toBeUndefined();
    expect(normaliseYear('2999', now)).toBeUndefined();
  });

  it('finds any plausible year written in a date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1500, max: 2027 }), fc.constantFrom('', 'Jan ', '/'), (y, pre) => {
        expect(normaliseYear(`${pre}${y}//`, now)).toBe(y);
      }),
      { numRuns: 200 },
    );
  });
});
