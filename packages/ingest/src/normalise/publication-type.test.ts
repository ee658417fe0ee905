import { describe, expect, it } from 'vitest';
import { mapPublicationType, publicationTypeToRis } from './publication-type.ts';

describe('mapPublicationType', () => {
  it.each([
    ['JOUR', [], 'journal-article'],
    ['JOUR', ['Review'], 'review'],
    ['JOUR', ['Journal Article', 'Published Erratum'], 'erratum'],
    ['JOUR', ['Retraction of Publication'], 'retraction'],
    ['JOUR', ['Preprint'], 'preprint'],
    [undefined, ['Conference Abstract'], 'conference-abstract'],
    ['ABST', [], 'conference-abstract'],
    ['CHAP', [], 'book-chapter'],
    [undefined, ['journalArticle'], 'journal-article'],
    [undefined, ['bookSection'], 'book-chapter'],
    [undefined, ['Letter'], 'letter'],
    [undefined, ['Editorial'], 'editorial'],
    ['ART', [], 'other'],
    [undefined, [], undefined],
  ] as const)('%s %j -> %s', (code, texts, expected) => {
    expect(mapPublicationType(code, [...texts])).toBe(expected);
  });

  it('maps each type back to a RIS code that maps to it (given its raw texts)', () => {
    expect(mapPublicationType(publicationTypeToRis('conference-abstract'), [])).toBe('conference-abstract');
    expect(mapPublicationType(publicationTypeToRis('book-chapter'), [])).toBe('book-chapter');
    expect(mapPublicationType(publicationTypeToRis('erratum'), ['Erratum'])).toBe('erratum');
  });
});
