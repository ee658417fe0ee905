import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchWords } from './search-words.ts';

describe('searchWords', () => {
  it('splits at anything not a letter or digit, in lower case, any script', () => {
    expect(searchWords('Self-management of Sustainability, COVID-19 café naïve 2020s; Ärzte')).toEqual([
      'self',
      'management',
      'of',
      'sustainability',
      'covid',
      '19',
      'café',
      'naïve',
      '2020s',
      'ärzte',
    ]);
    expect(searchWords(' -- ')).toEqual([]);
  });

  it('gives each run of letters and digits of the lower-cased text, with no space or ASCII punctuation in it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        const words = searchWords(text);
        expect(words).toEqual(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
        for (const w of words) expect(w).toMatch(/^[^\s!-/:-@[-`{-~]+$/u);
      }),
    );
  });
});
