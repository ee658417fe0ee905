import { stringify } from 'csv-stringify/sync';
import type { DuplicateRow } from './dedup.repository.ts';

export const DUPLICATE_CSV_COLUMNS = [
  'group_id',
  'record_id',
  'source_file',
  'source_index',
  'kept',
  'tier',
  'score',
  'reason',
] as const;

/** `winnow export duplicates --format csv`; formulas escaped because file names and reasons come from users' data. */
export function duplicatesCsv(rows: readonly DuplicateRow[]): string {
  return stringify(
    rows.map((r) => DUPLICATE_CSV_COLUMNS.map((c) => (c === 'kept' ? String(r.kept) : r[c]))),
    { header: true, columns: [...DUPLICATE_CSV_COLUMNS], escape_formulas: true },
  );
}
