import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAuthor, splitAuthorList } from './authors.ts';

describe('parseAuthor', () => {
  it.each([
    ['Shahtalebi MA', 'Shahtalebi', 'MA'],
    ['Shahtalebi, Mohammad Ali', 'Shahtalebi', 'Mohammad Ali'],
    ['Shahtalebi, M. A.', 'Shahtalebi', 'M. A.'],
    ['Little A.R.', 'Little', 'A.R.'],
    ['Sanchez del Pulgar, J.', 'Sanchez del Pulgar', 'J.'],
    ['Plunkett G 3rd', 'Plunkett', 'G 3rd'],
    ['Mohammad Ali Shahtalebi', 'Shahtalebi', 'Mohammad Ali'],
    ['Stillman, Andrew N. (andrew.stillman@uconn.edu)', 'Stillman', 'Andrew N.'],
  ])('%s', (input, family, given) => {
    const a = parseAuthor(input)!;
    expect(a.family).toBe(family);
    expect(a.given).toBe(given);
  });

  it('keeps corporate names whole and the written form verbatim', () => {
    expect(parseAuthor('World Health Organization Regional Office')).toEqual({
      family: 'World Health Organization Regional Office',
      asWritten: 'World Health Organization Regional Office',
    });
    expect(parseAuthor('Cohen, J')!.asWritten).toBe('Cohen, J');
    // Short organisation names too: not "Commission CQ", "Fund TK" or "England N" in a citation.
    for (const name of ['Care Quality Commission', 'The King’s Fund', 'NHS England', 'The Health Foundation'])
      expect(parseAuthor(name)).toEqual({ family: name, asWritten: name });
    // A family name that is also such a word, written with initials, is still a person's.
    expect(parseAuthor('Board JM')).toMatchObject({ family: 'Board', given: 'JM' });
  });

  it('splits author lists by ; or , or and', () => {
    expect(splitAuthorList('Little, A.R.; Conner, L.M.')).toEqual(['Little, A.R.', 'Conner, L.M.']);
    expect(splitAuthorList('Little A.R., Mike Conner L.')).toEqual(['Little A.R.', 'Mike Conner L.']);
    expect(splitAuthorList('Li, W.')).toEqual(['Li, W.']);
    expect(splitAuthorList('Page, M. and Moher, D.')).toEqual(['Page, M.', 'Moher, D.']);
  });

  it('is stable: parsing the written form again gives the same author', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z' -]{0,20}(, [A-Z][a-z. ]{0,10})?$/), (s) => {
        const a = parseAuthor(s);
        if (!a) return;
        expect(a.family.length).toBeGreaterThan(0);
        expect(parseAuthor(a.asWritten)).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });
});
