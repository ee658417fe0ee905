import { describe, expect, it } from 'vitest';
import { languageWords } from './language-words.ts';

describe('languageWords', () => {
  it('names ISO 639 codes, bibliographic and two-letter ones included', () => {
    expect(languageWords('eng')).toBe('English');
    expect(languageWords('fre')).toBe('French');
    expect(languageWords('GER')).toBe('German');
    expect(languageWords('en')).toBe('English');
  });

  it('names each of several and keeps what is already a name', () => {
    expect(languageWords('eng; fre')).toBe('English, French');
    expect(languageWords('English')).toBe('English');
    expect(languageWords('Portuguese, spa')).toBe('Portuguese, Spanish');
  });

  it("keeps a code it does not know as exported; says undetermined for MEDLINE's und", () => {
    expect(languageWords('xxx')).toBe('xxx');
    expect(languageWords('und')).toBe('Undetermined');
  });
});
