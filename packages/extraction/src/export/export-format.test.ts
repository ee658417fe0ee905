import { describe, expect, it } from 'vitest';
import { parseCsv, readXlsx } from '../test-support/read-back.ts';
import { renderExport } from './export-format.ts';
import type { Table } from './table.types.ts';

const tables: Table[] = [
  { name: 'profile a', columns: ['category', 'total'], rows: [['Lean', '2 [1, 3]']] },
  { name: 'profile b', columns: ['category', 'total'], rows: [['@risk', '1 [2]']] },
];

describe('renderExport', () => {
  it('stacks several tables in one CSV as titled blocks', async () => {
    const out = await renderExport(tables, 'csv');
    expect(out.mediaType).toBe('text/csv');
    const rows = parseCsv(out.body.toString('utf8'));
    expect(rows).toEqual([
      ['profile a'],
      ['category', 'total'],
      ['Lean', '2 [1, 3]'],
      [''], // the blank line between blocks
      ['profile b'],
      ['category', 'total'],
      ["'@risk", '1 [2]'],
    ]);
  });

  it('writes one sheet per table in XLSX and an object per table in JSON', async () => {
    const xlsx = await readXlsx((await renderExport(tables, 'xlsx')).body);
    expect([...xlsx.keys()]).toEqual(['profile a', 'profile b']);
    expect(xlsx.get('profile b')!.rows[1]).toEqual(["'@risk", '1 [2]']);
    const json = JSON.parse((await renderExport(tables, 'json')).body.toString('utf8')) as Record<
      string,
      unknown[]
    >;
    expect(json['profile b']).toEqual([{ category: "'@risk", total: '1 [2]' }]);
  });

  it('refuses an unknown format', async () => {
    await expect(renderExport(tables, 'pdf' as never)).rejects.toThrow(/Unknown export format "pdf"/);
  });
});
