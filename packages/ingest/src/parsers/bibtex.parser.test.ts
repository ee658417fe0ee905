import { describe, expect, it } from 'vitest';
import { parseBibEntry } from './bibtex.parser.ts';
import { parseFixture } from './fixtures.test-helper.ts';
import { latexToUnicode } from './latex.ts';
import { parseText } from './parse-stream.ts';

describe('BibTeX reader', () => {
  it('reads @string macros, concatenation, accents; skips @comment; reports an unterminated entry', async () => {
    const { records, diagnostics } = await parseFixture('zotero.bib');
    expect(records).toHaveLength(3);
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
    // The last entry never closes: kept with what could be read, and said so.
    expect(records[2]!.record).toMatchObject({ year: 2019 });
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'warning', record: 3, line: 29, damage: 'repaired' }),
    );
    expect(diagnostics).toContainEqual(expect.objectContaining({ record: 3, line: 30, field: 'title' }));
  });

  const entry = (n: number, abstract = `Abstract ${n}.`): string =>
    `@article{key${n},\n  title = {Title {${n}}},\n  author = {Smith, A. and Jones, B.},\n  abstract = {${abstract}},\n  year = {20${10 + n}},\n  doi = {10.1000/x${n}}\n}\n\n`;
  const withoutRaw = (r: { record: object }) => ({ ...r.record, raw: undefined });

  it('an unbalanced brace in one abstract costs that entry its abstract, never the rest of the file', async () => {
    const good = Array.from({ length: 9 }, (_, n) => entry(n + 1)).join('');
    const damaged = Array.from({ length: 9 }, (_, n) =>
      entry(n + 1, n === 4 ? 'Uses a {set of cases' : undefined),
    ).join('');
    const clean = await parseText(good, { format: 'bibtex' });
    const out = await parseText(damaged, { format: 'bibtex' });
    expect(out.records).toHaveLength(9);
    for (const i of [0, 1, 2, 3, 5, 6, 7, 8])
      expect(withoutRaw(out.records[i]!)).toEqual(withoutRaw(clean.records[i]!));
    // The damaged entry keeps its title, authors, year and DOI, and its abstract up to the next field.
    expect(out.records[4]!.record).toMatchObject({ title: 'Title 5', year: 2015, doi: '10.1000/x5' });
    expect(out.records[4]!.record.abstract).toContain('Uses a');
    const warning = out.diagnostics.find((d) => d.damage);
    expect(warning).toMatchObject({ severity: 'warning', record: 5, line: 33, damage: 'repaired' });
    expect(out.diagnostics).toContainEqual(
      expect.objectContaining({ record: 5, line: 36, field: 'abstract', severity: 'warning' }),
    );
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('an unterminated quote is repaired up to the next field; a stray quote keeps the entry', async () => {
    const text =
      entry(1) +
      '@article{key2,\n  title = "Broken title,\n  year = {2012}\n}\n\n' +
      '@article{key3,\n  title = "A "quoted" word",\n  year = {2013}\n}\n\n' +
      entry(4);
    const out = await parseText(text, { format: 'bibtex' });
    expect(out.records.map((r) => r.record.year)).toEqual([2011, 2012, 2013, 2014]);
    expect(out.records[1]!.record.title).toBe('Broken title');
    expect(out.diagnostics).toContainEqual(
      expect.objectContaining({ record: 2, line: 10, field: 'title', damage: 'repaired' }),
    );
    expect(out.diagnostics).toContainEqual(
      expect.objectContaining({ record: 3, field: 'title', damage: 'repaired' }),
    );
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
