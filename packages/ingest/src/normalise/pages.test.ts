import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalisePages } from './pages.ts';

describe('normalisePages', () => {
  it.each([
    ['245-59', undefined, { asWritten: '245-59', start: '245', end: '259' }],
    ['1453-62', undefined, { asWritten: '1453-62', start: '1453', end: '1462' }],
    ['159', '74', { asWritten: '159-74', start: '159', end: '174' }],
    ['37', '46', { asWritten: '37-46', start: '37', end: '46' }],
    ['S12--S19', undefined, { asWritten: 'S12-S19', start: 'S12', end: 'S19' }],
    ['e1000097', undefined, { asWritten: 'e1000097', start: 'e1000097' }],
    ['n71', undefined, { asWritten: 'n71', start: 'n71' }],
    ['99-101', undefined, { asWritten: '99-101', start: '99', end: '101' }],
    ['245-3', undefined, { asWritten: '245-3', start: '245', end: '3' }],
  ])('%s %s', (a, b, expected) => {
    expect(normalisePages(a, b)).toEqual(expected);
  });

  it('drops placeholders', () => {
    expect(normalisePages('No', 'Specified')).toBeUndefined();
    expect(normalisePages('', '')).toBeUndefined();
  });

  it('never expands an end below its start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99999 }), fc.integer({ min: 0, max: 99999 }), (s, e) => {
        const p = normalisePages(`${s}-${e}`)!;
        expect(p.start).toBe(String(s));
        if (Number(p.end) >= s) expect(p.end!.endsWith(String(e))).toBe(true);
        // Re-reading the written form gives the same pages.
        expect(normalisePages(p.asWritten)).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });
});
