import type { Cell } from './table.types.ts';

/**
 * Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (or, for
 * tab and CR, shift it into one); OWASP's CSV-injection list.
 */
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * The one place exports defuse formula injection: a text cell that starts with a trigger gets a
 * leading apostrophe, which spreadsheets show as text and never evaluate. Numbers stay numbers
 * (a numeric -3 is data, not a formula). Applied to every CSV, XLSX and JSON cell.
 */
export function neutraliseCell(value: Cell): Cell {
  if (typeof value !== 'string' || value.length === 0) return value;
  return TRIGGERS.has(value[0] as string) ? `'${value}` : value;
}

export function isDangerous(value: Cell): boolean {
  return typeof value === 'string' && value.length > 0 && TRIGGERS.has(value[0] as string);
}

export function neutraliseRow(row: readonly Cell[]): Cell[] {
  return row.map(neutraliseCell);
}
