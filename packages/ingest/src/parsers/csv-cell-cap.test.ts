import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvCellCapper } from './csv-cell-cap.ts';

const cell = fc.oneof(
  fc.stringMatching(/^[a-z ]{0,30}$/),
  fc.stringMatching(/^[a-z ,"\n]{0,30}$/).map((s) => `"${s.replace(/"/g, '""')}"`),
);
const csv = fc
  .array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 })
  .map((rows) => rows.map((r) => r.join(',')).join('\n') + '\n');

function capped(text: string, cuts: number[], maxCell: number): { out: string; capper: CsvCellCapper } {
  const capper = new CsvCellCapper(44, true, maxCell);
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  let out = '';
  let from = 0;
  for (const c of [...at, text.length]) {
    out += capper.push(text.slice(from, c));
    from = c;
  }
  return { out: out + capper.end(), capper };
}

const read = (text: string): string[][] => parse(text, { relax_quotes: true, relax_column_count: true });

describe('CsvCellCapper', () => {
  it('passes cells within the limit through unchanged, however the text is chunked', () => {
    fc.assert(
      fc.property(csv, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        expect(capped(text, cuts, 1000).out).toBe(text);
      }),
    );
  });

  it('cuts each over-long cell to a prefix of at most the limit and keeps every row and column', () => {
    fc.assert(
      fc.property(csv, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const { out, capper } = capped(text, cuts, 5);
        const before = read(text);
        const after = read(out);
        expect(after.map((r) => r.length)).toEqual(before.map((r) => r.length));
        after.forEach((row, i) =>
          row.forEach((c, j) => {
            expect(before[i]![j]!.startsWith(c)).toBe(true);
            expect(c.length).toBeLessThanOrEqual(6);
          }),
        );
        // Line numbers map back to the file's: the last line is the same line.
        const lines = (s: string) => s.split('\n').length;
        expect(capper.fileLine(lines(out))).toBe(lines(text));
      }),
    );
  });
});
