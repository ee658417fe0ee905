import { appendEvent, type Db, type Sql } from '@winnow/core';
import { getStageConfig, isStageHeld, lockStage } from '../stages/stage-config.repository.ts';
import type { Stage } from '../stages/stage.types.ts';
import {
  planAssignments,
  rebalance,
  type ExistingAssignment,
  type RoutingOrder,
} from './assignment.planner.ts';

/**
 * Title/abstract screens kept records only: a duplicate is screened once, through its kept record.
 * Records of an import still being read, or not yet compared by a dedup run, wait: they may turn
 * out to be duplicates of records already in reviewers' queues.
 */
export async function enterTitleAbstract(db: Sql, reviewId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO stage_records (review_id, record_id, stage)
       SELECT r.review_id, r.id, 'title-abstract' FROM records r JOIN imports i ON i.id = r.import_id
       WHERE r.review_id = $1 AND r.duplicate_of IS NULL AND i.status = 'complete' AND NOT i.awaiting_dedup
       ON CONFLICT DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [reviewId],
  );
  return rows[0]?.n ?? 0;
}

export async function stageReviewers(db: Sql, reviewId: string): Promise<string[]> {
  const { rows } = await db.query<{ userId: string }>(
    `SELECT m.user_id AS "userId" FROM members m JOIN users u ON u.id = m.user_id
     WHERE m.review_id = $1 AND m.role = 'reviewer' AND u.disabled_at IS NULL ORDER BY m.user_id`,
    [reviewId],
  );
  return rows.map((r) => r.userId);
}

/**
 * Whether one record still lacks assignments at a stage, by the same rule routeStage uses (live
 * assignments of current reviewers plus votes already cast by former ones, against the votes the
 * record needs). A record that has entered a stage is usually routed by an earlier run that picked
 * it up with others; asking this first spares a run over the whole stage per record.
 */
export async function recordNeedsRouting(
  db: Sql,
  input: { reviewId: string; stage: Stage; recordId: string; votesNeeded: number },
): Promise<boolean> {
  const { rows } = await db.query<{ needs: boolean }>(
    `WITH reviewers AS (
       SELECT m.user_id FROM members m JOIN users u ON u.id = m.user_id
       WHERE m.review_id = $1 AND m.role = 'reviewer' AND u.disabled_at IS NULL)
     SELECT s.status = 'awaiting-votes' AND r.duplicate_of IS NULL AND
            (SELECT count(*) FROM assignments a WHERE a.record_id = s.record_id AND a.stage = s.stage
              AND a.state <> 'revoked' AND a.reviewer_id IN (SELECT user_id FROM reviewers)) +
            (SELECT count(*) FROM assignments a WHERE a.record_id = s.record_id AND a.stage = s.stage
              AND a.state = 'done' AND a.reviewer_id NOT IN (SELECT user_id FROM reviewers))
            < coalesce(s.votes_needed, $4) AS needs
     FROM stage_records s JOIN records r ON r.id = s.record_id
     WHERE s.record_id = $3 AND s.stage = $2 AND s.review_id = $1`,
    [input.reviewId, input.stage, input.recordId, input.votesNeeded],
  );
  return rows[0]?.needs ?? false;
}

/**
 * Records of a stage still waiting for votes that no routing can complete: every current reviewer
 * counts once (assigned, voted or free to take it) and so does each vote a former reviewer cast,
 * and together they are fewer than the votes the record needs. These wait for the lead to add a
 * reviewer or lower the votes needed; nobody else is told about them.
 */
export async function countShortOfReviewers(
  db: Sql,
  input: { reviewId: string; stage: Stage; votesNeeded: number },
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH reviewers AS (
       SELECT m.user_id FROM members m JOIN users u ON u.id = m.user_id
       WHERE m.review_id = $1 AND m.role = 'reviewer' AND u.disabled_at IS NULL)
     SELECT count(*)::int AS n
     FROM stage_records s JOIN records r ON r.id = s.record_id
     WHERE s.review_id = $1 AND s.stage = $2 AND s.status = 'awaiting-votes' AND r.duplicate_of IS NULL
       -- Needing more votes than there are reviewers comes first: with enough reviewers (the usual
       -- case) no record's former votes are counted.
       AND coalesce(s.votes_needed, $3) > (SELECT count(*) FROM reviewers)
       AND (SELECT count(*) FROM reviewers) +
           (SELECT count(*) FROM assignments a WHERE a.record_id = s.record_id AND a.stage = s.stage
             AND a.state = 'done' AND a.reviewer_id NOT IN (SELECT user_id FROM reviewers))
           < coalesce(s.votes_needed, $3)`,
    [input.reviewId, input.stage, input.votesNeeded],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Takes records that a dedup run (or a lead's same-report decision) has merged into another record
 * out of the reviewers' queues: their open assignments are revoked, one `assignment.revoked` event
 * each. Votes already cast on them stay in the log but no longer count: the kept record of the group
 * is what is screened. Their stage rows stay, so a record split back out picks up where it was (a
 * returning reviewer gets the revoked assignment back through routeStage's upsert).
 */
export async function withdrawDuplicates(tx: Sql, reviewId: string, stage: Stage): Promise<number> {
  const { rows } = await tx.query<{ recordId: string; reviewerId: string; keptId: string }>(
    `UPDATE assignments a SET state = 'revoked' FROM records r
     WHERE a.review_id = $1 AND a.stage = $2 AND a.state = 'open'
       AND r.id = a.record_id AND r.duplicate_of IS NOT NULL
     RETURNING a.record_id AS "recordId", a.reviewer_id AS "reviewerId", r.duplicate_of AS "keptId"`,
    [reviewId, stage],
  );
  for (const r of rows)
    await appendEvent(tx, {
      reviewId,
      type: 'assignment.revoked',
      entityType: 'record',
      entityId: r.recordId,
      data: { stage, reviewerId: r.reviewerId, reason: 'merged as a duplicate', keptId: r.keptId },
    });
  return rows.length;
}

export type ScoreSource = (
  db: Sql,
  reviewId: string,
  stage: Stage,
) => Promise<ReadonlyMap<string, number> | null>;

const CHUNK = 500;

export interface RouteResult {
  assigned: number;
  revoked: number;
  /** Records left short of reviewers (fewer reviewers than the votes they need). */
  shortfall: number;
  moved: number;
  /** Open assignments taken back because their record became a duplicate. */
  withdrawn: number;
  /** True when a lead holds the stage closed: records wait, nothing was assigned. */
  held: boolean;
}

/**
 * Routes every record of the stage that lacks assignments, in chunks of one transaction each. Each
 * chunk re-plans from what is committed, under a lock on the stage, so a worker killed mid-way loses
 * nothing (the retry carries on) and two routers never over-assign a record. The chunks go through
 * the records in key order, each after the last: a record that stays short (fewer reviewers than it
 * needs) is not read again in the run, so it cannot keep the records after it from being routed.
 */
export async function routeStage(
  db: Db,
  input: {
    reviewId: string;
    stage: Stage;
    scores?: ScoreSource;
    onProgress?: (done: number) => Promise<void>;
  },
): Promise<RouteResult> {
  const { config } = await getStageConfig(db, input.reviewId, input.stage);
  const scores =
    config.order === 'prioritised' && input.scores
      ? await input.scores(db, input.reviewId, input.stage)
      : null;
  const order: RoutingOrder = scores
    ? { kind: 'prioritised', scores, seed: config.seed }
    : { kind: 'random', seed: config.seed };
  let withdrawn = 0;
  let assigned = 0;
  let revoked = 0;
  let shortfall = 0;
  let held = false;
  /** The last record the previous chunk read: the next chunk starts after it. */
  let after: string | null = null;
  for (let round = 0; ; round++) {
    const result = await db.transaction(async (tx) => {
      await lockStage(tx, input.reviewId, input.stage);
      // Before planning, so a duplicate's revoked assignment is never planned again below.
      withdrawn += await withdrawDuplicates(tx, input.reviewId, input.stage);
      // Read under the lock: a hold committed before this round assigns nothing in it.
      if (await isStageHeld(tx, input.reviewId, input.stage)) {
        held = true;
        return null;
      }
      const reviewers = await stageReviewers(tx, input.reviewId);
      const { rows: existing } = await tx.query<ExistingAssignment & { position: number }>(
        `SELECT record_id AS "recordId", reviewer_id AS "reviewerId", state = 'open' AS open, position
         FROM assignments WHERE review_id = $1 AND stage = $2 AND state <> 'revoked'`,
        [input.reviewId, input.stage],
      );
      // Records still short of votes: not settled, fewer live assignments than needed.
      const { rows: pending } = await tx.query<{ recordId: string; need: number }>(
        `SELECT s.record_id AS "recordId", coalesce(s.votes_needed, $3)::int AS need
         FROM stage_records s JOIN records r ON r.id = s.record_id
         WHERE s.review_id = $1 AND s.stage = $2 AND s.status = 'awaiting-votes' AND r.duplicate_of IS NULL
           AND (SELECT count(*) FROM assignments a WHERE a.record_id = s.record_id AND a.stage = s.stage
                AND a.state <> 'revoked' AND a.reviewer_id = ANY($4::uuid[])) +
               (SELECT count(*) FROM assignments a WHERE a.record_id = s.record_id AND a.stage = s.stage
                AND a.state = 'done' AND NOT a.reviewer_id = ANY($4::uuid[])) < coalesce(s.votes_needed, $3)
           AND ($6::uuid IS NULL OR s.record_id > $6::uuid)
         ORDER BY s.record_id LIMIT $5`,
        [input.reviewId, input.stage, config.votesNeeded, reviewers, CHUNK, after],
      );
      const revokable = existing.filter((a) => a.open && !reviewers.includes(a.reviewerId));
      if (pending.length === 0 && revokable.length === 0) return null;
      const offset = existing.reduce((m, a) => Math.max(m, a.position + 1), 0);
      const byNeed = new Map<number, string[]>();
      for (const p of pending) byNeed.set(p.need, [...(byNeed.get(p.need) ?? []), p.recordId]);
      const plannedExisting: ExistingAssignment[] = existing.map((a) => ({
        recordId: a.recordId,
        reviewerId: a.reviewerId,
        open: a.open,
      }));
      let count = 0;
      let stuck = 0;
      const revokedNow = new Set<string>();
      for (const [need, recordIds] of byNeed) {
        const plan = planAssignments({
          recordIds,
          reviewerIds: reviewers,
          votesNeeded: need,
          existing: plannedExisting,
          order,
          positionOffset: offset,
        });
        for (const r of plan.revoked) {
          const key = `${r.recordId}|${r.reviewerId}`;
          if (revokedNow.has(key)) continue;
          revokedNow.add(key);
          await tx.query(
            `UPDATE assignments SET state = 'revoked' WHERE record_id = $1 AND stage = $2 AND reviewer_id = $3 AND state = 'open'`,
            [r.recordId, input.stage, r.reviewerId],
          );
          await appendEvent(tx, {
            reviewId: input.reviewId,
            type: 'assignment.revoked',
            entityType: 'record',
            entityId: r.recordId,
            data: { stage: input.stage, reviewerId: r.reviewerId, reason: 'no longer a reviewer' },
          });
        }
        // One statement for the plan (its triggers keep the library rows once, not once a row). A
        // reviewer who left and came back gets their revoked assignment back rather than a new row.
        // The planner gives each record distinct reviewers, so no row is written twice.
        if (plan.assignments.length > 0)
          await tx.query(
            `INSERT INTO assignments (review_id, record_id, stage, reviewer_id, position)
             SELECT $1, a.record_id, $2, a.reviewer_id, a.position
               FROM unnest($3::uuid[], $4::uuid[], $5::int[]) AS a(record_id, reviewer_id, position)
             ON CONFLICT (record_id, stage, reviewer_id) DO UPDATE SET state = 'open', position = EXCLUDED.position
             WHERE assignments.state = 'revoked'`,
            [
              input.reviewId,
              input.stage,
              plan.assignments.map((a) => a.recordId),
              plan.assignments.map((a) => a.reviewerId),
              plan.assignments.map((a) => a.position),
            ],
          );
        for (const a of plan.assignments)
          plannedExisting.push({ recordId: a.recordId, reviewerId: a.reviewerId, open: true });
        count += plan.assignments.length;
        stuck += plan.shortfall.length;
      }
      if (count > 0 || revokedNow.size > 0) {
        await appendEvent(tx, {
          reviewId: input.reviewId,
          type: 'assignment.created',
          entityType: 'stage',
          entityId: input.stage,
          data: {
            assignments: count,
            revoked: revokedNow.size,
            reviewers: reviewers.length,
            order: order.kind,
          },
        });
      }
      return {
        count,
        revoked: revokedNow.size,
        stuck,
        pending: pending.length,
        last: pending.at(-1)?.recordId,
      };
    });
    if (!result) break;
    assigned += result.count;
    revoked += result.revoked;
    shortfall += result.stuck;
    await input.onProgress?.(assigned);
    // A chunk shorter than CHUNK was the last of the records short of reviewers.
    if (result.pending < CHUNK || !result.last || round > 10_000) break;
    after = result.last;
  }
  const moved = held ? 0 : await rebalanceStage(db, input.reviewId, input.stage);
  return { assigned, revoked, shortfall, moved, withdrawn, held };
}

/**
 * Evens out open work after reviewers join: moves open assignments from the busiest reviewers to
 * the least busy (never to someone who already has, had, or gave back the record). Each move is
 * logged with who it came from.
 */
export async function rebalanceStage(db: Db, reviewId: string, stage: Stage): Promise<number> {
  return db.transaction(async (tx) => {
    await lockStage(tx, reviewId, stage);
    const reviewers = await stageReviewers(tx, reviewId);
    const { rows } = await tx.query<ExistingAssignment & { position: number }>(
      `SELECT record_id AS "recordId", reviewer_id AS "reviewerId", state = 'open' AS open, position
       FROM assignments WHERE review_id = $1 AND stage = $2`,
      [reviewId, stage],
    );
    const moves = rebalance({ reviewerIds: reviewers, existing: rows });
    for (const m of moves) {
      await tx.query(
        `UPDATE assignments SET reviewer_id = $4 WHERE record_id = $1 AND stage = $2 AND reviewer_id = $3 AND state = 'open'`,
        [m.recordId, stage, m.from, m.to],
      );
      await appendEvent(tx, {
        reviewId,
        type: 'assignment.reassigned',
        entityType: 'record',
        entityId: m.recordId,
        data: { stage, from: m.from, to: m.to, reason: 'load balancing' },
      });
    }
    return moves.length;
  });
}
