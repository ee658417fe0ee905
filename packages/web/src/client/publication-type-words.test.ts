import { describe, expect, it } from 'vitest';
import { publicationTypeWords } from './publication-type-words.ts';

describe('publication type words', () => {
  it('reads each normalised type in words', () => {
    expect(publicationTypeWords('journal-article')).toBe('Journal article');
    expect(publicationTypeWords('web-page')).toBe('Web page');
    expect(publicationTypeWords('policy-document')).toBe('Policy document');
  });

  it('reads a type it does not know with spaces, never as a token', () => {
    expect(publicationTypeWords('data-set')).toBe('Data set');
  });
});
