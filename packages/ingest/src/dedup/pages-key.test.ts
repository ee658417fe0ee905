import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pagesKey, volumeKey } from './pages-key.ts';

describe('pagesKey', () => {
  it.each([
    ['245-59', { start: 245, end: 259 }],
    ['245-259', { start: 245, end: 259 }],
    ['1202-7', { start: 1202, end: 1207 }],
    ['e115-e118', { start: 115, end: 118 }],
    ['e115-8', { start: 115, end: 118 }],
    ['083-087', { start: 83, end: 87 }],
    ['A1‐A18', { start: 1, end: 18 }],
    ['S568‐', { start: 568 }],
    ['S-1252', { start: 1252 }],
    ['Cd010458', { start: 10458 }],
    ['', {}],
  ])('%s', (written, expected) => {
    expect(pagesKey(written)).toEqual(expected);
  });
  it('reads every range of discontinuous pages', () => {
    expect(pagesKey('2001,2016-2019')).toEqual({ start: 2001, starts: [2001, 2016] });
    expect(pagesKey('2016-2019, 2001', '2016', '2019, 2001')).toEqual({
      start: 2016,
      end: 2019,
      starts: [2016, 2001],
    });
  });
  it('prefers parsed start/end when the normaliser gave them', () => {
    expect(pagesKey('245-59', '245', '259')).toEqual({ start: 245, end: 259 });
  });
  it('abbreviated and full ranges agree', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 99_999 }), fc.integer({ min: 1, max: 9 }), (start, len) => {
        const end = start + len;
        const full = pagesKey(`${start}-${end}`);
        const short = pagesKey(`${start}-${String(end).slice(-1)}`);
        if (Math.floor(start / 10) === Math.floor(end / 10)) expect(short).toEqual(full);
        expect(full.end).toBeGreaterThanOrEqual(full.start!);
      }),
      { numRuns: 200 },
    );
  });
});

describe('volumeKey', () => {
  it('reads every number but not ordinals nor the year', () => {
    expect(volumeKey('53 (Suppl 119)')).toEqual([53, 119]);
    expect(volumeKey('Conference: 22nd FIGO World Congress. 143(Supplement 3)')).toEqual([143, 3]);
    expect(volumeKey('2020', 2020)).toEqual([]);
    expect(volumeKey(undefined)).toEqual([]);
  });
});
