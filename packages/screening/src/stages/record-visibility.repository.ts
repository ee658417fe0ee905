import type { Role, Sql } from '@winnow/core';
import { visibility, type Visibility } from './blinding.policy.ts';
import { getStageConfig } from './stage-config.repository.ts';
import { STAGES, type Stage } from './stage.types.ts';

/**
 * One stage of a record as the viewer may see it, with the viewer's own part in it: `voted` (a
 * standing vote, an adjudicator's vote or resolution), `screens` (assigned to the record there).
 */
export interface RecordStageSight {
  vis: Visibility;
  status: string;
  /** A conflict that is a "maybe" (a reviewer unsure), not a disagreement. */
  maybe: boolean;
  blind: boolean;
  voted: boolean;
  screens: boolean;
}

export interface RecordViewer {
  reviewId: string;
  userId: string;
  roles: readonly Role[];
}

/**
 * What the viewer may see of the votes on one record at each stage it has entered, by
 * blinding.policy.ts exactly: the inputs (assignments, latest votes, adjudicators' votes and
 * resolutions, settled status) are read as the record page reads them for its history.
 */
export async function recordStageVisibility(
  db: Sql,
  viewer: RecordViewer,
  recordId: string,
): Promise<Map<Stage, RecordStageSight>> {
  const { rows } = await db.query<{
    stage: Stage;
    status: string;
    kind: string | null;
    assigned: string[];
    voters: string[];
    adjudicators: string[];
  }>(
    `SELECT sr.stage, sr.status, sr.outcome->>'kind' AS kind,
            ARRAY(SELECT reviewer_id::text FROM assignments a
                   WHERE a.review_id = $1 AND a.record_id = $2 AND a.stage = sr.stage AND a.state <> 'revoked') AS assigned,
            ARRAY(SELECT l.reviewer_id::text FROM (
                    SELECT DISTINCT ON (reviewer_id, role) reviewer_id, role, vote FROM decisions d
                     WHERE d.review_id = $1 AND d.record_id = $2 AND d.stage = sr.stage
                     ORDER BY reviewer_id, role, id DESC) l
                   WHERE l.role = 'reviewer' AND l.vote <> 'retract') AS voters,
            ARRAY(SELECT l.reviewer_id::text FROM (
                    SELECT DISTINCT ON (reviewer_id, role) reviewer_id, role, vote FROM decisions d
                     WHERE d.review_id = $1 AND d.record_id = $2 AND d.stage = sr.stage
                     ORDER BY reviewer_id, role, id DESC) l
                   WHERE l.role = 'adjudicator' AND l.vote <> 'retract'
                  UNION SELECT adjudicator_id::text FROM resolutions s
                   WHERE s.review_id = $1 AND s.record_id = $2 AND s.stage = sr.stage) AS adjudicators
       FROM stage_records sr WHERE sr.review_id = $1 AND sr.record_id = $2`,
    [viewer.reviewId, recordId],
  );
  const out = new Map<Stage, RecordStageSight>();
  for (const stage of STAGES) {
    const r = rows.find((x) => x.stage === stage);
    if (!r) continue;
    const blind = (await getStageConfig(db, viewer.reviewId, stage)).config.blind;
    out.set(stage, {
      status: r.status,
      maybe: r.status === 'conflict' && r.kind === 'maybe',
      blind,
      voted: r.voters.includes(viewer.userId) || r.adjudicators.includes(viewer.userId),
      screens: r.assigned.includes(viewer.userId),
      vis: visibility({
        blind,
        viewerId: viewer.userId,
        roles: viewer.roles,
        assignedReviewerIds: r.assigned,
        voterIds: r.voters,
        adjudicatorVoterIds: r.adjudicators,
        settled: r.status === 'advanced' || r.status === 'excluded',
      }),
    });
  }
  return out;
}
