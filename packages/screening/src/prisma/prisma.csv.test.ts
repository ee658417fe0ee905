import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { WinnowError } from '@winnow/core';
import { parsePrismaTemplateCsv, toPrismaTemplateCsv } from './prisma.csv.ts';
import { derivePrismaFlow } from './prisma-flow.ts';
import { sampleInput } from './prisma.fixture.ts';

const templatePath = path.resolve(
  import.meta.dirname,
  '../../../../../shared/corpus/prisma/PRISMA2020_template.csv',
);
const hasTemplate = existsSync(templatePath);
if (!hasTemplate) console.warn(`skipping PRISMA template round trip: ${templatePath} is absent`);

const flow = derivePrismaFlow(sampleInput());
const csv = toPrismaTemplateCsv(flow.counts);
const rowsOf = (text: string): string[][] => parse(text, { bom: true }) as string[][];
const n = (key: string): string | undefined => rowsOf(csv).find((r) => r[0] === key)?.[7];

describe('PRISMA2020 template CSV export', () => {
  it('writes the counts into n', () => {
    expect(n('database_results')).toBe(String(flow.counts.databaseTotal));
    expect(n('database_specific_results')).toBe('MEDLINE, 5; Embase, 4');
    expect(n('register_specific_results')).toBe('ClinicalTrials.gov, 2');
    expect(n('dbr_excluded')).toBe('Wrong population, 1');
    expect(n('other_excluded')).toBe('Not a review, 1');
    expect(n('duplicates')).toBe('2');
    expect(n('records_excluded')).toBe('3');
    expect(n('other_sought_reports')).toBe('4');
    expect(n('new_studies')).toBe('3');
    expect(n('new_reports')).toBe('4');
    expect(n('total_studies')).toBe('13');
  });

  it('neutralises formulas and keeps separators out of names', () => {
    const c = structuredClone(flow.counts);
    c.dbr.excluded = [{ name: '=HYPERLINK("x"); drop, table', n: 2 }];
    const out = toPrismaTemplateCsv(c);
    expect(rowsOf(out).find((r) => r[0] === 'dbr_excluded')?.[7]).toBe(`'=HYPERLINK("x") / drop / table, 2`);
    expect(parsePrismaTemplateCsv(out).counts.dbr.excluded).toEqual([
      { name: '=HYPERLINK("x") / drop / table', n: 2 },
    ]);
  });

  it('round-trips through the importer', () => {
    const { counts, warnings } = parsePrismaTemplateCsv(csv);
    expect(toPrismaTemplateCsv(counts)).toBe(csv);
    expect(counts.databases).toEqual(flow.counts.databases);
    expect(counts.dbr).toEqual(flow.counts.dbr);
    expect(counts.previous).toEqual(flow.counts.previous);
    expect(warnings).toEqual([]);
  });
});

describe('PRISMA2020 template CSV of a review in progress', () => {
  const input = sampleInput();
  const running = derivePrismaFlow({
    ...input,
    records: [...input.records, { id: 'm6', searchId: 's-med' }, { id: 'm7', searchId: 's-med' }],
    reports: input.reports.map((r) => (r.id === 'r-c1' ? { id: 'r-c1', recordId: 'c1' } : r)),
  });
  const out = toPrismaTemplateCsv(running.counts);
  const value = (key: string): string | undefined => rowsOf(out).find((r) => r[0] === key)?.[7];

  it('adds the in-progress rows after the template rows, with what waits', () => {
    const keys = rowsOf(out).map((r) => r[0]);
    expect(keys.slice(-6)).toEqual([
      'records_awaiting',
      'dbr_awaiting_retrieval',
      'dbr_awaiting_assessment',
      'other_records_awaiting',
      'other_awaiting_retrieval',
      'other_awaiting_assessment',
    ]);
    expect(keys.slice(0, -6)).toEqual(rowsOf(csv).map((r) => r[0]));
    expect(value('records_screened')).toBe('7');
    expect(value('records_awaiting')).toBe('2');
    expect(value('dbr_awaiting_retrieval')).toBe('1');
    expect(value('dbr_assessed')).toBe('2');
    expect(rowsOf(out).find((r) => r[0] === 'records_awaiting')?.[3]).toContain('In progress');
  });

  it('keys the R package will not mistake for its own (it finds rows by searching the data column)', () => {
    const theirs = rowsOf(csv)
      .slice(1)
      .map((r) => r[0]!)
      .filter((k) => k !== 'NA');
    for (const ours of rowsOf(out).slice(-6)) for (const key of theirs) expect(ours[0]).not.toContain(key);
  });

  it('round-trips in-progress counts through the importer, the arithmetic holding', () => {
    const { counts, warnings } = parsePrismaTemplateCsv(out);
    expect(counts.awaitingScreening).toBe(2);
    expect(counts.dbr).toEqual(running.counts.dbr);
    expect(warnings).toEqual([]);
    expect(toPrismaTemplateCsv(counts)).toBe(out);
  });

  it('a finished review has no in-progress rows', () => {
    expect(csv).not.toContain('awaiting');
  });
});

describe('PRISMA2020 template CSV import validation', () => {
  const errorOf = (text: string): WinnowError => {
    try {
      parsePrismaTemplateCsv(text, 'counts.csv');
    } catch (e) {
      return e as WinnowError;
    }
    throw new Error('no error');
  };
  const edit = (key: string, value: string): string =>
    csv
      .split('\n')
      .map((line) => (line.startsWith(`${key},`) ? line.replace(/,[^,]*$/, `,${value}`) : line))
      .join('\n');

  it('names the row and column of a bad count', () => {
    const e = errorOf(edit('duplicates', '-3'));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('row 14, column n: duplicates: "-3" is not a whole number');
    expect(e.details?.location).toMatchObject({ file: 'counts.csv', row: 14, column: 'n' });
  });

  it('names a bad list item, an unknown key, a missing key and a bad header', () => {
    expect(errorOf(csv.replace('"Wrong population, 1"', 'Wrong population 3')).message).toContain(
      'column n: dbr_excluded: item 1 ("Wrong population 3") is not "Name, n"',
    );
    expect(errorOf(csv.replace('\nduplicates,', '\nduplicate,')).message).toContain(
      'row 14, column data: unknown data key "duplicate"',
    );
    const lines = csv.split('\n').filter((l) => !l.startsWith('new_reports,'));
    expect(errorOf(lines.join('\n')).message).toContain('missing the row for "new_reports"');
    expect(errorOf(csv.replace('data,node,box', 'data,nodes,box')).message).toContain(
      'row 1, column node: column 2 must be "node", found "nodes"',
    );
  });

  /** The parser's error, thrown for a file given as bytes. */
  const parseErrorOf = (data: string | Buffer, file = '"counts.csv"'): WinnowError => {
    try {
      parsePrismaTemplateCsv(data, file);
    } catch (e) {
      return e as WinnowError;
    }
    throw new Error('no error');
  };
  // A 1x1 PNG: the kind of file chosen by mistake (a diagram instead of its template).
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  /** Nothing of csv-parse's own wording, nor of the file's bytes, reaches people. */
  const plain = (message: string): void => {
    expect(message).not.toMatch(
      /Invalid Opening Quote|Quote Not Closed|Invalid Closing Quote|field \d|value is/,
    );
    expect([...message].filter((ch) => ch < ' ' || ch === '\ufffd')).toEqual([]);
    expect(message).not.toMatch(/CSV_|INVALID_/);
  };

  it('says in words that an image or other binary file is not a CSV file', () => {
    for (const data of [png, Buffer.concat([png, Buffer.from('"x",y\n"a"b,c\n')]), Buffer.alloc(64, 7)]) {
      const e = parseErrorOf(data, '"diagram.png"');
      expect(e.code).toBe('PARSE_ERROR');
      expect(e.message).toBe(
        '"diagram.png" is not a CSV file: the PRISMA 2020 template is a CSV file saved from its spreadsheet.',
      );
      plain(e.message);
    }
    const workbook = parseErrorOf(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]), '"counts.xlsx"');
    expect(workbook.message).toContain('"counts.xlsx" is a spreadsheet workbook, not a CSV file');
    expect(parseErrorOf(Buffer.from('\ufeff\n\n')).message).toBe(
      '"counts.csv" is empty: the PRISMA 2020 template is a CSV file saved from its spreadsheet.',
    );
  });

  it('names the line (and column) of a CSV syntax error in words', () => {
    const lines = csv.split('\n');
    // A stray quote mark in the middle of row 6's n cell.
    const stray = [...lines.slice(0, 5), lines[5]!.replace(/,([^,]*)$/, ',1"2"'), ...lines.slice(6)].join(
      '\n',
    );
    const opening = parseErrorOf(stray);
    expect(opening.code).toBe('PARSE_ERROR');
    expect(opening.message).toBe(
      '"counts.csv" is not a valid CSV file: line 6, column "n": a quote mark (") is in the middle of a cell. A cell that holds quote marks must start and end with one, and each quote mark inside it must be doubled ("").',
    );
    expect(opening.details?.location).toMatchObject({ file: '"counts.csv"', line: 6, column: 'n' });
    plain(opening.message);

    const closing = parseErrorOf(csv.replace('\nduplicates,', '\n"duplicates"x,'));
    expect(closing.message).toMatch(
      /^"counts\.csv" is not a valid CSV file: line 14, column "data": a cell in quote marks goes on after its closing quote mark/,
    );
    plain(closing.message);

    // An unclosed quote at line 8 runs to the end of the file: the message names where it opened.
    const after = lines.slice(8).map((l) => l.replaceAll('"', ''));
    const unclosed = [...lines.slice(0, 7), lines[7]!.replace(/,([^,]*)$/, ',"$1'), ...after].join('\n');
    const open = parseErrorOf(unclosed);
    expect(open.message).toBe(
      '"counts.csv" is not a valid CSV file: line 8: a cell opens with a quote mark (") that is never closed, so the rest of the file would be read as one cell. Add the closing quote mark.',
    );
    expect(open.details?.location).toMatchObject({ line: 8 });
    plain(open.message);
  });

  it('reads a template saved as UTF-16 or Windows-1252 text', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]);
    expect(parsePrismaTemplateCsv(utf16).counts).toEqual(parsePrismaTemplateCsv(csv).counts);
    const latin = Buffer.from(csv.replace('Wrong population', 'Wrong r\u00e9gion'), 'latin1');
    expect(parsePrismaTemplateCsv(latin).counts.dbr.excluded[0]?.name).toBe('Wrong r\u00e9gion');
  });

  it('reports counts that break the PRISMA arithmetic as warnings', () => {
    const { warnings } = parsePrismaTemplateCsv(edit('records_screened', '99'));
    expect(warnings.map((w) => w.code)).toContain('IDENTIFIED_MINUS_REMOVED_NE_SCREENED');
    expect(warnings.map((w) => w.code)).toContain('SCREENED_MINUS_EXCLUDED_NE_SOUGHT');
  });
});

describe.skipIf(!hasTemplate)('PRISMA2020 template from the R package (corpus)', () => {
  const template = hasTemplate ? readFileSync(templatePath, 'utf8') : '';

  it('export has exactly the template rows, keys and order', () => {
    const ours = rowsOf(csv);
    const theirs = rowsOf(template);
    expect(ours.length).toBe(theirs.length);
    expect(ours.map((r) => r.slice(0, 7))).toEqual(theirs.map((r) => r.slice(0, 7)));
  });

  it('the unfilled template is rejected naming its placeholder cells', () => {
    const e = (() => {
      try {
        parsePrismaTemplateCsv(template);
      } catch (err) {
        return err as WinnowError;
      }
    })();
    expect(e?.message).toContain('row 7, column n: database_specific_results: item 1 ("Database 1, xxx")');
  });

  it('the template filled with counts imports and round-trips', () => {
    const filled = toPrismaTemplateCsv(parsePrismaTemplateCsv(csv).counts);
    expect(rowsOf(filled).map((r) => r[0])).toEqual(rowsOf(template).map((r) => r[0]));
    expect(toPrismaTemplateCsv(parsePrismaTemplateCsv(filled).counts)).toBe(filled);
  });
});

describe('fixtures/prisma', () => {
  const dir = path.resolve(import.meta.dirname, '../../../../fixtures/prisma');

  it('the filled template of the sample review imports without warnings', () => {
    const { counts, warnings } = parsePrismaTemplateCsv(
      readFileSync(path.join(dir, 'updated-review-template.csv')),
    );
    expect(warnings).toEqual([]);
    expect(counts.totalStudies).toBe(13);
  });

  it('a template with a word for a count is rejected naming row 14, column n', () => {
    expect(() => parsePrismaTemplateCsv(readFileSync(path.join(dir, 'bad-count-template.csv')))).toThrow(
      /row 14, column n: duplicates: "two" is not a whole number/,
    );
  });
});
