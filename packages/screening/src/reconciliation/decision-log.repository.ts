import type { Sql } from '@winnow/core';

export interface DecisionLogRow {
  seq: number;
  at: Date;
  kind: 'vote' | 'retraction' | 'resolution' | 'reconciliation' | 'reassignment';
  stage: string;
  recordId: string;
  recordTitle: string;
  actorEmail: string | null;
  role: string;
  vote: string | null;
  previous: string | null;
  reasons: string;
  note: string | null;
}

/**
 * The whole screening log in order: votes, undos, resolutions, outcome changes and reassignments
 * (for a reassignment, `vote` is who received the record, `previous` who held it, `note` why).
 * `excludeOpenFor`: leave out records this user still has to screen (blind-mode exports by a lead
 * who also screens).
 */
export async function decisionLog(
  db: Sql,
  reviewId: string,
  opts: { excludeOpenFor?: string } = {},
): Promise<DecisionLogRow[]> {
  const { rows } = await db.query<DecisionLogRow>(
    `SELECT * FROM (
       SELECT d.id AS seq, d.created_at AS at, CASE WHEN d.vote = 'retract' THEN 'retraction' ELSE 'vote' END AS kind,
              d.stage, d.record_id AS "recordId", r.title AS "recordTitle", u.email AS "actorEmail", d.role,
              NULLIF(d.vote, 'retract') AS vote, d.previous_vote AS previous,
              (SELECT coalesce(string_agg(x, ';'), '') FROM jsonb_array_elements_text(d.reasons) x) AS reasons, d.note
       FROM decisions d JOIN records r ON r.id = d.record_id JOIN users u ON u.id = d.reviewer_id WHERE d.review_id = $1
       UNION ALL
       SELECT s.id, s.created_at, 'resolution', s.stage, s.record_id, r.title, u.email, 'adjudicator', s.vote, NULL,
              (SELECT coalesce(string_agg(x, ';'), '') FROM jsonb_array_elements_text(s.reasons) x), s.note
       FROM resolutions s JOIN records r ON r.id = s.record_id JOIN users u ON u.id = s.adjudicator_id WHERE s.review_id = $1
       UNION ALL
       SELECT c.basis_seq, c.created_at, 'reconciliation', c.stage, c.record_id, r.title, NULL, 'system', c.outcome->>'status', NULL,
              coalesce((SELECT string_agg(x, ';') FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(c.outcome->'reasons') = 'array' THEN c.outcome->'reasons' ELSE '[]'::jsonb END) x), ''),
              c.explanation
       FROM reconciliations c JOIN records r ON r.id = c.record_id WHERE c.review_id = $1
       UNION ALL
       SELECT e.id, e.created_at, 'reassignment', e.data->>'stage', r.id, r.title, NULL,
              'system', (SELECT email FROM users WHERE id::text = e.data->>'to'),
              (SELECT email FROM users WHERE id::text = coalesce(e.data->>'from', e.data->>'reviewerId')), '', e.data->>'reason'
       FROM events e JOIN records r ON r.id::text = e.entity_id
       WHERE e.review_id = $1 AND e.type IN ('assignment.reassigned', 'assignment.revoked')
     ) log
     WHERE $2::uuid IS NULL OR NOT EXISTS (
       SELECT 1 FROM assignments a WHERE a.record_id = log."recordId" AND a.stage = log.stage AND a.reviewer_id = $2 AND a.state = 'open')
     ORDER BY at, seq, kind`,
    [reviewId, opts.excludeOpenFor ?? null],
  );
  return rows;
}
