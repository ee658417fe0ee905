import type { Role, Sql } from '@winnow/core';
import { visibility, type Visibility } from './blinding.policy.ts';
import { getStageConfig } from './stage-config.repository.ts';
import { STAGES, type Stage } from './stage.types.ts';

export interface ScreenedRecordVisibility {
  recordId: string;
  stage: Stage;
  /** The record's state at the stage (awaiting-votes, conflict, advanced, excluded). */
  status: string;
  /** The viewer's screening vote on it stands (cast and not retracted). */
  voted: boolean;
  visibility: Visibility;
}

/**
 * What the viewer may see of each record they screen (assigned, or voted on as a reviewer) in a
 * blind stage, decided by blinding.policy.ts for every such record in one round trip. Records the
 * viewer does not screen are not listed: the policy never blinds a non-screener on aggregate views
 * (the event log is for leads, who see everything on records they do not screen; status counts
 * cannot be tied to a single vote there). Views that pool records (the event log, /status) use
 * this list to leave out or recount what a blinded viewer may not learn.
 */
export async function screenedRecordVisibility(
  db: Sql,
  input: { reviewId: string; viewerId: string; roles: readonly Role[] },
): Promise<ScreenedRecordVisibility[]> {
  const blindStages: Stage[] = [];
  for (const stage of STAGES)
    if ((await getStageConfig(db, input.reviewId, stage)).config.blind) blindStages.push(stage);
  if (blindStages.length === 0) return [];
  const { rows } = await db.query<{
    recordId: string;
    stage: Stage;
    status: string;
    assigned: string[];
    voters: string[];
    adjudicators: string[];
  }>(
    // Current votes are the latest row per reviewer and role, as currentVotes() reads them.
    `WITH mine AS (
       SELECT record_id, stage FROM assignments
        WHERE review_id = $1 AND reviewer_id = $2 AND state <> 'revoked' AND stage = ANY($3::text[])
       UNION
       SELECT record_id, stage FROM decisions
        WHERE review_id = $1 AND reviewer_id = $2 AND role = 'reviewer' AND stage = ANY($3::text[])),
     latest AS (
       SELECT DISTINCT ON (d.record_id, d.stage, d.reviewer_id, d.role) d.record_id, d.stage, d.reviewer_id, d.role, d.vote
         FROM decisions d JOIN mine m ON m.record_id = d.record_id AND m.stage = d.stage
        WHERE d.review_id = $1
        ORDER BY d.record_id, d.stage, d.reviewer_id, d.role, d.id DESC)
     SELECT m.record_id AS "recordId", m.stage, s.status,
            ARRAY(SELECT a.reviewer_id::text FROM assignments a
                   WHERE a.review_id = $1 AND a.record_id = m.record_id AND a.stage = m.stage AND a.state <> 'revoked') AS assigned,
            ARRAY(SELECT l.reviewer_id::text FROM latest l
                   WHERE l.record_id = m.record_id AND l.stage = m.stage AND l.role = 'reviewer' AND l.vote <> 'retract') AS voters,
            ARRAY(SELECT l.reviewer_id::text FROM latest l
                   WHERE l.record_id = m.record_id AND l.stage = m.stage AND l.role = 'adjudicator' AND l.vote <> 'retract'
                  UNION
                  SELECT r.adjudicator_id::text FROM resolutions r
                   WHERE r.review_id = $1 AND r.record_id = m.record_id AND r.stage = m.stage) AS adjudicators
       FROM mine m JOIN stage_records s ON s.record_id = m.record_id AND s.stage = m.stage AND s.review_id = $1`,
    [input.reviewId, input.viewerId, blindStages],
  );
  return rows.map((r) => ({
    recordId: r.recordId,
    stage: r.stage,
    status: r.status,
    voted: r.voters.includes(input.viewerId),
    visibility: visibility({
      blind: true,
      viewerId: input.viewerId,
      roles: input.roles,
      assignedReviewerIds: r.assigned,
      voterIds: r.voters,
      adjudicatorVoterIds: r.adjudicators,
      settled: r.status === 'advanced' || r.status === 'excluded',
    }),
  }));
}
