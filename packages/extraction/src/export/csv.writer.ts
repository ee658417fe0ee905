import { stringify } from 'csv-stringify/sync';
import { neutraliseRow } from './formula-guard.ts';
import type { Table } from './table.types.ts';

/**
 * RFC 4180 CSV with a UTF-8 BOM (so Excel detects the encoding). csv-stringify handles quoting
 * of separators, quotes and newlines; formula injection goes through our one shared guard
 * rather than csv-stringify's `escape_formulas`, so CSV, XLSX and JSON behave the same.
 */
export function toCsv(table: Table): string {
  return stringify([table.columns, ...table.rows].map(neutraliseRow), {
    bom: true,
    record_delimiter: 'windows',
    // Naming record_delimiter turns off csv-stringify's quoting of a lone \r or \n; a spreadsheet
    // still breaks the row there, so "x\n@SUM(…)" would start a row with a formula.
    quote_record_delimiter: true,
  });
}
