import type { Role, Sql } from '@winnow/core';

export interface CodingHistoryEntry {
  at: Date;
  kind: string;
  who: string | null;
  stage: 'extraction';
  text: string;
  note: null;
}

/** Leads and adjudicators see every coder's work (they build the consensus); a coder sees only their own. */
const SEES_ALL: readonly Role[] = ['lead', 'adjudicator'];

function codingText(type: string, data: Record<string, unknown>, seesAll: boolean): string | null {
  switch (type) {
    case 'study.created':
      return `Included as a study for extraction${typeof data.label === 'string' ? ` (${data.label})` : ''}`;
    case 'study.joined':
      return 'The reports of another study were joined to this record’s study';
    case 'assignment.created':
      return `Given to ${typeof data.coderName === 'string' ? data.coderName : 'a coder'} to code`;
    case 'coding.saved':
      return 'Coding saved as a draft';
    case 'coding.submitted':
      return 'Coding submitted';
    case 'consensus.finalised': {
      const differed = Array.isArray(data.differences) ? data.differences.length : 0;
      // Which fields the coders differed on tells a coder something of the other's coding.
      if (!seesAll || differed === 0) return 'Consensus record finalised';
      return `Consensus record finalised (${differed} field${differed === 1 ? '' : 's'} where the coders differed)`;
    }
    default:
      return null;
  }
}

/**
 * The extraction events of the studies a record's report belonged to, each while it belonged to
 * it, for the record page's history: a report joined to another study does not take on that
 * study's past (its inclusion, its coders' work before the join), and keeps its own. Under the
 * coding pages' rule between coders: a coder sees only their own codings and assignment (the
 * study route never shows another coder's coding, and the queue never says who else codes),
 * while leads and adjudicators see every coder's.
 */
export async function recordCodingHistory(
  db: Sql,
  viewer: { reviewId: string; userId: string; roles: readonly Role[] },
  recordId: string,
): Promise<CodingHistoryEntry[]> {
  const { rows } = await db.query<{
    at: Date;
    type: string;
    actorId: string | null;
    who: string | null;
    data: Record<string, unknown>;
  }>(
    `WITH p AS (
       SELECT id, study_id FROM reports WHERE review_id = $1 AND record_id = $2
     ), links AS (
       -- Each time a lead linked the report to a study (joined, separated, moved).
       SELECT p.id AS report_id, e.id, e.data->>'studyId' AS study, e.data->>'previous' AS previous,
              row_number() OVER (PARTITION BY p.id ORDER BY e.id) AS n,
              lead(e.id) OVER (PARTITION BY p.id ORDER BY e.id) AS until
         FROM p JOIN events e ON e.review_id = $1 AND e.entity_type = 'report'
                             AND e.entity_id = p.id::text AND e.type = 'report.linked'
     ), spans AS (
       -- From each link to the next, the study it was linked to (and the one it left).
       SELECT study, previous AS left_study, id AS since, until FROM links
       UNION ALL
       -- Before its first link, the study it left then; never linked, the study it is part of.
       SELECT CASE WHEN l.id IS NULL THEN p.study_id::text ELSE l.previous END, NULL, 0, l.id
         FROM p LEFT JOIN links l ON l.report_id = p.id AND l.n = 1
     )
     SELECT e.created_at AS at, e.type, e.actor_id::text AS "actorId", u.name AS who,
            e.data || jsonb_build_object('coderName', c.name) AS data
       FROM spans s JOIN events e ON e.review_id = $1 AND e.entity_type = 'study' AND e.entity_id = s.study
                                 AND e.id >= s.since AND (s.until IS NULL OR e.id < s.until)
       LEFT JOIN users u ON u.id = e.actor_id
       LEFT JOIN users c ON c.id::text = e.data->>'coderId'
      -- The join that brought this record's own report: its report.linked line says so already.
      WHERE NOT (e.type = 'study.joined' AND e.data->>'from' IS NOT DISTINCT FROM s.left_study)
      -- Newest first, as the page's history: events of one transaction share their time.
      ORDER BY e.id DESC`,
    [viewer.reviewId, recordId],
  );
  const seesAll = viewer.roles.some((r) => SEES_ALL.includes(r));
  const out: CodingHistoryEntry[] = [];
  for (const e of rows) {
    const coder =
      e.type === 'assignment.created' && typeof e.data.coderId === 'string' ? e.data.coderId : e.actorId;
    const personal = e.type.startsWith('coding.') || e.type === 'assignment.created';
    if (personal && !seesAll && coder !== viewer.userId) continue;
    const text = codingText(e.type, e.data, seesAll);
    if (text === null) continue;
    out.push({ at: e.at, kind: e.type, who: e.who, stage: 'extraction', text, note: null });
  }
  return out;
}
