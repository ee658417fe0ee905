import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

export interface SheetBack {
  /** Row by row, header first; empty cells as null. */
  rows: Array<Array<string | number | null>>;
  /** Cells holding a formula (must be none) and cells of any type other than string or number. */
  formulas: number;
  otherTypes: number;
}

/** Reads an XLSX back with exceljs, for tests of any package (web tests have no exceljs of their own). */
export async function readXlsx(buffer: ArrayBuffer | Buffer): Promise<Map<string, SheetBack>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as ArrayBuffer);
  const out = new Map<string, SheetBack>();
  for (const ws of wb.worksheets) {
    const sheet: SheetBack = { rows: [], formulas: 0, otherTypes: 0 };
    const width = ws.columnCount;
    ws.eachRow({ includeEmpty: true }, (row) => {
      const cells: Array<string | number | null> = [];
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        if (cell.formula !== undefined || cell.type === ExcelJS.ValueType.Formula) sheet.formulas++;
        const v = cell.value;
        if (v === null || v === undefined) cells.push(null);
        else if (typeof v === 'string' || typeof v === 'number') cells.push(v);
        else {
          sheet.otherTypes++;
          cells.push(String(v));
        }
      }
      sheet.rows.push(cells);
    });
    out.set(ws.name, sheet);
  }
  return out;
}

export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true }) as string[][];
}
