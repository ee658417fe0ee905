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
      return 'The reports of another study were joined to this study';
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
 * The extraction events of the study a record's report belongs to, for the record page's history,
 * under the coding pages' rule between coders: a coder sees only their own codings and assignment
 * (the study route never shows another coder's coding, and the queue never says who else codes),
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
    `SELECT e.created_at AS at, e.type, e.actor_id::text AS "actorId", u.name AS who,
            e.data || jsonb_build_object('coderName', c.name) AS data
       FROM reports p JOIN events e ON e.review_id = p.review_id AND e.entity_type = 'study'
                                   AND e.entity_id = p.study_id::text
       LEFT JOIN users u ON u.id = e.actor_id
       LEFT JOIN users c ON c.id::text = e.data->>'coderId'
      WHERE p.review_id = $1 AND p.record_id = $2 AND p.study_id IS NOT NULL
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
