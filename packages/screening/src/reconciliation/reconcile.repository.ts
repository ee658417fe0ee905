import type { Db, Sql } from '@winnow/core';
import { parseStageConfig } from '../stages/stage-config.repository.ts';
import type { Stage } from '../stages/stage.types.ts';
import { loadRecordVotes, recordVotesOf, type RecordVotes } from './decisions.repository.ts';
import { withdrawFromFullText } from './fulltext-withdrawal.repository.ts';
import { reconcileInputSql, STAGE_ROW_COLUMNS, type ReconcileInputRow } from './reconcile-input.sql.ts';
import { outcomeText, reconcile, type Outcome } from './reconcile.ts';

/** The part of an outcome that matters for "did anything change": vote counts while waiting do not. */
function outcomeKey(o: Outcome | null): string {
  // A record that has never been reconciled is waiting for votes: recording that would be noise.
  if (!o || o.status === 'awaiting-votes') return 'awaiting-votes';
  return outcomeText(o);
}

/** The stage row's outcome: $1 record, $2 stage, $3 status, $4 outcome, $5 basis. */
const UPDATE_STAGE_ROW = `UPDATE stage_records SET status = $3, outcome = $4, basis_seq = $5, updated_at = now()
                           WHERE record_id = $1 AND stage = $2`;

function stageRowParams(
  input: { recordId: string; stage: Stage },
  r: { outcome: Outcome; basisSeq: number },
): unknown[] {
  return [input.recordId, input.stage, r.outcome.status, JSON.stringify(r.outcome), r.basisSeq];
}

/**
 * A changed outcome, recorded in one statement (one round trip, where each write was one): the stage
 * row ($13: only when its outcome text changed), the reconciliation (once per basis: a second
 * reconciler of the same votes inserts nothing, and then nothing else is written), its event, and
 * then the conflict it opens ($14, the kind) or the open conflict it closes ($15, resolved or
 * superseded) with their events, and, when it advanced ($16), the record's report (at full text the
 * unit is a report, created once and titled as the record) and its entry to full text.
 * Each write after the reconciliation reads the one before it, and the final SELECT reads them in
 * the log's order, so the events' ids follow that order as they did when each was its own statement.
 */
const RECORD_OUTCOME = `WITH
  staged AS (${UPDATE_STAGE_ROW} AND $13::boolean RETURNING 1),
  recorded AS (
    INSERT INTO reconciliations (review_id, record_id, stage, basis_seq, outcome, explanation, reopened)
    SELECT $6, $1, $2, $5, $7, $8, $9 FROM (SELECT count(*) FROM staged) s
    ON CONFLICT (record_id, stage, basis_seq) DO NOTHING RETURNING id),
  logged AS (
    INSERT INTO events (review_id, type, entity_type, entity_id, data, idempotency_key)
    SELECT $6, $10, 'record', $1::text, $11::jsonb, $12 FROM recorded
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING id),
  opened AS (
    INSERT INTO conflicts (review_id, record_id, stage, kind, opened_basis_seq)
    SELECT $6, $1, $2, $14, $5 FROM recorded, (SELECT count(*) FROM logged) l WHERE $14::text IS NOT NULL
    ON CONFLICT (record_id, stage) WHERE status = 'open' DO NOTHING RETURNING id),
  opened_logged AS (
    INSERT INTO events (review_id, type, entity_type, entity_id, data)
    SELECT $6, 'conflict.opened', 'record', $1::text,
           jsonb_build_object('stage', $2::text, 'conflictId', o.id, 'kind', $14::text)
      FROM opened o RETURNING id),
  closed AS (
    UPDATE conflicts SET status = $15, closed_at = now()
     WHERE record_id = $1 AND stage = $2 AND status = 'open' AND $14::text IS NULL
       AND EXISTS (SELECT 1 FROM recorded) AND (SELECT count(*) FROM logged) >= 0
    RETURNING id),
  closed_logged AS (
    INSERT INTO events (review_id, type, entity_type, entity_id, data)
    SELECT $6, CASE WHEN $15 = 'resolved' THEN 'conflict.resolved' ELSE 'conflict.superseded' END, 'record', $1::text,
           jsonb_build_object('stage', $2::text, 'conflictId', c.id, 'outcome', $7::jsonb)
      FROM closed c RETURNING id),
  report AS (
    INSERT INTO reports (review_id, record_id, title)
    SELECT $6, r.id, coalesce(r.title, '') FROM records r WHERE r.id = $1 AND $16::boolean AND EXISTS (SELECT 1 FROM recorded)
    ON CONFLICT DO NOTHING),
  entered AS (
    INSERT INTO stage_records (review_id, record_id, stage)
    SELECT $6, $1, 'full-text' WHERE $16::boolean AND EXISTS (SELECT 1 FROM recorded)
    ON CONFLICT DO NOTHING)
  SELECT (SELECT count(*)::int FROM recorded) AS inserted, (SELECT count(*) FROM logged) AS logged,
         (SELECT count(*) FROM opened_logged) AS opened, (SELECT count(*) FROM closed_logged) AS closed`;

/** SQL ($1 record, $2 stage, $3 review): what reconciling the record reads (ReconcileInputRow). */
const RECONCILE_INPUT = reconcileInputSql('$1', '$2', '$3');

export interface ReconcileResult {
  changed: boolean;
  outcome: Outcome;
  explanation: string;
  /** Set when the record entered full text, so the caller routes that stage. */
  advancedTo?: Stage;
}

/** The outcome sent the record on to full text. */
function wasAdvanced(outcome: Outcome | null | undefined): boolean {
  return outcome?.status === 'advanced' && outcome.to === 'full-text';
}

/**
 * Reconciles one record at one stage in its own transaction (the reconciliation job: undo,
 * resolutions, repair). See reconcileWithin.
 */
export async function reconcileRecord(
  db: Db,
  input: { reviewId: string; recordId: string; stage: Stage },
): Promise<ReconcileResult> {
  return db.transaction((tx) => reconcileWithin(tx, input));
}

/**
 * Reconciles one record at one stage inside the caller's transaction (a vote reconciles in its
 * own). The row lock on stage_records serialises concurrent reconcilers of the same record; the
 * second one sees the outcome already recorded and writes nothing, so two votes arriving together
 * give exactly one reconciliation. The votes are read by a statement that starts after the lock is
 * held (a statement that waits for a row lock reads what committed before it started, not what the
 * holder committed): `locked` says the caller already holds it, and the stage row and the votes
 * are then read in one round trip (or given: castDecision reads them in its vote's write);
 * otherwise the lock is taken first.
 */
export async function reconcileWithin(
  tx: Sql,
  input: {
    reviewId: string;
    recordId: string;
    stage: Stage;
    locked?: boolean;
    /** What the caller's statement already read under the lock (castDecision: with the vote's write); null: not in the stage. */
    read?: ReconcileInputRow | null;
    /**
     * A title/abstract inclusion that no longer stands takes the record back out of full text
     * (withdrawFromFullText); when full-text assessment has begun, `refuse` undoes the caller's
     * change (a vote in this transaction) and `keep` (the default: a job, after the change was
     * committed) leaves the record in full text.
     */
    fullTextBegun?: 'refuse' | 'keep';
  },
): Promise<ReconcileResult> {
  let row: Omit<ReconcileInputRow, 'votes'> | undefined | null;
  let recorded: RecordVotes;
  if (input.read !== undefined) {
    row = input.read;
    recorded = recordVotesOf(input.read?.votes ?? []);
  } else if (input.locked) {
    const { rows } = await tx.query<ReconcileInputRow>(RECONCILE_INPUT, [
      input.recordId,
      input.stage,
      input.reviewId,
    ]);
    row = rows[0];
    recorded = recordVotesOf(rows[0]?.votes ?? []);
  } else {
    const { rows } = await tx.query<Omit<ReconcileInputRow, 'votes'>>(
      `SELECT ${STAGE_ROW_COLUMNS} FROM stage_records s WHERE s.record_id = $1 AND s.stage = $2 AND s.review_id = $3 FOR UPDATE OF s`,
      [input.recordId, input.stage, input.reviewId],
    );
    row = rows[0];
    recorded = row ? await loadRecordVotes(tx, input.recordId, input.stage) : recordVotesOf([]);
  }
  const config = parseStageConfig(row?.config ?? null);
  if (!row)
    return {
      changed: false,
      outcome: { status: 'awaiting-votes', have: 0, need: 0 },
      explanation: 'record is not in this stage',
    };
  const { votes, resolutions } = recorded;
  const r = reconcile({
    stage: input.stage,
    votesNeeded: row.votesNeeded ?? config.votesNeeded,
    votes,
    resolutions,
    previous: row.outcome,
  });
  const changed = outcomeKey(row.outcome) !== outcomeKey(r.outcome);
  const writeStage = !row.outcome || outcomeText(row.outcome) !== outcomeText(r.outcome);
  // A reconciler that finds nothing new writes nothing (the common case for the second of two votes).
  if (!changed) {
    if (writeStage) await tx.query(UPDATE_STAGE_ROW, stageRowParams(input, r));
    return { changed: false, outcome: r.outcome, explanation: r.explanation };
  }
  const advancedTo: Stage | undefined =
    r.outcome.status === 'advanced' && r.outcome.to === 'full-text' ? 'full-text' : undefined;
  const closedStatus =
    r.outcome.status !== 'awaiting-votes' &&
    r.outcome.status !== 'conflict' &&
    r.outcome.by === 'adjudication'
      ? 'resolved'
      : 'superseded';
  const leavesFullText =
    input.stage === 'title-abstract' && wasAdvanced(row.outcome) && !wasAdvanced(r.outcome);
  // The full-text stage row is locked before the outcome's write takes the record's library row:
  // a full-text vote takes them in that order, and taking them the other way round here could
  // deadlock with it.
  if (leavesFullText)
    await tx.query(`SELECT 1 FROM stage_records WHERE record_id = $1 AND stage = 'full-text' FOR UPDATE`, [
      input.recordId,
    ]);
  const { rows: written } = await tx.query<{ inserted: number }>(RECORD_OUTCOME, [
    ...stageRowParams(input, r),
    input.reviewId,
    JSON.stringify(r.outcome),
    r.explanation,
    r.reopened,
    r.reopened ? 'record.reopened' : 'record.reconciled',
    JSON.stringify({
      stage: input.stage,
      outcome: r.outcome,
      previous: row.outcome,
      explanation: r.explanation,
      basisSeq: r.basisSeq,
    }),
    `reconcile:${input.recordId}:${input.stage}:${r.basisSeq}`,
    writeStage,
    r.outcome.status === 'conflict' ? r.outcome.kind : null,
    closedStatus,
    advancedTo !== undefined,
  ]);
  if (!written[0]?.inserted) return { changed: false, outcome: r.outcome, explanation: r.explanation };
  if (leavesFullText)
    await withdrawFromFullText(tx, {
      reviewId: input.reviewId,
      recordId: input.recordId,
      begun: input.fullTextBegun ?? 'keep',
    });
  return {
    changed: true,
    outcome: r.outcome,
    explanation: r.explanation,
    ...(advancedTo ? { advancedTo } : {}),
  };
}
