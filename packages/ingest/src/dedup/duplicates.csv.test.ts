import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DUPLICATE_CSV_COLUMNS, duplicatesCsv } from './duplicates.csv.ts';

const tricky = fc.constantFrom('a', ' ', ',', '"', '\r', '\n', '\t', '=', '+', '-', '@', 'é');
const guarded = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

describe('duplicatesCsv', () => {
  it('gives back every file name as one cell of one row, formulas neutralised (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: tricky }), { maxLength: 5 }), (names) => {
        const csv = duplicatesCsv(
          names.map((sourceFile, i) => ({
            group_id: 'g1',
            record_id: `r${i}`,
            source_file: sourceFile,
            source_index: i,
            kept: i === 0,
            tier: 'doi',
            score: 1,
            reason: 'same DOI',
          })),
        );
        const rows = parse(csv) as string[][];
        expect(rows[0]).toEqual([...DUPLICATE_CSV_COLUMNS]);
        expect(rows.slice(1).map((r) => r[2])).toEqual(names.map(guarded));
        expect(rows.slice(1).map((r) => r[4])).toEqual(names.map((_, i) => String(i === 0)));
      }),
    );
  });
});
