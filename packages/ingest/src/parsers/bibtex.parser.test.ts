import { describe, expect, it } from 'vitest';
import { parseBibEntry } from './bibtex.parser.ts';
import { parseFixture } from './fixtures.test-helper.ts';
import { latexToUnicode } from './latex.ts';

describe('BibTeX reader', () => {
  it('reads @string macros, concatenation, accents; skips @comment; reports an unterminated entry', async () => {
    const { records, diagnostics } = await parseFixture('zotero.bib');
    expect(records).toHaveLength(2);
    const a = records[0]!.record;
    expect(a).toMatchObject({
      title: 'The PRISMA 2020 statement: an updated guideline for reporting systematic reviews',
      journal: 'BMJ (Clinical research ed.)',
      year: 2021,
      pmid: '33782057',
      abstract: 'The PRISMA statement was designed in 2009.',
    });
    expect(a.authors).toHaveLength(4);
    const b = records[1]!.record;
    expect(b.authors.map((x) => x.asWritten)).toEqual([
      'García-López, José',
      'Müller, Jörg',
      'François, L.',
      'Groß, A.',
    ]);
    expect(b.title).toBe('A study of ümlauts in BibTeX');
    expect(b.pages).toEqual({ asWritten: '12-19', start: '12', end: '19' });
    expect(b.publicationType).toBe('conference-paper');
    expect(diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', record: 3, line: 29 }));
  });

  it('parses quoted, braced, bare and concatenated values', () => {
    const e = parseBibEntry(
      '@misc{k, a = "x {y} z", b = {p {q} r}, c = 12, d = s # " t"}',
      new Map([['s', 'S']]),
    );
    expect(Object.fromEntries(e.fields)).toEqual({ a: 'x {y} z', b: 'p {q} r', c: '12', d: 'S t' });
  });

  it('turns LaTeX accents into Unicode', () => {
    expect(latexToUnicode(`{\\"o} \\'e \\'{\\i} \\c{c} \\v{s} {\\ss} \\o{} \\&`)).toBe('ö é í ç š ß ø &');
  });
});
