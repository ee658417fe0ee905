import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { searchSummary, searchSummaryCsv } from './prisma-s.ts';
import { sampleInput } from './prisma.fixture.ts';

describe('PRISMA-S search summary', () => {
  const rows = searchSummary(sampleInput());

  it('has one row per search with records reported and imported', () => {
    expect(rows.map((r) => [r.source, r.recordsReported, r.recordsImported])).toEqual([
      ['MEDLINE', 5, 5],
      ['Embase', 4, 4],
      ['ClinicalTrials.gov', null, 2],
      ['NICE website', null, 2],
      ['The King’s Fund', null, 1],
      ['Citation searching', null, 2],
    ]);
    expect(rows[0]).toMatchObject({ platform: 'Ovid', date: '2026-10-01', limits: '2010-2026; English' });
  });

  it('writes CSV with a header, multi-line strategies quoted and formulas neutralised', () => {
    const input = sampleInput();
    input.searches[0]!.strategy = '1. exp Quality Improvement/\n2. =1 and review.pt.';
    input.searches[1]!.strategy = '-cmd|calc';
    const table = parse(searchSummaryCsv(searchSummary(input))) as string[][];
    expect(table[0]).toEqual([
      'Source',
      'Kind',
      'Platform',
      'Date searched',
      'Search strategy',
      'Limits',
      'Records reported',
      'Records imported',
    ]);
    expect(table[1]![4]).toBe('1. exp Quality Improvement/\n2. =1 and review.pt.');
    expect(table[2]![4]).toBe("'-cmd|calc");
    expect(table[3]![6]).toBe('');
  });

  it('quotes a strategy holding a carriage return, so no row a spreadsheet sees starts with a formula', () => {
    const input = sampleInput();
    input.searches[0]!.strategy = '\r@SUM(1+1)';
    input.searches[1]!.strategy = 'asthma\r@SUM(1+1)';
    input.searches[2]!.limits = 'x\n=HYPERLINK("http://evil.example")';
    const csv = searchSummaryCsv(searchSummary(input));
    expect(csv).toContain('"asthma\r@SUM(1+1)"');
    expect(csv).toContain(`"'\r@SUM(1+1)"`);
    // Read it as a spreadsheet does: a bare CR or LF ends a row.
    const table = parse(csv, { record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
    expect(table).toHaveLength(1 + input.searches.length);
    for (const row of table) {
      expect(row).toHaveLength(8);
      for (const cell of row) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(table[1]![4]).toBe("'\r@SUM(1+1)");
    expect(table[2]![4]).toBe('asthma\r@SUM(1+1)');
  });
});
