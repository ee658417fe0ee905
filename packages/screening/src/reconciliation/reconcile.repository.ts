import { appendEvent, type Db, type Sql } from '@winnow/core';
import { parseStageConfig } from '../stages/stage-config.repository.ts';
import type { Stage } from '../stages/stage.types.ts';
import {
  loadRecordVotes,
  RECORD_VOTES_SQL,
  recordVotesOf,
  type RecordVoteRow,
  type RecordVotes,
} from './decisions.repository.ts';
import { outcomeText, reconcile, type Outcome } from './reconcile.ts';

/** The part of an outcome that matters for "did anything change": vote counts while waiting do not. */
function outcomeKey(o: Outcome | null): string {
  // A record that has never been reconciled is waiting for votes: recording that would be noise.
  if (!o || o.status === 'awaiting-votes') return 'awaiting-votes';
  return outcomeText(o);
}

export interface ReconcileResult {
  changed: boolean;
  outcome: Outcome;
  explanation: string;
  /** Set when the record entered full text, so the caller routes that stage. */
  advancedTo?: Stage;
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
 * holder committed): `locked` says the caller (castDecision) already holds it, and the stage row
 * and the votes are then read in one round trip; otherwise the lock is taken first.
 */
export async function reconcileWithin(
  tx: Sql,
  input: { reviewId: string; recordId: string; stage: Stage; locked?: boolean },
): Promise<ReconcileResult> {
  type StageRow = { outcome: Outcome | null; votesNeeded: number | null; config: string | null };
  const stageRow = `SELECT s.outcome, s.votes_needed AS "votesNeeded",
            (SELECT c.config::text FROM stage_configs c WHERE c.review_id = s.review_id AND c.stage = s.stage) AS config`;
  let row: StageRow | undefined;
  let recorded: RecordVotes;
  if (input.locked) {
    const { rows } = await tx.query<StageRow & { votes: RecordVoteRow[] }>(
      `${stageRow}, (SELECT coalesce(json_agg(v ORDER BY v.seq), '[]'::json) FROM (${RECORD_VOTES_SQL}) v) AS votes
       FROM stage_records s WHERE s.record_id = $1 AND s.stage = $2 AND s.review_id = $3`,
      [input.recordId, input.stage, input.reviewId],
    );
    row = rows[0];
    recorded = recordVotesOf(rows[0]?.votes ?? []);
  } else {
    const { rows } = await tx.query<StageRow>(
      `${stageRow} FROM stage_records s WHERE s.record_id = $1 AND s.stage = $2 AND s.review_id = $3 FOR UPDATE OF s`,
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
  // A reconciler that finds nothing new writes nothing (the common case for the second of two votes).
  if (!row.outcome || outcomeText(row.outcome) !== outcomeText(r.outcome))
    await tx.query(
      `UPDATE stage_records SET status = $3, outcome = $4, basis_seq = $5, updated_at = now() WHERE record_id = $1 AND stage = $2`,
      [input.recordId, input.stage, r.outcome.status, JSON.stringify(r.outcome), r.basisSeq],
    );
  if (!changed) return { changed: false, outcome: r.outcome, explanation: r.explanation };
  const { rows: inserted } = await tx.query<{ id: number }>(
    `INSERT INTO reconciliations (review_id, record_id, stage, basis_seq, outcome, explanation, reopened)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (record_id, stage, basis_seq) DO NOTHING RETURNING id`,
    [
      input.reviewId,
      input.recordId,
      input.stage,
      r.basisSeq,
      JSON.stringify(r.outcome),
      r.explanation,
      r.reopened,
    ],
  );
  if (inserted.length === 0) return { changed: false, outcome: r.outcome, explanation: r.explanation };
  const base = { reviewId: input.reviewId, entityType: 'record', entityId: input.recordId };
  await appendEvent(tx, {
    ...base,
    type: r.reopened ? 'record.reopened' : 'record.reconciled',
    data: {
      stage: input.stage,
      outcome: r.outcome,
      previous: row.outcome,
      explanation: r.explanation,
      basisSeq: r.basisSeq,
    },
    idempotencyKey: `reconcile:${input.recordId}:${input.stage}:${r.basisSeq}`,
  });
  if (r.outcome.status === 'conflict') {
    const { rows: opened } = await tx.query<{ id: string }>(
      `INSERT INTO conflicts (review_id, record_id, stage, kind, opened_basis_seq) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (record_id, stage) WHERE status = 'open' DO NOTHING RETURNING id`,
      [input.reviewId, input.recordId, input.stage, r.outcome.kind, r.basisSeq],
    );
    if (opened[0])
      await appendEvent(tx, {
        ...base,
        type: 'conflict.opened',
        data: { stage: input.stage, conflictId: opened[0].id, kind: r.outcome.kind },
      });
  } else {
    const status =
      r.outcome.status !== 'awaiting-votes' && r.outcome.by === 'adjudication' ? 'resolved' : 'superseded';
    const { rows: closed } = await tx.query<{ id: string }>(
      `UPDATE conflicts SET status = $3, closed_at = now() WHERE record_id = $1 AND stage = $2 AND status = 'open' RETURNING id`,
      [input.recordId, input.stage, status],
    );
    for (const c of closed) {
      await appendEvent(tx, {
        ...base,
        type: status === 'resolved' ? 'conflict.resolved' : 'conflict.superseded',
        data: { stage: input.stage, conflictId: c.id, outcome: r.outcome },
      });
    }
  }
  let advancedTo: Stage | undefined;
  if (r.outcome.status === 'advanced' && r.outcome.to === 'full-text') {
    // At full text the unit is a report: the record's report is created once (titled as the
    // record), then screened. One statement enters both.
    await tx.query(
      `WITH report AS (
         INSERT INTO reports (review_id, record_id, title) SELECT $1, r.id, coalesce(r.title, '') FROM records r WHERE r.id = $2
         ON CONFLICT DO NOTHING)
       INSERT INTO stage_records (review_id, record_id, stage) VALUES ($1, $2, 'full-text') ON CONFLICT DO NOTHING`,
      [input.reviewId, input.recordId],
    );
    advancedTo = 'full-text';
  }
  return {
    changed: true,
    outcome: r.outcome,
    explanation: r.explanation,
    ...(advancedTo ? { advancedTo } : {}),
  };
}
