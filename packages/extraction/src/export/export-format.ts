import { WinnowError } from '@winnow/core';
import { toCsv } from './csv.writer.ts';
import { toJson } from './json.writer.ts';
import type { Table } from './table.types.ts';
import { toXlsx } from './xlsx.writer.ts';

export type ExportFormat = 'csv' | 'xlsx' | 'json';

export interface RenderedExport {
  body: Buffer;
  mediaType: string;
  extension: ExportFormat;
}

/**
 * One file for any number of tables: XLSX gets a sheet per table, JSON an object keyed by
 * table name, CSV (one table per file by nature) stacks them as titled blocks separated by a
 * blank line, the way the seed's Tables 1 and 2 sit one under the other.
 */
export async function renderExport(tables: Table[], format: ExportFormat): Promise<RenderedExport> {
  switch (format) {
    case 'xlsx':
      return {
        body: await toXlsx(tables),
        mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        extension: 'xlsx',
      };
    case 'json':
      return { body: Buffer.from(toJson(tables)), mediaType: 'application/json', extension: 'json' };
    case 'csv': {
      if (tables.length === 1)
        return { body: Buffer.from(toCsv(tables[0]!)), mediaType: 'text/csv', extension: 'csv' };
      const blocks = tables.map((t, i) => {
        const csv = toCsv({ ...t, columns: t.columns, rows: t.rows }).replace(/^\ufeff/, '');
        return `${i === 0 ? '\ufeff' : ''}${toCsv({ name: '', columns: [t.name], rows: [] }).replace(/^\ufeff/, '')}${csv}`;
      });
      return { body: Buffer.from(blocks.join('\r\n')), mediaType: 'text/csv', extension: 'csv' };
    }
    default:
      throw new WinnowError(
        'UNSUPPORTED_FORMAT',
        `Unknown export format "${String(format)}" (csv, xlsx or json)`,
        {
          location: { field: 'format' },
        },
      );
  }
}
