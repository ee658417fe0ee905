import { PassThrough } from 'node:stream';
import { neutraliseCell } from './formula-guard.ts';
import type { Table } from './table.types.ts';

/** Excel forbids these in sheet names and caps them at 31 characters. */
export function sheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 28)} ${i}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/**
 * One worksheet per table. Every cell is assigned a plain string or number: exceljs only
 * writes a formula when given a `{ formula }` object, which we never build, and text that
 * looks like a formula is neutralised first for programs that re-parse text on import.
 * The streaming writer commits each row as it goes: a 70,000-row long table would otherwise
 * sit in memory as exceljs cell objects (about 1 GB).
 */
export async function toXlsx(tables: Table[]): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  // Loaded when a workbook is written: exceljs and its dependencies take about as long to load as
  // the rest of the server's libraries, and every process that starts would otherwise pay for it.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useSharedStrings: false,
    useStyles: true,
  });
  workbook.creator = 'Winnow';
  const taken = new Set<string>();
  for (const table of tables) {
    const sheet = workbook.addWorksheet(sheetName(table.name, taken), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    const header = sheet.addRow(table.columns.map(neutraliseCell));
    header.font = { bold: true };
    header.commit();
    for (const row of table.rows) {
      // Null and '' are both written as absent cells: a spreadsheet has one kind of blank.
      sheet.addRow(row.map((v) => (v === '' ? undefined : (neutraliseCell(v) ?? undefined)))).commit();
    }
    sheet.commit();
  }
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}
