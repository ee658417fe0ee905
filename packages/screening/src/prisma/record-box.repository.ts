import type { Sql } from '@winnow/core';
import { recordStageVisibility, type RecordViewer } from '../stages/record-visibility.repository.ts';
import { derivePrismaFlow } from './prisma-flow.ts';
import { loadPrismaInput } from './prisma.repository.ts';
import { boxForViewer, recordBoxKeys, type BoxView } from './record-box.ts';

/**
 * The PRISMA boxes one record and its report count in, as the viewer may see them (blinding.policy:
 * a box that would tell an outcome the viewer may not see is hidden). Derived from that record's own
 * facts (its search, marks, title/abstract outcome, report, retrieval and full-text outcome): a box a
 * record counts in depends on nothing else, so the flow of this one record places it as the whole
 * review's flow would (the web PRISMA flow test holds the two equal for every record and viewer). Null when the
 * record is not in the review.
 */
export async function recordPrismaBoxes(
  db: Sql,
  viewer: RecordViewer,
  recordId: string,
): Promise<{ record: BoxView; report: BoxView } | null> {
  const { rows } = await db.query<{ reportId: string | null }>(
    `SELECT (SELECT p.id::text FROM reports p WHERE p.record_id = r.id) AS "reportId"
       FROM records r WHERE r.review_id = $1 AND r.id = $2`,
    [viewer.reviewId, recordId],
  );
  const rec = rows[0];
  if (!rec) return null;
  const flow = derivePrismaFlow(await loadPrismaInput(db, viewer.reviewId, recordId));
  const sight = await recordStageVisibility(db, viewer, recordId);
  const keys = recordBoxKeys(flow.ids, recordId, rec.reportId);
  const seen = (stage: 'title-abstract' | 'full-text') => sight.get(stage)?.vis;
  return { record: boxForViewer(keys.record, seen), report: boxForViewer(keys.report, seen) };
}
