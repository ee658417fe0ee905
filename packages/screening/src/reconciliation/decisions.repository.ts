import { appendEvent, WinnowError, type Db, type Role, type Sql } from '@winnow/core';
import { checkDecision, type DecisionInput } from '../stages/decision.schema.ts';
import { isStageHeld, parseStageConfig } from '../stages/stage-config.repository.ts';
import type { Stage, Vote } from '../stages/stage.types.ts';
import type { VoteEvent } from './vote-events.ts';
import type { ResolutionEvent } from './reconcile.ts';
import { NOT_RETRIEVED_VOTE_MESSAGE, notRetrievedSql } from '../fulltext/retrieval.repository.ts';
import { reconcileInputSql, recordVotesSql, type ReconcileInputRow } from './reconcile-input.sql.ts';
import { reconcileWithin, type ReconcileResult } from './reconcile.repository.ts';
import { FULL_TEXT_BEGUN_MESSAGE, fullTextBegunSql } from './fulltext-withdrawal.repository.ts';

/**
 * SQL ($1 review, $2 record, $3 stage): locks the record's stage row, the first lock a vote or an
 * undo takes. Their writes take more row locks through triggers: the decision's current_votes
 * trigger locks this same stage row (to count the votes), and the library triggers lock the
 * record's library row. Reconciliation (here or in a job) locks the stage row first and then the
 * library row (its stage update's trigger). Taken in the other order, a vote that had locked the
 * library row and waited for the stage row deadlocked with a reconcile job holding the stage row and
 * waiting for the library row (an undo's job racing the next vote on the same record). One order
 * everywhere, stage row first, leaves nothing to deadlock.
 */
const LOCK_STAGE_ROW = `SELECT 1 FROM stage_records WHERE review_id = $1 AND record_id = $2 AND stage = $3 FOR UPDATE`;

/**
 * SQL ($1 review, $2 record): a vote at `stage` on this record has no full text to assess (only a
 * full-text vote can lack one). Written per stage, not as `$3 = 'full-text' AND …`: with the stage a
 * parameter, PostgreSQL's plan for any stage (its generic plan) kept the report lookup that a plan
 * for 'title-abstract' drops, so it looked dearer and the vote's check was planned afresh at every
 * call (2,013 plans in 2,000 calls, 0.31 ms each, in the screening-latency bench).
 */
function notAssessableSql(stage: Stage): string {
  return stage === 'full-text'
    ? `EXISTS (SELECT 1 FROM reports rp WHERE rp.record_id = $2 AND rp.review_id = $1 AND ${notRetrievedSql('rp.id')})`
    : 'false';
}

/** Why a reviewer's vote (or undo) on a held stage is refused, and what becomes of it. */
function heldMessage(stage: Stage, outcome: string): string {
  return `${stage === 'full-text' ? 'Full-text assessment' : 'Title/abstract screening'} is on hold: the lead has paused it. ${outcome}`;
}
const HELD_VOTE =
  'Your vote was not recorded; the record stays in your queue for when the lead opens the stage again.';
const HELD_UNDO = 'Your vote stands; you can undo it when the lead opens the stage again.';

/** One SQL text per stage, built once. */
function perStage(build: (stage: Stage) => string): Record<Stage, string> {
  return { 'title-abstract': build('title-abstract'), 'full-text': build('full-text') };
}

/**
 * SQL ($1 review, $2 record, $3 stage): what reconciling the record reads, with the vote the same
 * statement writes (its `cast_` CTE), which the statement cannot read back from the table.
 */
const CAST_RECONCILE_INPUT = reconcileInputSql(
  '$2',
  '$3',
  '$1',
  `SELECT 'd', id, reviewer_id, vote, reasons, note, role FROM cast_`,
);

/**
 * SQL ($1 review, $2 record, $3 stage, $4 voter): the vote's check. Takes the stage row's lock, and
 * reads the stage's configuration and whether a lead holds it, whether the report has no full text
 * to assess, the voter's assignment and an open conflict.
 */
const CHECK_VOTE = perStage(
  (stage) => `WITH locked AS (${LOCK_STAGE_ROW})
     SELECT (SELECT count(*)::int FROM locked) AS locked,
            (SELECT config::text FROM stage_configs WHERE review_id = $1 AND stage = $3) AS config,
            coalesce((SELECT held_at IS NOT NULL FROM stage_configs WHERE review_id = $1 AND stage = $3), false) AS held,
            ${notAssessableSql(stage)} AS unassessable,
            EXISTS (SELECT 1 FROM assignments WHERE review_id = $1 AND record_id = $2 AND stage = $3
                      AND reviewer_id = $4 AND state <> 'revoked') AS assigned,
            EXISTS (SELECT 1 FROM conflicts WHERE record_id = $2 AND stage = $3 AND status = 'open'
                      AND review_id = $1) AS conflict`,
);

/**
 * SQL ($1-$9: review, record, stage, voter, role, vote, reasons, labels, note): the vote's write with
 * its event and assignment, returning what reconciling reads (see castWithin).
 */
const CAST_VOTE = perStage(
  (stage) => `WITH allowed AS (
     SELECT 1 AS ok WHERE CASE WHEN $5 = 'reviewer'
       THEN EXISTS (SELECT 1 FROM assignments WHERE review_id = $1 AND record_id = $2 AND stage = $3
                      AND reviewer_id = $4 AND state <> 'revoked')
       ELSE EXISTS (SELECT 1 FROM conflicts WHERE record_id = $2 AND stage = $3 AND status = 'open' AND review_id = $1)
     END AND NOT ${notAssessableSql(stage)}),
   prev AS (
     SELECT nullif((SELECT vote FROM decisions WHERE record_id = $2 AND stage = $3 AND reviewer_id = $4
                    ORDER BY id DESC LIMIT 1), 'retract') AS vote),
   done AS (
     UPDATE assignments SET state = 'done', done_at = now()
     WHERE $5 = 'reviewer' AND EXISTS (SELECT 1 FROM allowed)
       AND record_id = $2 AND stage = $3 AND reviewer_id = $4 AND state <> 'revoked'),
   cast_ AS (
     INSERT INTO decisions (review_id, record_id, stage, reviewer_id, role, vote, reasons, labels, note, previous_vote)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, prev.vote FROM allowed, prev
     RETURNING id, previous_vote, reviewer_id, vote, reasons, note, role),
   logged AS (
     INSERT INTO events (review_id, type, actor_id, entity_type, entity_id, data)
     SELECT $1, 'decision.cast', $4, 'record', $2,
            jsonb_build_object('stage', $3::text, 'decisionId', id, 'role', $5::text, 'vote', $6::text,
                               'reasons', $7::jsonb, 'previous', previous_vote)
     FROM cast_)
   SELECT c.id, (SELECT row_to_json(i) FROM (${CAST_RECONCILE_INPUT}) i) AS read
     FROM cast_ c`,
);

export interface CastResult {
  decisionId: number;
  recordId: string;
  stage: Stage;
}

export interface CastAndReconciled extends CastResult {
  /** The record's outcome decided in the vote's own transaction. */
  reconciled: ReconcileResult;
}

/** The caller's latest vote row on a record of this review; `known` is false for another review's record. */
async function latestOwnVote(
  tx: Sql,
  input: { reviewId: string; recordId: string; stage: Stage; userId: string },
): Promise<{ known: boolean; vote: string | null }> {
  const { rows } = await tx.query<{ known: boolean; vote: string | null }>(
    `SELECT EXISTS (SELECT 1 FROM records WHERE id = $1 AND review_id = $4) AS known,
            (SELECT vote FROM decisions WHERE record_id = $1 AND stage = $2 AND reviewer_id = $3 AND review_id = $4
              ORDER BY id DESC LIMIT 1) AS vote`,
    [input.recordId, input.stage, input.userId, input.reviewId],
  );
  return rows[0] ?? { known: false, vote: null };
}

/**
 * Records one vote as a new row (never an update) with its event, and marks the assignment done.
 * Reviewers vote on records assigned to them; adjudicators and leads may cast their own blind
 * vote on a record in conflict before resolving it.
 *
 * Two round trips, the fewest a checked vote needs: one read (stage configuration, the caller's
 * assignment, an open conflict) so the vote is validated before anything is written, then one
 * statement that writes the decision, its `decision.cast` event and the assignment, and reads back
 * what reconciling the record reads (its stage row, and its votes with the new one: the statement
 * cannot see its own insert, so the vote comes from its RETURNING). The read took the stage row's
 * lock, so the write's snapshot, taken after it, holds every vote committed before. One statement
 * is one transaction: the vote and its event land together or not at all. It re-checks the
 * caller's right to vote, so an assignment revoked in between refuses the vote rather than logging it.
 * No full-text vote is taken on a record whose report is marked not retrieved (by anyone, before
 * or while the vote is sent): there is no full text to assess.
 *
 * The lean vote path: the record is reconciled in the same transaction as the vote (reconcileWithin,
 * under the stage_records row lock), so the outcome, its events and any conflict land with the vote.
 * Two votes on one record in two transactions serialise on that lock: the first decides on what it
 * sees, the second waits, then reads both votes (a new statement sees the first's commit) and
 * decides once. What must run elsewhere (routing the next stage, a retrain) is for the caller to
 * queue after the commit (screeningFollowUps).
 */
export async function castDecision(
  db: Db,
  input: { reviewId: string; stage: Stage; userId: string; roles: readonly Role[]; decision: DecisionInput },
): Promise<CastAndReconciled> {
  return db.transaction(async (tx) => {
    const { read, ...cast } = await castWithin(tx, input);
    // castWithin took the stage row's lock first, and read what the reconciler reads with its write.
    const reconciled = await reconcileWithin(tx, {
      reviewId: input.reviewId,
      recordId: cast.recordId,
      stage: input.stage,
      locked: true,
      read,
      // A changed vote that would take the record back out of full text once it is being assessed
      // there is refused, and the vote with it.
      fullTextBegun: 'refuse',
    });
    return { ...cast, reconciled };
  });
}

async function castWithin(
  db: Sql,
  input: { reviewId: string; stage: Stage; userId: string; roles: readonly Role[]; decision: DecisionInput },
): Promise<CastResult & { read: ReconcileInputRow | null }> {
  const recordId = input.decision.recordId;
  const { rows: check } = await db.query<{
    config: string | null;
    assigned: boolean;
    conflict: boolean;
    unassessable: boolean;
    held: boolean;
    /** Read so the lock is taken (a CTE nobody reads is not run). */
    locked: number;
  }>(CHECK_VOTE[input.stage], [input.reviewId, recordId, input.stage, input.userId]);
  const d = checkDecision(input.stage, parseStageConfig(check[0]?.config ?? null), input.decision);
  const mayAdjudicate = input.roles.includes('adjudicator') || input.roles.includes('lead');
  const notYours = () =>
    new WinnowError(
      'NOT_FOUND',
      `This record is not in your ${input.stage === 'full-text' ? 'full-text' : 'title/abstract'} queue (it may have been merged as a duplicate or given to someone else)`,
      {
        location: { field: 'recordId' },
      },
    );
  let role: 'reviewer' | 'adjudicator' = 'reviewer';
  if (!check[0]?.assigned) {
    if (!check[0]?.conflict || !mayAdjudicate) throw notYours();
    role = 'adjudicator';
  }
  // A held stage serves nothing, not even what a reviewer already had on screen: a vote sent after
  // the lead paused it (to change the criteria, say) is refused, and the record stays assigned for
  // when the stage opens. An adjudicator's vote on a conflict is not screening from a queue.
  if (role === 'reviewer' && check[0]?.held)
    throw new WinnowError('CONFLICT', heldMessage(input.stage, HELD_VOTE));
  const notRetrieved = () => new WinnowError('CONFLICT', NOT_RETRIEVED_VOTE_MESSAGE);
  if (check[0]?.unassessable) throw notRetrieved();
  const reasons = d.reasons ?? [];
  const { rows } = await db.query<{ id: number; read: ReconcileInputRow | null }>(CAST_VOTE[input.stage], [
    input.reviewId,
    d.recordId,
    input.stage,
    input.userId,
    role,
    d.vote,
    JSON.stringify(reasons),
    JSON.stringify(d.labels ?? []),
    d.note ?? null,
  ]);
  if (!rows[0]) {
    // Refused in the write itself: say whether the report was marked not retrieved meanwhile.
    if (input.stage !== 'full-text') throw notYours();
    const { rows: now } = await db.query<{ unassessable: boolean }>(
      `SELECT ${notAssessableSql(input.stage)} AS unassessable`,
      [input.reviewId, recordId],
    );
    throw now[0]?.unassessable ? notRetrieved() : notYours();
  }
  return { decisionId: rows[0].id, recordId: d.recordId, stage: input.stage, read: rows[0].read };
}

/** The record is included at title/abstract and its full-text assessment has begun. */
async function includedAndInFullText(tx: Sql, recordId: string): Promise<boolean> {
  const { rows } = await tx.query<{ begun: boolean }>(
    `SELECT s.status = 'advanced' AND ${fullTextBegunSql('s.record_id')} AS begun
       FROM stage_records s WHERE s.record_id = $1 AND s.stage = 'title-abstract'`,
    [recordId],
  );
  return rows[0]?.begun ?? false;
}

/** Undo: a retraction row; the record goes back into the reviewer's queue. */
export async function retractDecision(
  db: Db,
  input: { reviewId: string; stage: Stage; userId: string; recordId: string },
): Promise<CastResult> {
  return db.transaction(async (tx) => {
    await tx.query(LOCK_STAGE_ROW, [input.reviewId, input.recordId, input.stage]);
    const { known, vote: previous } = await latestOwnVote(tx, input);
    if (!known)
      throw new WinnowError('NOT_FOUND', 'This record is not in this review', {
        location: { field: 'recordId' },
      });
    if (!previous || previous === 'retract') {
      throw new WinnowError('CONFLICT', 'You have no vote on this record to undo');
    }
    // An undo reopens the record: one already being assessed at full text keeps its inclusion.
    if (input.stage === 'title-abstract' && (await includedAndInFullText(tx, input.recordId)))
      throw new WinnowError('CONFLICT', FULL_TEXT_BEGUN_MESSAGE);
    const { rows } = await tx.query<{ id: number; role: string }>(
      `INSERT INTO decisions (review_id, record_id, stage, reviewer_id, role, vote, previous_vote)
       SELECT $1, $2, $3, $4, role, 'retract', $5 FROM decisions
       WHERE review_id = $1 AND record_id = $2 AND stage = $3 AND reviewer_id = $4 ORDER BY id DESC LIMIT 1
       RETURNING id, role`,
      [input.reviewId, input.recordId, input.stage, input.userId, previous],
    );
    if (!rows[0]) throw new WinnowError('NOT_FOUND', 'This record is not in this review');
    const decisionId = rows[0].id;
    // A held stage takes no screening change: undoing would reopen a settled record or a conflict
    // while the lead has paused the stage. Refused before anything is kept (the transaction ends).
    if (rows[0].role === 'reviewer') {
      if (await isStageHeld(tx, input.reviewId, input.stage))
        throw new WinnowError('CONFLICT', heldMessage(input.stage, HELD_UNDO));
      await tx.query(
        `UPDATE assignments SET state = 'open', done_at = NULL
         WHERE review_id = $4 AND record_id = $1 AND stage = $2 AND reviewer_id = $3 AND state = 'done'`,
        [input.recordId, input.stage, input.userId, input.reviewId],
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

/** One vote or resolution row of RECORD_VOTES_SQL. */
export interface RecordVoteRow {
  kind: 'd' | 'r';
  seq: number;
  userId: string;
  vote: Vote | 'retract';
  reasons: string[];
  note: string | null;
  role: string;
}

/** SQL ($1 record, $2 stage): the record's votes and resolutions at the stage, in order (RecordVoteRow). */
const RECORD_VOTES_SQL = recordVotesSql('$1', '$2');

export async function loadRecordVotes(db: Sql, recordId: string, stage: Stage): Promise<RecordVotes> {
  // Votes and resolutions in one round trip (this runs for every vote a reconciler sees).
  const { rows } = await db.query<RecordVoteRow>(RECORD_VOTES_SQL, [recordId, stage]);
  return recordVotesOf(rows);
}

/** The rows of RECORD_VOTES_SQL, sorted into reviewers' votes, adjudicators' votes and resolutions. */
export function recordVotesOf(rows: readonly RecordVoteRow[]): RecordVotes {
  const toEvent = (r: RecordVoteRow): VoteEvent => ({
    seq: Number(r.seq),
    reviewerId: r.userId,
    vote: r.vote,
    reasons: r.reasons,
    note: r.note ?? undefined,
  });
  const decisions = rows.filter((r) => r.kind === 'd');
  return {
    votes: decisions.filter((r) => r.role === 'reviewer').map(toEvent),
    adjudicatorVotes: decisions
      .filter((r) => r.role === 'adjudicator')
      .map((r) => ({ ...toEvent(r), role: 'adjudicator' as const })),
    resolutions: rows
      .filter((r) => r.kind === 'r')
      .map((r) => ({
        seq: Number(r.seq),
        adjudicatorId: r.userId,
        vote: r.vote as 'include' | 'exclude',
        reasons: r.reasons,
      })),
  };
}
