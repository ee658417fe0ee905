import type { RecordVoteRow } from './decisions.repository.ts';
import type { Outcome } from './reconcile.ts';

/** What a reconciler reads of a record at a stage: its stage row, and its votes and resolutions in order. */
export interface ReconcileInputRow {
  outcome: Outcome | null;
  votesNeeded: number | null;
  config: string | null;
  votes: RecordVoteRow[];
}

/**
 * SQL: the record's votes and resolutions at the stage, in order (RecordVoteRow), with `also` (a
 * SELECT of the same columns: a vote its own statement writes, which the statement cannot read back).
 * `record` and `stage` are SQL expressions (placeholders).
 */
export function recordVotesSql(record: string, stage: string, also?: string): string {
  return `SELECT 'd' AS kind, id AS seq, reviewer_id AS "userId", vote, reasons, note, role FROM decisions
     WHERE record_id = ${record} AND stage = ${stage}
     UNION ALL
     SELECT 'r', id, adjudicator_id, vote, reasons, NULL, 'adjudicator' FROM resolutions
     WHERE record_id = ${record} AND stage = ${stage}${also ? `\n     UNION ALL ${also}` : ''}
     ORDER BY seq`;
}

/** SQL: the stage row's columns a reconciler reads (ReconcileInputRow without the votes), from `s`. */
export const STAGE_ROW_COLUMNS = `s.outcome, s.votes_needed AS "votesNeeded",
            (SELECT c.config::text FROM stage_configs c WHERE c.review_id = s.review_id AND c.stage = s.stage) AS config`;

/** SQL: one row (ReconcileInputRow), or none for a record not in the stage. */
export function reconcileInputSql(record: string, stage: string, review: string, alsoVotes?: string): string {
  return `SELECT ${STAGE_ROW_COLUMNS},
            (SELECT coalesce(json_agg(v ORDER BY v.seq), '[]'::json) FROM (${recordVotesSql(record, stage, alsoVotes)}) v) AS votes
       FROM stage_records s WHERE s.record_id = ${record} AND s.stage = ${stage} AND s.review_id = ${review}`;
}
