import { appendEvent, WinnowError, type Db, type Sql } from '@winnow/core';
import { stageReviewers } from '../routing/assignments.repository.ts';
import { setStageOpen } from '../stages/stage-config.repository.ts';
import type { Stage, Vote } from '../stages/stage.types.ts';
import {
  calibrationConfigSchema,
  calibrationStatus,
  selectPilotSet,
  type CalibrationConfig,
  type CalibrationStatus,
} from './calibration.ts';

/**
 * Starts a pilot: picks records of the stage, makes every reviewer screen them (votes needed = number
 * of reviewers), and closes the stage to everything else until the pilot passes.
 */
export async function startCalibration(
  db: Db,
  input: { reviewId: string; stage: Stage; config: unknown; actorId: string },
): Promise<{ id: string; recordIds: string[]; config: CalibrationConfig }> {
  const parsed = calibrationConfigSchema.safeParse(input.config ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WinnowError('VALIDATION', `calibration ${issue?.path.join('.')}: ${issue?.message}`, {
      location: { field: issue?.path.join('.') ?? '' },
    });
  }
  const config = parsed.data;
  return db.transaction(async (tx) => {
    const reviewers = await stageReviewers(tx, input.reviewId);
    if (reviewers.length < 2)
      throw new WinnowError('CONFLICT', 'A calibration pilot needs at least two reviewers in the review');
    const { rows: candidates } = await tx.query<{ id: string }>(
      `SELECT s.record_id AS id FROM stage_records s WHERE s.review_id = $1 AND s.stage = $2 AND s.status = 'awaiting-votes'
         AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.record_id = s.record_id AND d.stage = s.stage)`,
      [input.reviewId, input.stage],
    );
    if (candidates.length < 2)
      throw new WinnowError(
        'CONFLICT',
        `Stage ${input.stage} has fewer than two unscreened records to pilot on; route records first`,
      );
    const recordIds = selectPilotSet(
      candidates.map((c) => c.id),
      config.size,
      config.seed,
    );
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO calibrations (review_id, stage, config, record_ids, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (review_id, stage) WHERE status = 'running' DO NOTHING RETURNING id`,
      [input.reviewId, input.stage, JSON.stringify(config), JSON.stringify(recordIds), input.actorId],
    );
    if (!rows[0])
      throw new WinnowError('CONFLICT', `A calibration pilot is already running at ${input.stage}`);
    await tx.query(
      `UPDATE stage_records SET pilot = true, votes_needed = $3 WHERE review_id = $4 AND stage = $2 AND record_id = ANY($1::uuid[])`,
      [recordIds, input.stage, reviewers.length, input.reviewId],
    );
    await setStageOpen(tx, input.reviewId, input.stage, false);
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'calibration.started',
      actorId: input.actorId,
      entityType: 'stage',
      entityId: input.stage,
      data: { calibrationId: rows[0].id, records: recordIds.length, reviewers: reviewers.length, config },
    });
    return { id: rows[0].id, recordIds, config };
  });
}

export interface CalibrationView extends CalibrationStatus {
  id: string;
  status: string;
  config: CalibrationConfig;
  records: number;
}

async function currentCalibration(db: Sql, reviewId: string, stage: Stage) {
  const { rows } = await db.query<{
    id: string;
    status: string;
    config: CalibrationConfig;
    recordIds: string[];
  }>(
    `SELECT id, status, config, record_ids AS "recordIds" FROM calibrations WHERE review_id = $1 AND stage = $2 ORDER BY created_at DESC LIMIT 1`,
    [reviewId, stage],
  );
  return rows[0] ?? null;
}

/** Where a pilot stands on the votes cast on its records so far. */
async function pilotStatus(
  db: Sql,
  reviewId: string,
  stage: Stage,
  cal: { config: CalibrationConfig; recordIds: string[] },
): Promise<CalibrationStatus> {
  const reviewers = await stageReviewers(db, reviewId);
  const { rows: votes } = await db.query<{ recordId: string; reviewerId: string; vote: Vote | 'retract' }>(
    `SELECT DISTINCT ON (record_id, reviewer_id) record_id AS "recordId", reviewer_id AS "reviewerId", vote
     FROM decisions WHERE stage = $2 AND role = 'reviewer' AND record_id = ANY($1::uuid[]) ORDER BY record_id, reviewer_id, id DESC`,
    [cal.recordIds, stage],
  );
  return calibrationStatus({
    pilotRecordIds: cal.recordIds,
    reviewerIds: reviewers,
    votes: votes.filter((v) => v.vote !== 'retract').map((v) => ({ ...v, vote: v.vote as Vote })),
    config: cal.config,
  });
}

/**
 * The pilot's status; when it has reached the threshold, the stage opens (once, logged). Kappa is
 * an aggregate over completed pilot votes only, so it reveals no single vote to anyone still screening.
 */
export async function checkCalibration(
  db: Db,
  input: { reviewId: string; stage: Stage },
): Promise<CalibrationView | null> {
  const cal = await currentCalibration(db, input.reviewId, input.stage);
  if (!cal) return null;
  const status = await pilotStatus(db, input.reviewId, input.stage, cal);
  let state = cal.status;
  if (cal.status === 'running' && status.open) {
    await db.transaction(async (tx) => {
      const { rows } = await tx.query(
        `UPDATE calibrations SET status = 'passed', closed_at = now() WHERE id = $1 AND status = 'running' RETURNING id`,
        [cal.id],
      );
      if (rows.length === 0) return;
      await setStageOpen(tx, input.reviewId, input.stage, true);
      await appendEvent(tx, {
        reviewId: input.reviewId,
        type: 'calibration.passed',
        entityType: 'stage',
        entityId: input.stage,
        data: { calibrationId: cal.id, kappa: status.kappa, reason: status.reason },
      });
    });
    state = 'passed';
  }
  return { id: cal.id, status: state, config: cal.config, records: cal.recordIds.length, ...status };
}

/**
 * A lead may open the stage without waiting for the pilot (logged as such, with where the pilot
 * stood: its kappa and threshold, for the report's Methods).
 */
export async function cancelCalibration(
  db: Db,
  input: { reviewId: string; stage: Stage; actorId: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; config: CalibrationConfig; recordIds: string[] }>(
      `UPDATE calibrations SET status = 'cancelled', closed_at = now() WHERE review_id = $1 AND stage = $2 AND status = 'running'
       RETURNING id, config, record_ids AS "recordIds"`,
      [input.reviewId, input.stage],
    );
    const cal = rows[0];
    const status = cal ? await pilotStatus(tx, input.reviewId, input.stage, cal) : null;
    await setStageOpen(tx, input.reviewId, input.stage, true);
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'calibration.cancelled',
      actorId: input.actorId,
      entityType: 'stage',
      entityId: input.stage,
      data:
        cal && status
          ? {
              calibrationId: cal.id,
              records: cal.recordIds.length,
              kappa: status.kappa,
              threshold: cal.config.threshold,
              rule: cal.config.rule,
              reason: status.reason,
            }
          : {},
    });
  });
}
