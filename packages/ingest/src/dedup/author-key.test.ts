import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorKey, compareAuthors, parseAuthorName } from './author-key.ts';

const key = (asWritten: string) => authorKey({ family: '', asWritten });

describe('authorKey', () => {
  it('reduces the three common forms to family + initials', () => {
    for (const form of [
      'Shahtalebi MA',
      'Shahtalebi, Mohammad Ali',
      'Shahtalebi, M. A.',
      'Mohammad Ali Shahtalebi',
      'Shahtalebi, M.A.',
    ]) {
      expect(key(form), form).toMatchObject({ family: 'shahtalebi', initials: 'ma' });
    }
  });
  it('folds diacritics and keeps compound family names as tokens', () => {
    expect(key('Rózańska, A.')).toMatchObject({ family: 'rozanska', initials: 'a' });
    expect(key('Koseoglu Eser, O.').familyTokens).toEqual(['koseoglu', 'eser']);
  });
  it('splits a Vancouver name a parser left whole in family', () => {
    expect(authorKey({ family: 'Shahtalebi MA', asWritten: 'Shahtalebi MA' })).toMatchObject({
      family: 'shahtalebi',
      initials: 'ma',
    });
  });
  it('parses every "Family, Given" name back to its family', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z][a-z]{1,12}$/),
        fc.stringMatching(/^[A-Z][a-z]{0,8}$/),
        (family, given) => {
          expect(parseAuthorName(`${family}, ${given}`).family).toBe(family);
          expect(key(`${family}, ${given}`).initials).toBe(given[0]!.toLowerCase());
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('compareAuthors', () => {
  const list = (...names: string[]) => names.map(key);
  it('matches the same authors written in different forms', () => {
    expect(
      compareAuthors(list('Wheeldon LJ', 'Worthington T'), list('Wheeldon, L. J.', 'Worthington, Tony')),
    ).toEqual({ overlap: 1, firstSame: true, compared: 2 });
  });
  it('matches compound names split differently and one-letter slips in long names', () => {
    expect(compareAuthors(list('Koseoglu Eser, O.'), list('Eser, O. K.'))?.firstSame).toBe(true);
    expect(compareAuthors(list('Schulze-Robbecke R'), list('Schulze-Röbbecke, R.'))?.firstSame).toBe(true);
    expect(compareAuthors(list('Kappes T'), list('Kappel T'))?.firstSame).toBe(false);
  });
  it('is null when a side has no authors', () => {
    expect(compareAuthors([], list('Smith J'))).toBeNull();
  });
  it('reports the share of the shorter list found', () => {
    expect(compareAuthors(list('Smith J', 'Jones K'), list('Smith J', 'Brown A', 'Green B'))?.overlap).toBe(
      0.5,
    );
  });
});

describe('author names an export mangled', () => {
  const key = (w: string) => authorKey({ ...parseAuthorName(w), asWritten: w });
  it.each([
    ['Ta?a?aj, J.', 'Tałałaj, J.'],
    ['Ta\uFFFDa\uFFFDaj J', 'Talalaj J'],
    ['Ta??a??aj J', 'Tałałaj J'],
    ['MÃ¼ller, K.', 'Müller K'],
    ['Muller K', 'Müller K'],
    ['Mueller K', 'Müller K'],
    ['Baer A', 'Bär A'],
    ['Dvorak P', 'Dvořák P'],
  ])('%s = %s', (a, b) => {
    expect(compareAuthors([key(a)], [key(b)])?.overlap).toBe(1);
  });
  it('a replacement character stands for at most two letters, and needs letters around it', () => {
    expect(compareAuthors([key('Ta?aj J')], [key('Talalaj J')])?.overlap).toBe(0);
    expect(compareAuthors([key('Ko? J')], [key('Kowalski J')])?.overlap).toBe(0);
    expect(compareAuthors([key('Sm?th J')], [key('Jones J')])?.overlap).toBe(0);
  });
});
