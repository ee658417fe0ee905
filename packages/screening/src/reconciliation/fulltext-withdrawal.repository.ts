import { appendEvent, WinnowError, type Sql } from '@winnow/core';

/**
 * SQL (record id given as `record`): full-text assessment of the record has begun, so a change at
 * title/abstract can no longer take it back out: a full-text vote (or undo) on it, a retrieval of
 * its report (a file, a link, a "not retrieved" mark, a file of a bulk upload), or its report
 * linked to a study.
 */
export function fullTextBegunSql(record: string): string {
  return `(EXISTS (SELECT 1 FROM decisions d WHERE d.record_id = ${record} AND d.stage = 'full-text')
        OR EXISTS (SELECT 1 FROM reports rp WHERE rp.record_id = ${record}
                    AND (rp.study_id IS NOT NULL
                         OR EXISTS (SELECT 1 FROM report_retrievals rr WHERE rr.report_id = rp.id)
                         OR EXISTS (SELECT 1 FROM fulltext_batch_files bf WHERE bf.report_id = rp.id))))`;
}

/** Why a title/abstract change that would take a record out of full text is refused. */
export const FULL_TEXT_BEGUN_MESSAGE =
  'This record is already in full-text assessment (its full text was voted on, retrieved or linked to a study), so its title/abstract inclusion stands. Exclude it at full text instead.';

/** Whether full-text assessment of the record has begun (fullTextBegunSql). */
export async function fullTextBegun(tx: Sql, recordId: string): Promise<boolean> {
  const { rows } = await tx.query<{ begun: boolean }>(`SELECT ${fullTextBegunSql('$1::uuid')} AS begun`, [
    recordId,
  ]);
  return rows[0]?.begun ?? false;
}

/**
 * Takes a record back out of full text when its title/abstract inclusion no longer stands (an undo,
 * a changed vote or an adjudicator's changed decision) and nothing has happened at full text yet:
 * its open full-text assignments are revoked, and its full-text stage row and its report (created
 * when it was included) are removed, so no reviewer is served it and PRISMA no longer counts its
 * report as sought. Each step is logged. `begun`: what to do when full text has begun after all
 * (`refuse`: throw, so the caller's transaction, and the change with it, is undone; `keep`: leave
 * it in full text and log that it stayed). Returns whether it was withdrawn.
 */
export async function withdrawFromFullText(
  tx: Sql,
  input: { reviewId: string; recordId: string; begun: 'refuse' | 'keep' },
): Promise<boolean> {
  const { rows: inStage } = await tx.query(
    `SELECT 1 FROM stage_records WHERE record_id = $1 AND stage = 'full-text' FOR UPDATE`,
    [input.recordId],
  );
  if (inStage.length === 0) return false;
  if (await fullTextBegun(tx, input.recordId)) {
    if (input.begun === 'refuse') throw new WinnowError('CONFLICT', FULL_TEXT_BEGUN_MESSAGE);
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'record.kept-in-full-text',
      entityType: 'record',
      entityId: input.recordId,
      data: {
        stage: 'full-text',
        reason: 'title/abstract inclusion changed after full-text assessment began',
      },
    });
    return false;
  }
  const { rows: revoked } = await tx.query<{ reviewerId: string }>(
    `UPDATE assignments SET state = 'revoked'
      WHERE record_id = $1 AND stage = 'full-text' AND state = 'open'
      RETURNING reviewer_id AS "reviewerId"`,
    [input.recordId],
  );
  for (const r of revoked)
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'assignment.revoked',
      entityType: 'record',
      entityId: input.recordId,
      data: { stage: 'full-text', reviewerId: r.reviewerId, reason: 'no longer included at title/abstract' },
    });
  await tx.query(`DELETE FROM stage_records WHERE record_id = $1 AND stage = 'full-text'`, [input.recordId]);
  const { rows: reports } = await tx.query<{ id: string }>(
    `DELETE FROM reports WHERE record_id = $1 RETURNING id`,
    [input.recordId],
  );
  await appendEvent(tx, {
    reviewId: input.reviewId,
    type: 'record.withdrawn',
    entityType: 'record',
    entityId: input.recordId,
    data: {
      stage: 'full-text',
      reason: 'no longer included at title/abstract',
      reportIds: reports.map((r) => r.id),
      assignmentsRevoked: revoked.length,
    },
  });
  return true;
}
