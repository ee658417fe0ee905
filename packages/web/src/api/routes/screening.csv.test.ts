import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DECISION_COLUMNS, decisionsCsv } from './screening.csv.ts';

const row = (title: string, note: string) => ({
  seq: 1,
  at: new Date('2026-01-02T03:04:05Z'),
  kind: 'vote' as const,
  stage: 'title_abstract',
  recordId: 'r1',
  recordTitle: title,
  actorEmail: 'ann@example.org',
  role: 'reviewer',
  vote: 'exclude',
  previous: null,
  reasons: 'wrong setting',
  note,
});

/** Characters that break naive CSV or trigger a spreadsheet's formula guard. */
const tricky = fc.constantFrom('a', ' ', ',', '"', "'", '\r', '\n', '\t', '=', '+', '-', '@', 'é');

/** What a spreadsheet would run as a formula gets a leading apostrophe; nothing else changes. */
const guarded = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

describe('decisionsCsv', () => {
  it('keeps a cell with a bare CR, LF or CRLF inside one quoted cell, and neutralises formulas', () => {
    const csv = decisionsCsv([row('Lean\rin\nwards\r\nand clinics', '=HYPERLINK("http://x")')]);
    const rows = parse(csv, { relax_column_count: false }) as string[][];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual([...DECISION_COLUMNS]);
    expect(rows[1]![5]).toBe('Lean\rin\nwards\r\nand clinics');
    expect(rows[1]![11]).toBe(`'=HYPERLINK("http://x")`);
  });

  it('gives back every title and note a reviewer could type, one row per event (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: tricky }), fc.string({ unit: 'binary' })), {
          maxLength: 5,
        }),
        (cells) => {
          const rows = parse(decisionsCsv(cells.map(([t, n]) => row(t, n))), {
            bom: false,
          }) as string[][];
          expect(rows).toHaveLength(cells.length + 1);
          cells.forEach(([t, n], i) => {
            expect(rows[i + 1]![5]).toBe(guarded(t));
            expect(rows[i + 1]![11]).toBe(guarded(n));
          });
        },
      ),
    );
  });
});
