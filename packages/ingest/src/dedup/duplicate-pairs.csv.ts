import { stringify } from 'csv-stringify/sync';
import type { DuplicatePairRow } from './dedup.repository.ts';

export const DUPLICATE_PAIR_CSV_COLUMNS = [
  'record_a',
  'record_b',
  'source_file_a',
  'source_index_a',
  'source_file_b',
  'source_index_b',
  'status',
  'score',
  'reason',
] as const;

/**
 * `winnow export duplicate-pairs`: one row per candidate pair kept after blocking and scoring.
 * Formulas escaped (as the duplicates export does) because file names come from users.
 */
export function duplicatePairsCsv(rows: readonly DuplicatePairRow[]): string {
  return stringify(
    rows.map((r) => DUPLICATE_PAIR_CSV_COLUMNS.map((c) => r[c])),
    { header: true, columns: [...DUPLICATE_PAIR_CSV_COLUMNS], escape_formulas: true },
  );
}
