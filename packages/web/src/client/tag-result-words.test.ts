import { describe, expect, it } from 'vitest';
import { tagResultWords } from './tag-result-words.ts';

describe('tag result words', () => {
  it('counts the records tagged or untagged when every selected one changed', () => {
    expect(tagResultWords(true, 'check later', 2, 2)).toBe('Tagged 2 records with “check later”.');
    expect(tagResultWords(false, 'check later', 1, 1)).toBe('Untagged 1 record from “check later”.');
  });

  it('says the selected records already were as asked, never "Tagged 0 records"', () => {
    expect(tagResultWords(true, 'lean', 2, 0)).toBe('The 2 selected records already have the tag “lean”.');
    expect(tagResultWords(true, 'lean', 1, 0)).toBe('The selected record already has the tag “lean”.');
    expect(tagResultWords(false, 'lean', 3, 0)).toBe('None of the 3 selected records has the tag “lean”.');
    expect(tagResultWords(false, 'lean', 1, 0)).toBe('The selected record does not have the tag “lean”.');
  });

  it('names the records that were already as asked when only some changed', () => {
    expect(tagResultWords(true, 'lean', 3, 1)).toBe(
      'Tagged 1 record with “lean”; the other 2 already had it.',
    );
    expect(tagResultWords(false, 'lean', 3, 2)).toBe(
      'Untagged 2 records from “lean”; the other 1 did not have it.',
    );
  });
});
