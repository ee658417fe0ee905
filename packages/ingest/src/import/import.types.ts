import type { CsvColumnMapping } from '../parsers/reader.types.ts';

export const SOURCE_KINDS = ['database', 'register', 'website', 'organisation', 'citation', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** PRISMA-S: one source searched on one date with one strategy. */
export interface SearchInput {
  sourceName: string;
  sourceKind?: SourceKind;
  platform?: string;
  /** YYYY-MM-DD */
  searchedOn?: string;
  strategy?: string;
  limits?: string;
  /** Records retrieved as the database reported them (compared with records parsed). */
  recordsReported?: number;
}

export interface ImportRow {
  id: string;
  reviewId: string;
  searchId: string | null;
  fileName: string;
  contentHash: string;
  format: string | null;
  requestedFormat: string | null;
  columnMapping: CsvColumnMapping | null;
  blobId: string | null;
  status: 'pending' | 'complete' | 'failed';
  recordCount: number;
  warnings: string[];
  errors: string[];
  warningCount: number;
  errorCount: number;
  recordsSkipped: number;
  recordsRepaired: number;
  forced: boolean;
  /** A record added by hand (its one-record RIS written by the server), not an uploaded file. */
  byHand: boolean;
  createdBy: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** What `winnow import --json` prints per file and the job returns. */
export interface ImportSummary {
  importId: string;
  searchId: string | null;
  fileName: string;
  format: string | null;
  status: ImportRow['status'];
  records: number;
  /** The first warnings, formatted `record 17 (line 402): no title; kept with warning`. */
  warnings: string[];
  errors: string[];
  warningCount: number;
  errorCount: number;
  /** Damaged records in the file that were skipped. */
  recordsSkipped: number;
  /** Damaged records kept with what could be read of them. */
  recordsRepaired: number;
  /** `complete with warnings` when the import completed but skipped or repaired records. */
  statusText: string;
}

export function summaryOf(row: ImportRow): ImportSummary {
  return {
    importId: row.id,
    searchId: row.searchId,
    fileName: row.fileName,
    format: row.format,
    status: row.status,
    records: row.recordCount,
    warnings: row.warnings,
    errors: row.errors,
    warningCount: row.warningCount,
    errorCount: row.errorCount,
    recordsSkipped: row.recordsSkipped,
    recordsRepaired: row.recordsRepaired,
    statusText:
      row.status === 'complete' && row.recordsSkipped + row.recordsRepaired > 0
        ? 'complete with warnings'
        : row.status,
  };
}

/**
 * The warning an import of a search carries when the search's records reported differ from the
 * records parsed from all its imports (`medline.ris: MEDLINE reported 120 records; 118 were parsed
 * from its imports`); `isCountCheckWarning` knows it again when the search's details change.
 */
export function countCheckWarning(
  fileName: string,
  sourceName: string,
  reported: number,
  parsed: number,
): string {
  return `${fileName}: ${sourceName} reported ${reported} records; ${parsed} were parsed from its imports`;
}

export function isCountCheckWarning(fileName: string, warning: string): boolean {
  return (
    warning.startsWith(`${fileName}: `) &&
    / reported \d+ records; \d+ were parsed from its imports$/.test(warning)
  );
}
