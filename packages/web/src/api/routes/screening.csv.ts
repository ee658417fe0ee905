import { stringify } from 'csv-stringify/sync';
import type { DecisionLogRow } from '@winnow/screening';

export const DECISION_COLUMNS = [
  'seq',
  'at',
  'kind',
  'stage',
  'record_id',
  'record_title',
  'actor',
  'role',
  'vote',
  'previous',
  'reasons',
  'note',
] as const;

/** One CSV line per logged event; formulas are escaped since reviewers type notes and titles come from exports. */
export function decisionsCsv(rows: readonly DecisionLogRow[]): string {
  return stringify(
    rows.map((r) => [
      r.seq,
      new Date(r.at).toISOString(),
      r.kind,
      r.stage,
      r.recordId,
      r.recordTitle,
      r.actorEmail ?? '',
      r.role,
      r.vote ?? '',
      r.previous ?? '',
      r.reasons,
      r.note ?? '',
    ]),
    { header: true, columns: [...DECISION_COLUMNS], escape_formulas: true, bom: false },
  );
}
