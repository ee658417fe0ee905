import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDoi, normaliseDoi } from './doi.ts';

describe('normaliseDoi', () => {
  it.each([
    ['10.1136/bmj.n71', '10.1136/bmj.n71'],
    ['http://dx.doi.org/10.1002/CPP.2398', '10.1002/cpp.2398'],
    ['https://doi.org/10.1371/journal.pmed.1000097', '10.1371/journal.pmed.1000097'],
    ['doi:10.1177/001316446002000104', '10.1177/001316446002000104'],
    ['10.1126/science.277.5331.1453 [doi]', '10.1126/science.277.5331.1453'],
    [
      'https://www.scopus.com/inward/record.uri?eid=2-s2.0-85054091539&doi=10.15598%2faeee.v16i3.2698&partnerID=40',
      '10.15598/aeee.v16i3.2698',
    ],
    ['See 10.1002/jts.22387.', '10.1002/jts.22387'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseDoi(input)).toBe(expected);
  });

  it('returns undefined without a DOI', () => {
    expect(normaliseDoi('http://www.embase.com/search/results?id=L373791783')).toBeUndefined();
    expect(normaliseDoi('')).toBeUndefined();
  });

  it('takes no match over 500 characters for a DOI: the run of text a DOI-like start swallowed', () => {
    const suffix = (n: number) => 'x'.repeat(n - '10.1234/'.length);
    expect(normaliseDoi(`10.1234/${suffix(500)}`)).toHaveLength(500);
    expect(normaliseDoi(`10.1234/${suffix(501)}`)).toBeUndefined();
    expect(findDoi([`10.1234/${suffix(5000)}`, 'https://doi.org/10.1000/ABC'])).toBe('10.1000/abc');
  });

  it('prefers the DOI field over URLs', () => {
    expect(findDoi([undefined, 'no doi here', 'https://doi.org/10.1000/ABC'])).toBe('10.1000/abc');
  });

  it('is idempotent and lower-case for any DOI-shaped input', () => {
    const doi = fc
      .tuple(fc.integer({ min: 1000, max: 99999 }), fc.stringMatching(/^[A-Za-z0-9._\-/()]{1,30}$/))
      .map(([p, s]) => `10.${p}/${s}`);
    fc.assert(
      fc.property(doi, fc.constantFrom('', 'doi:', 'https://doi.org/', 'http://dx.doi.org/'), (d, prefix) => {
        const once = normaliseDoi(prefix + d);
        if (once === undefined) return;
        expect(once).toBe(once.toLowerCase());
        expect(normaliseDoi(once)).toBe(once);
        expect(once.startsWith('10.')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
