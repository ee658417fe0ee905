import { stringify } from 'csv-stringify/sync';
import type { PrismaInput, SourceKind } from './prisma.types.ts';

/** One row of the PRISMA-S search summary (Rethlefsen et al. 2021): one search as it was run. */
export interface SearchSummaryRow {
  searchId: string;
  source: string;
  kind: SourceKind;
  platform: string;
  date: string;
  strategy: string;
  limits: string;
  /** What the source said the search found; null when not recorded. */
  recordsReported: number | null;
  /** Records Winnow holds from the search. */
  recordsImported: number;
}

/** The search summary table, one row per search, in the order given (the repository orders by date). */
export function searchSummary(input: Pick<PrismaInput, 'searches' | 'records'>): SearchSummaryRow[] {
  const imported = new Map<string, number>();
  for (const r of input.records) imported.set(r.searchId, (imported.get(r.searchId) ?? 0) + 1);
  return input.searches.map((s) => ({
    searchId: s.id,
    source: s.source,
    kind: s.kind,
    platform: s.platform ?? '',
    date: s.date ?? '',
    strategy: s.strategy ?? '',
    limits: s.limits ?? '',
    recordsReported: s.recordsReported ?? null,
    recordsImported: imported.get(s.id) ?? 0,
  }));
}

export const SEARCH_SUMMARY_COLUMNS = [
  'Source',
  'Kind',
  'Platform',
  'Date searched',
  'Search strategy',
  'Limits',
  'Records reported',
  'Records imported',
] as const;

/** The summary as CSV for a supplement; strategies often start with "-" or "=": formulas are neutralised. */
export function searchSummaryCsv(rows: SearchSummaryRow[]): string {
  return stringify(
    [
      [...SEARCH_SUMMARY_COLUMNS],
      ...rows.map((r) => [
        r.source,
        r.kind,
        r.platform,
        r.date,
        r.strategy,
        r.limits,
        r.recordsReported === null ? '' : String(r.recordsReported),
        String(r.recordsImported),
      ]),
    ],
    // Naming record_delimiter turns off csv-stringify's quoting of a lone \r or \n, which a
    // spreadsheet still reads as a row break: "x\r@SUM(…)" would start a row with a formula.
    { escape_formulas: true, record_delimiter: 'unix', quote_record_delimiter: true },
  );
}
