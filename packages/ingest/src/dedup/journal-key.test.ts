import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { journalsMatch, journalTokens } from './journal-key.ts';

const match = (a: string, b: string) => journalsMatch(journalTokens(a), journalTokens(b));

describe('journalsMatch', () => {
  it.each([
    ['Acta Obstetricia et Gynecologica Scandinavica', 'Acta Obstet Gynecol Scand'],
    ['Journal of Infection in Developing Countries', 'J Infect Dev Ctries'],
    ['Australian and New Zealand Journal of Obstetrics and Gynaecology', 'Aust N Z J Obstet Gynaecol'],
    [
      'Proceedings of the National Academy of Sciences of the United States of America',
      'Proc. Natl. Acad. Sci. U.S.A.',
    ],
    ['Revista Medica de Chile', 'Rev Med Chil'],
    ['Acta Anaesthesiologica Scandinavica, Supplement', 'Acta Anaesthesiologica Scandinavica'],
    ['Kinderkrankenschwester : Organ der Sektion Kinderkrankenpflege', 'Kinderkrankenschwester'],
    ['The Lancet', 'LANCET'],
  ])('%s = %s', (a, b) => {
    expect(match(a, b)).toBe(true);
  });
  it.each([
    ['Journal of Hospital Infection', 'Journal of Infection'],
    ['American Journal of Infection Control', 'Am J Obstet Gynecol'],
    ['Journal of Hospital Infection', 'J'],
    ['Clinical Infectious Diseases', ''],
  ])('%s != %s', (a, b) => {
    expect(match(a, b)).toBe(false);
  });
  it('any journal matches itself and its word-truncated abbreviation', () => {
    const word = fc.stringMatching(/^[A-Z][a-z]{3,11}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 2, maxLength: 6 }),
        fc.integer({ min: 3, max: 4 }),
        (words, keep) => {
          // A truncation that spells a stop word (`For...` -> `for`) is not an abbreviation anyone writes.
          fc.pre(words.every((w) => journalTokens(w.slice(0, keep)).length === 1));
          const full = words.join(' ');
          const abbrev = words.map((w) => w.slice(0, keep)).join('. ');
          expect(match(full, full)).toBe(true);
          expect(match(full, abbrev)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
