import { appendEvent, WinnowError, type Db, type Role, type Sql } from '@winnow/core';
import { checkDecision, type DecisionInput } from '../stages/decision.schema.ts';
import { getStageConfig } from '../stages/stage-config.repository.ts';
import type { Stage, Vote } from '../stages/stage.types.ts';
import type { VoteEvent } from './vote-events.ts';
import type { ResolutionEvent } from './reconcile.ts';

export interface CastResult {
  decisionId: number;
  recordId: string;
  stage: Stage;
}

async function latestOwnVote(
  tx: Sql,
  recordId: string,
  stage: Stage,
  userId: string,
): Promise<string | null> {
  const { rows } = await tx.query<{ vote: string }>(
    `SELECT vote FROM decisions WHERE record_id = $1 AND stage = $2 AND reviewer_id = $3 ORDER BY id DESC LIMIT 1`,
    [recordId, stage, userId],
  );
  return rows[0]?.vote ?? null;
}

/**
 * Records one vote as a new row (never an update) with its event, and marks the assignment done.
 * Reviewers vote on records assigned to them; adjudicators and leads may cast their own blind
 * vote on a record in conflict before resolving it.
 */
export async function castDecision(
  db: Db,
  input: { reviewId: string; stage: Stage; userId: string; roles: readonly Role[]; decision: DecisionInput },
): Promise<CastResult> {
  const { config } = await getStageConfig(db, input.reviewId, input.stage);
  const d = checkDecision(input.stage, config, input.decision);
  return db.transaction(async (tx) => {
    // One round trip for both: the caller's assignment and their latest vote on the record.
    const { rows: mine } = await tx.query<{ assigned: boolean; previous: string | null }>(
      `SELECT EXISTS (SELECT 1 FROM assignments WHERE review_id = $1 AND record_id = $2 AND stage = $3
                        AND reviewer_id = $4 AND state <> 'revoked') AS assigned,
              (SELECT vote FROM decisions WHERE record_id = $2 AND stage = $3 AND reviewer_id = $4
                 ORDER BY id DESC LIMIT 1) AS previous`,
      [input.reviewId, d.recordId, input.stage, input.userId],
    );
    let role: 'reviewer' | 'adjudicator' = 'reviewer';
    if (!mine[0]?.assigned) {
      const { rows: c } = await tx.query(
        `SELECT 1 FROM conflicts WHERE record_id = $1 AND stage = $2 AND status = 'open' AND review_id = $3`,
        [d.recordId, input.stage, input.reviewId],
      );
      const mayAdjudicate = input.roles.includes('adjudicator') || input.roles.includes('lead');
      if (c.length === 0 || !mayAdjudicate) {
        throw new WinnowError('NOT_FOUND', `Record ${d.recordId} is not assigned to you at ${input.stage}`, {
          location: { field: 'recordId' },
        });
      }
      role = 'adjudicator';
    }
    const previous = mine[0]?.previous ?? null;
    const { rows } = await tx.query<{ id: number }>(
      `WITH done AS (
         UPDATE assignments SET state = 'done', done_at = now()
         WHERE $5 = 'reviewer' AND record_id = $2 AND stage = $3 AND reviewer_id = $4 AND state <> 'revoked')
       INSERT INTO decisions (review_id, record_id, stage, reviewer_id, role, vote, reasons, labels, note, previous_vote)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        input.reviewId,
        d.recordId,
        input.stage,
        input.userId,
        role,
        d.vote,
        JSON.stringify(d.reasons ?? []),
        JSON.stringify(d.labels ?? []),
        d.note ?? null,
        previous === 'retract' ? null : previous,
      ],
    );
    const decisionId = rows[0]!.id;
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'decision.cast',
      actorId: input.userId,
      entityType: 'record',
      entityId: d.recordId,
      data: {
        stage: input.stage,
        decisionId,
        role,
        vote: d.vote,
        reasons: d.reasons,
        previous: previous === 'retract' ? null : previous,
      },
    });
    return { decisionId, recordId: d.recordId, stage: input.stage };
  });
}

/** Undo: a retraction row; the record goes back into the reviewer's queue. */
export async function retractDecision(
  db: Db,
  input: { reviewId: string; stage: Stage; userId: string; recordId: string },
): Promise<CastResult> {
  return db.transaction(async (tx) => {
    const previous = await latestOwnVote(tx, input.recordId, input.stage, input.userId);
    if (!previous || previous === 'retract') {
      throw new WinnowError(
        'CONFLICT',
        `You have no vote on record ${input.recordId} at ${input.stage} to undo`,
      );
    }
    const { rows } = await tx.query<{ id: number; role: string }>(
      `INSERT INTO decisions (review_id, record_id, stage, reviewer_id, role, vote, previous_vote)
       SELECT $1, $2, $3, $4, role, 'retract', $5 FROM decisions
       WHERE record_id = $2 AND stage = $3 AND reviewer_id = $4 ORDER BY id DESC LIMIT 1
       RETURNING id, role`,
      [input.reviewId, input.recordId, input.stage, input.userId, previous],
    );
    const decisionId = rows[0]!.id;
    if (rows[0]!.role === 'reviewer') {
      await tx.query(
        `UPDATE assignments SET state = 'open', done_at = NULL WHERE record_id = $1 AND stage = $2 AND reviewer_id = $3 AND state = 'done'`,
        [input.recordId, input.stage, input.userId],
      );
    }
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'decision.retracted',
      actorId: input.userId,
      entityType: 'record',
      entityId: input.recordId,
      data: { stage: input.stage, decisionId, previous },
    });
    return { decisionId, recordId: input.recordId, stage: input.stage };
  });
}

export interface RecordVotes {
  votes: VoteEvent[];
  adjudicatorVotes: (VoteEvent & { role: 'adjudicator' })[];
  resolutions: ResolutionEvent[];
}

export async function loadRecordVotes(db: Sql, recordId: string, stage: Stage): Promise<RecordVotes> {
  const { rows } = await db.query<{
    seq: number;
    reviewerId: string;
    vote: Vote | 'retract';
    reasons: string[];
    note: string | null;
    role: string;
  }>(
    `SELECT id AS seq, reviewer_id AS "reviewerId", vote, reasons, note, role FROM decisions
     WHERE record_id = $1 AND stage = $2 ORDER BY id`,
    [recordId, stage],
  );
  const { rows: res } = await db.query<{
    seq: number;
    adjudicatorId: string;
    vote: 'include' | 'exclude';
    reasons: string[];
  }>(
    `SELECT id AS seq, adjudicator_id AS "adjudicatorId", vote, reasons FROM resolutions WHERE record_id = $1 AND stage = $2 ORDER BY id`,
    [recordId, stage],
  );
  const toEvent = (r: (typeof rows)[number]): VoteEvent => ({
    seq: Number(r.seq),
    reviewerId: r.reviewerId,
    vote: r.vote,
    reasons: r.reasons,
    note: r.note ?? undefined,
  });
  return {
    votes: rows.filter((r) => r.role === 'reviewer').map(toEvent),
    adjudicatorVotes: rows
      .filter((r) => r.role === 'adjudicator')
      .map((r) => ({ ...toEvent(r), role: 'adjudicator' as const })),
    resolutions: res.map((r) => ({ ...r, seq: Number(r.seq) })),
  };
}
