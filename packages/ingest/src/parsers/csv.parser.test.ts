import { describe, expect, it } from 'vitest';
import { guessColumns } from './csv-columns.ts';
import { guessDelimiter } from './csv.parser.ts';
import { parseFixture } from './fixtures.test-helper.ts';
import { parseText } from './parse-stream.ts';

describe('CSV reader', () => {
  it('reads the older Scopus header variant and reports a column-count mismatch', async () => {
    const { records, diagnostics } = await parseFixture('scopus-old.csv');
    expect(records).toHaveLength(2);
    expect(records[0]!.record).toMatchObject({
      doi: '10.1136/bmj.n71',
      year: 2021,
      journal: 'BMJ',
      publicationType: 'review',
      source: { database: 'Scopus' },
    });
    expect(records[0]!.record.authors.map((a) => a.family)).toEqual(['Page', 'McKenzie']);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        record: 2,
        line: 3,
        message: expect.stringMatching(/22 columns where the header has 21/),
      }),
    );
  });

  it('says "1 column", not "1 columns", for a row cut short', async () => {
    const { diagnostics } = await parseText('Title,Authors\nA short row\n', { format: 'csv' });
    expect(diagnostics.map((d) => d.message)).toContain('1 column where the header has 2; read by position');
  });

  it('reads the newer Scopus header variant', async () => {
    const { records } = await parseFixture('scopus-new.csv');
    expect(records[0]!.record).toMatchObject({
      publicationType: 'erratum',
      language: 'English',
      keywords: ['reporting', 'guideline'],
    });
    expect(records[0]!.record.authors[1]).toEqual({
      family: 'McKenzie',
      given: 'J.E.',
      asWritten: 'McKenzie, J.E.',
    });
  });

  it('guesses generic TSV columns and honours an explicit mapping', async () => {
    const tsv = await parseFixture('generic.tsv');
    expect(tsv.records[0]!.record).toMatchObject({
      title: 'Weighted kappa',
      year: 1968,
      doi: '10.1037/h0026256',
      abstract: 'Agreement with partial credit',
    });
    const guessed = await parseFixture('generic-semicolon.csv');
    expect(guessed.diagnostics[0]!.message).toMatch(/no title or abstract column/);
    const mapped = await parseFixture('generic-semicolon.csv', {
      columns: { title: 'titel', authors: 'auteurs', year: 'jaar', abstract: 'samenvatting' },
    });
    expect(mapped.records[0]!.record).toMatchObject({
      title: 'Weighted kappa',
      year: 1968,
      authors: [{ family: 'Cohen', given: 'Jacob' }],
    });
  });

  it('guesses delimiters and columns', () => {
    expect(guessDelimiter('a;b;"c,d"')).toBe(';');
    expect(guessDelimiter('a\tb\tc')).toBe('\t');
    expect(guessDelimiter('a,b;c,d')).toBe(',');
    const m = guessColumns(['Authors', 'Title', 'Source title', 'Abbreviated Source Title'], {
      doi: 'Title',
    });
    expect(m.get('journal')).toBe(2);
    expect(m.get('journalAbbrev')).toBe(3);
    expect(m.get('doi')).toBe(1);
  });

  it('skips a malformed row with a diagnostic instead of failing the file', async () => {
    const { parseText } = await import('./parse-stream.ts');
    const { records, diagnostics } = await parseText('Title,Year\n"ok",2001\n"bad"x"y,2002\n"fine",2003\n', {
      format: 'csv',
    });
    expect(records.map((r) => r.record.title)).toContain('fine');
    expect(records.length + diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThanOrEqual(
      2,
    );
  });

  describe('a quote that never closes stays in its record', () => {
    const csv = (damaged: string | undefined, quoted: boolean): string => {
      const rows = ['Title,Abstract,Year'];
      for (let n = 1; n <= 7; n++)
        rows.push(
          n === 4 && damaged !== undefined
            ? damaged
            : quoted
              ? `Title ${n},"Abstract, ${n}",20${10 + n}`
              : `Title ${n},Abstract ${n},20${10 + n}`,
        );
      return `${rows.join('\n')}\n`;
    };
    const withoutRaw = (r: { record: object }) => ({ ...r.record, raw: undefined });

    it.each([
      ['a later quote closes it', true],
      ['no later quote (it runs to the end of the file)', false],
    ])('%s: every other record is identical, the damaged one keeps its title', async (_, quoted) => {
      const clean = await parseText(csv(undefined, quoted), { format: 'csv' });
      const out = await parseText(csv('Title 4,"Abstract 4 never closes,2014', quoted), { format: 'csv' });
      expect(out.records).toHaveLength(7);
      for (const i of [0, 1, 2, 4, 5, 6])
        expect(withoutRaw(out.records[i]!)).toEqual(withoutRaw(clean.records[i]!));
      expect(out.records[3]!.record.title).toBe('Title 4');
      expect(out.records[3]!.record.abstract).toMatch(/^Abstract 4 never closes/);
      expect(out.diagnostics.filter((d) => d.damage)).toEqual([
        expect.objectContaining({
          severity: 'warning',
          record: 4,
          line: 5,
          field: 'Abstract',
          damage: 'repaired',
        }),
      ]);
      expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    });
  });
});
