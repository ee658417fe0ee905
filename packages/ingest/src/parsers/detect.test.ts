import { WinnowError } from '@winnow/core';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from './decode.ts';
import { detectFormat } from './detect.ts';
import { fixtureBytes } from './fixtures.test-helper.ts';

describe('detectFormat', () => {
  it.each([
    ['ovid-numbered.ris', 'ris'],
    ['ebsco-bom-crlf.ris', 'ris'],
    ['mac-cr-only.ris', 'ris'],
    ['irregular.ris', 'ris'],
    ['pubmed.nbib', 'medline'],
    ['pubmed.xml', 'pubmed-xml'],
    ['endnote.xml', 'endnote-xml'],
    ['wos.txt', 'wos-plain'],
    ['wos-tab-utf16.txt', 'wos-tab'],
    ['scopus-old.csv', 'csv'],
    ['scopus-new.csv', 'csv'],
    ['generic-semicolon.csv', 'csv'],
    ['generic.tsv', 'csv'],
    ['zotero.bib', 'bibtex'],
  ])('%s is %s (from content only)', (file, format) => {
    expect(detectFormat(decodeBytes(fixtureBytes(file)), 'renamed.dat')).toBe(format);
  });

  it('throws UNSUPPORTED_FORMAT with the file name for unknown content', () => {
    try {
      detectFormat('just some prose without structure', 'notes.txt');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WinnowError);
      expect((e as WinnowError).code).toBe('UNSUPPORTED_FORMAT');
      expect((e as WinnowError).details?.location?.file).toBe('notes.txt');
    }
  });
});
