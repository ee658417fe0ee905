import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberingKey, pagesKey, volumeKey } from './pages-key.ts';

describe('pagesKey', () => {
  it.each([
    ['245-59', { start: 245, end: 259 }],
    ['245-259', { start: 245, end: 259 }],
    ['1202-7', { start: 1202, end: 1207 }],
    ['e115-e118', { start: 115, end: 118, prefix: 'e' }],
    ['e115-8', { start: 115, end: 118, prefix: 'e' }],
    ['083-087', { start: 83, end: 87 }],
    ['A1‐A18', { start: 1, end: 18, prefix: 'a' }],
    ['S568‐', { start: 568, prefix: 's' }],
    ['S-1252', { start: 1252, prefix: 's' }],
    ['Cd010458', { start: 10458, prefix: 'cd' }],
    ['S321', { start: 321, prefix: 's' }],
    ['i428', { start: 428, prefix: 'i', lookalike: 1428 }],
    ['ii45-ii50', { start: 45, end: 50, prefix: 'ii', lookalike: 1145 }],
    ['1428-1428', { start: 1428, end: 1428 }],
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
  it('reads every number but the supplement, ordinals and the year', () => {
    expect(volumeKey('53 (Suppl 119)')).toEqual([53]);
    expect(volumeKey('1)')).toEqual([1]);
    expect(volumeKey('Conference: 22nd FIGO World Congress. 143(Supplement 3)')).toEqual([143]);
    expect(volumeKey('2020', 2020)).toEqual([]);
    expect(volumeKey(undefined)).toEqual([]);
  });
});

describe('numberingKey', () => {
  it.each([
    ['SUPPL. 1', { numbers: [], supplement: 1 }],
    ['Suppl 1', { numbers: [], supplement: 1 }],
    ['(Suppl. 1)', { numbers: [], supplement: 1 }],
    ['S1', { numbers: [], supplement: 1 }],
    ['Suppl_1', { numbers: [], supplement: 1 }],
    ['Supplement 1', { numbers: [], supplement: 1 }],
    ['62 Suppl 1', { numbers: [62], supplement: 1 }],
    ['4 SUPPL. 2', { numbers: [4], supplement: 2 }],
    ['12 (S2)', { numbers: [12], supplement: 2 }],
    ['Suppl', { numbers: [], supplement: 0 }],
    ['10 Suppl', { numbers: [10], supplement: 0 }],
    ['1)', { numbers: [1] }],
    ['827', { numbers: [827] }],
    ['2 Pt 1', { numbers: [2, 1] }],
  ])('%s', (written, expected) => {
    expect(numberingKey(written)).toEqual(expected);
  });
  it('reads the supplement however it is written', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom(
          'Suppl {n}',
          'SUPPL. {n}',
          '(Suppl. {n})',
          'S{n}',
          'Suppl_{n}',
          'Supplement {n}',
          '(S{n})',
        ),
        (volume, n, form) => {
          const suppl = form.replace('{n}', String(n));
          expect(numberingKey(`${volume} ${suppl}`)).toEqual({ numbers: [volume], supplement: n });
          expect(numberingKey(suppl)).toEqual({ numbers: [], supplement: n });
        },
      ),
      { numRuns: 200 },
    );
  });
});
