import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadDefaultCodebook } from '../codebook/default-codebook.ts';
import { sampleCodings, sampleStudies } from '../test-support/sample-codings.ts';
import { sampleFinal } from '../test-support/sample-final.ts';
import { toCsv } from './csv.writer.ts';
import { extractionTables } from './extraction-tables.ts';
import { toJson } from './json.writer.ts';
import type { Table } from './table.types.ts';
import { sheetName, toXlsx } from './xlsx.writer.ts';

const book = loadDefaultCodebook();
const tables = extractionTables(
  { codebook: book, studies: sampleStudies, final: sampleFinal(), codings: sampleCodings },
  { multi: 'binary' },
);
const byName = (n: string): Table => tables.find((t) => t.name === n)!;

describe('extractionTables', () => {
  it('builds wide, long and one profile per categorical field', () => {
    expect(tables.map((t) => t.name)).toEqual([
      'wide',
      'long',
      'profile publication_type',
      'profile geography',
      'profile learning_applied_to',
      'profile clinical_area_focus',
      'profile healthcare_setting',
      'profile improvement_approach',
      'profile learning_aim',
      'profile stakeholder_stages',
      'profile stakeholder_groups',
      'profile evidence_sources',
      'profile influences',
    ]);
  });
});

describe('CSV writer', () => {
  it('round-trips through a CSV parser with formulas neutralised', () => {
    const wide = byName('wide');
    const text = toCsv(wide);
    expect(text.startsWith('\ufeff')).toBe(true);
    const rows: string[][] = parse(text, { bom: true });
    expect(rows[0]).toEqual(wide.columns);
    const citation = wide.columns.indexOf('citation');
    expect(rows[2]?.[citation]).toBe(`'=HYPERLINK("http://evil","Beta")`);
    expect(rows[1]?.[wide.columns.indexOf('included_studies')]).toBe('23');
    const long = toCsv(byName('long'));
    expect(long).toContain(`'-candid talk helped`);
    expect(long).not.toMatch(/(^|,)"?-candid/m);
  });

  it('quotes a cell holding a bare CR or LF, so no row a spreadsheet sees starts with a formula', () => {
    const table: Table = {
      name: 'wide',
      columns: ['a', 'b'],
      rows: [['x\r@SUM(1+1)', 'y\n=1+1']],
    };
    const text = toCsv(table);
    // Read as a spreadsheet does: any CR or LF outside quotes ends a row.
    const rows: string[][] = parse(text, { bom: true, record_delimiter: ['\r\n', '\n', '\r'] });
    expect(rows).toEqual([
      ['a', 'b'],
      ['x\r@SUM(1+1)', 'y\n=1+1'],
    ]);
  });
});

describe('JSON writer', () => {
  it('writes rows as objects keyed by column, neutralised', () => {
    const data = JSON.parse(toJson([byName('wide')])) as { wide: Array<Record<string, unknown>> };
    expect(data.wide).toHaveLength(3);
    expect(data.wide[1]?.citation).toBe(`'=HYPERLINK("http://evil","Beta")`);
    expect(data.wide[0]?.['improvement_approach:six_sigma']).toBe(1);
  });
});

describe('XLSX writer', () => {
  it('reads back cell by cell: strings and numbers only, never formulas', async () => {
    const buffer = await toXlsx(tables);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(tables.map((t) => t.name.slice(0, 31)));
    for (const table of tables) {
      const ws = wb.getWorksheet(table.name.slice(0, 31))!;
      expect(ws.getRow(1).values).toEqual([undefined, ...table.columns]);
      table.rows.forEach((row, r) => {
        row.forEach((value, c) => {
          const got = ws.getRow(r + 2).getCell(c + 1);
          expect(got.formula).toBeUndefined();
          if (value === null || value === '') expect(got.value).toBeNull();
          else if (typeof value === 'number') expect(got.value).toBe(value);
          else {
            expect(got.type).toBe(ExcelJS.ValueType.String);
            expect(got.value).toBe(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
          }
        });
      });
    }
    const wide = wb.getWorksheet('wide')!;
    expect(wide.getCell('C3').value).toBe(`'=HYPERLINK("http://evil","Beta")`);
    const profile = wb.getWorksheet('profile publication_type')!;
    const academic = profile
      .getRows(2, profile.rowCount - 1)!
      .find((r) => r.getCell(1).value === 'academic')!;
    expect(academic.getCell(4).value).toBe('2 [15, 40]');
  });

  it('keeps sheet names legal and unique', () => {
    const taken = new Set<string>();
    expect(sheetName('a/b:c', taken)).toBe('a b c');
    expect(sheetName('A/B:C', taken)).toBe('A B C 2');
    expect(sheetName('x'.repeat(40), taken)).toHaveLength(31);
  });
});
