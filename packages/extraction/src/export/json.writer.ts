import { neutraliseCell } from './formula-guard.ts';
import type { Table } from './table.types.ts';

/** Rows as objects keyed by column; cells neutralised too, since JSON often ends up pasted into a sheet. */
export function tableToObjects(table: Table): Array<Record<string, string | number | null>> {
  return table.rows.map((row) =>
    Object.fromEntries(table.columns.map((c, i) => [neutraliseCell(c), neutraliseCell(row[i] ?? null)])),
  );
}

export function toJson(tables: Table[]): string {
  return `${JSON.stringify(Object.fromEntries(tables.map((t) => [t.name, tableToObjects(t)])), null, 2)}\n`;
}
