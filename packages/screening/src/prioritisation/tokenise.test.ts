import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ngrams, recordText, tokenise } from './tokenise.ts';

describe('tokenise', () => {
  it('keeps runs of two or more word characters, lower-cased', () => {
    expect(tokenise('ACE-inhibitors: a Trial of 2 drugs (n=120), e.g. über-test')).toEqual([
      'ace',
      'inhibitors',
      'trial',
      'of',
      'drugs',
      '120',
      'über',
      'test',
    ]);
  });

  it('builds unigrams then adjacent bigrams', () => {
    expect(ngrams(['aa', 'bb', 'cc'])).toEqual(['aa', 'bb', 'cc', 'aa bb', 'bb cc']);
    expect(ngrams(['aa', 'bb'], 1)).toEqual(['aa', 'bb']);
  });

  it('joins title, abstract and keywords, and counts the title twice', () => {
    expect(
      tokenise(recordText({ title: 'Title', abstract: 'the abstract', keywords: ['kw one', 'kw2'] })),
    ).toEqual(['title', 'the', 'abstract', 'kw', 'one', 'kw2', 'title']);
    expect(tokenise(recordText({ title: null, abstract: 'only this' }))).toEqual(['only', 'this']);
  });

  it('never yields empty, short, upper-case or whitespace tokens (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        for (const t of tokenise(s)) {
          expect([...t].length).toBeGreaterThanOrEqual(2);
          expect(t).toBe(t.toLowerCase());
          expect(/\s/.test(t)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is unaffected by case and by separators between words (property)', () => {
    const word = fc.stringMatching(/^[a-z0-9]{2,8}$/);
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 20 }),
        fc.constantFrom(' ', ', ', '\n', ' - ', '; '),
        (words, sep) => {
          expect(tokenise(words.join(sep).toUpperCase())).toEqual(words);
          expect(ngrams(words).length).toBe(words.length === 0 ? 0 : 2 * words.length - 1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
