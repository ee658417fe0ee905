import { appendEvent, WinnowError, type Db, type Sql } from '@winnow/core';
import { formatCitation, type CitationSource } from '../export/citation.ts';
import { studyLabelOf, syncIncludedStudies } from './study.repository.ts';

/**
 * Reports of one study (DESIGN: one study can have several reports). A lead joins the studies
 * made of two reports of the same study, or separates a report into a study of its own. A study
 * left with no report is removed with its coders' assignments, but only while no one has coded it:
 * codings are never deleted, and a coding of a study that no longer exists would be lost work.
 */

/**
 * The study's name in messages, as the extraction page lists it: the citation of its earliest
 * report ("Smith J (2020). Lean on wards."), else its label. Not the label alone: a study joined by
 * an earlier report is listed under that report, and a refusal naming the study as it was made
 * would name a study the lead cannot find.
 */
async function studyLabel(tx: Sql, reviewId: string, studyId: string): Promise<string | null> {
  const { rows } = await tx.query<{ label: string; data: CitationSource | null }>(
    `SELECT s.label,
            (SELECT rc.data FROM reports rp JOIN records rc ON rc.id = rp.record_id
              WHERE rp.study_id = s.id AND rc.data IS NOT NULL ORDER BY rp.created_at, rp.id LIMIT 1) AS data
       FROM studies s WHERE s.id = $1 AND s.review_id = $2 FOR UPDATE OF s`,
    [studyId, reviewId],
  );
  const row = rows[0];
  if (!row) return null;
  return (row.data && formatCitation(row.data)) || row.label;
}

/** Who has saved coding of the study (names), and whether a consensus record or emergent code names it. */
async function codingBegun(tx: Sql, studyId: string): Promise<{ coders: string[]; begun: boolean }> {
  const { rows } = await tx.query<{ coders: string[] | null; other: boolean }>(
    `SELECT (SELECT array_agg(DISTINCT u.name ORDER BY u.name) FROM codings c JOIN users u ON u.id = c.coder_id
              WHERE c.study_id = $1) AS coders,
            EXISTS (SELECT 1 FROM consensus_records WHERE study_id = $1)
              OR EXISTS (SELECT 1 FROM emergent_codes WHERE study_id = $1) AS other`,
    [studyId],
  );
  const coders = rows[0]?.coders ?? [];
  return { coders, begun: coders.length > 0 || rows[0]?.other === true };
}

/**
 * Refuses to change a study someone has coded: to empty it (`emptied`: their work would belong to
 * no study) or to take a report out of it (their coding may quote that report).
 */
async function assertUncoded(tx: Sql, studyId: string, label: string, emptied: boolean): Promise<void> {
  const { coders, begun } = await codingBegun(tx, studyId);
  if (!begun) return;
  const who = coders.length ? ` by ${coders.join(' and ')}` : '';
  throw new WinnowError(
    'CONFLICT',
    emptied
      ? `“${label}” has been coded${who}, so it cannot become part of another study: that coding would belong to no study. Reports can be joined before coding starts.`
      : `“${label}” has been coded${who}, so its reports stay together: that coding may quote this one. Reports can be separated before coding starts.`,
  );
}

/** Removes a study that no report belongs to any more, with its (uncoded) assignments. */
async function removeEmptyStudy(
  tx: Sql,
  reviewId: string,
  studyId: string,
  into: { id: string; label: string },
  actorId: string,
): Promise<void> {
  const { rows: left } = await tx.query(`SELECT 1 FROM reports WHERE study_id = $1 LIMIT 1`, [studyId]);
  if (left.length > 0) return;
  const { rows: revoked } = await tx.query<{ coderId: string }>(
    `DELETE FROM coding_assignments WHERE study_id = $1 RETURNING coder_id AS "coderId"`,
    [studyId],
  );
  for (const r of revoked)
    await appendEvent(tx, {
      reviewId,
      type: 'assignment.revoked',
      actorId,
      entityType: 'study',
      entityId: studyId,
      data: { stage: 'extraction', coderId: r.coderId, reason: 'joined', into: into.id },
    });
  await tx.query(`DELETE FROM studies WHERE id = $1`, [studyId]);
  await appendEvent(tx, {
    reviewId,
    type: 'study.joined',
    actorId,
    entityType: 'study',
    entityId: into.id,
    data: { from: studyId, label: into.label },
  });
}

/** Moves one report to a study, in the caller's transaction, and logs it. */
async function moveReport(
  tx: Sql,
  reviewId: string,
  reportId: string,
  to: { id: string; label: string },
  actorId: string,
): Promise<void> {
  // Report and study both belong to this review, checked in the write itself; the old link is
  // read in the same statement for the event.
  const { rows } = await tx.query<{ previous: string | null }>(
    `UPDATE reports p SET study_id = $2 FROM reports old
      WHERE p.id = $1 AND p.review_id = $3 AND old.id = p.id
        AND EXISTS (SELECT 1 FROM studies WHERE id = $2 AND review_id = $3)
      RETURNING old.study_id AS previous`,
    [reportId, to.id, reviewId],
  );
  if (rows.length === 0) throw new WinnowError('NOT_FOUND', 'This report is not in this review');
  await appendEvent(tx, {
    reviewId,
    type: 'report.linked',
    actorId,
    entityType: 'report',
    entityId: reportId,
    data: { studyId: to.id, previous: rows[0]!.previous, label: to.label },
  });
}

/** The citation of a report's record, as a new study's label. */
async function reportCitation(tx: Sql, reviewId: string, reportId: string): Promise<string> {
  const { rows } = await tx.query<{ data: CitationSource | null; title: string }>(
    `SELECT rc.data, rp.title FROM reports rp LEFT JOIN records rc ON rc.id = rp.record_id
      WHERE rp.id = $1 AND rp.review_id = $2`,
    [reportId, reviewId],
  );
  const row = rows[0];
  if (!row) throw new WinnowError('NOT_FOUND', 'This report is not in this review');
  return studyLabelOf(row.data, row.title) || 'Unnamed study';
}

/**
 * Links a report to a study: an existing one (`studyId`), or a new one named `label`, or with
 * `separate`, a new one named after the report. The study the report leaves is removed if no
 * report is left in it, and refused if someone has coded it.
 */
export async function linkReportToStudy(
  db: Db,
  input: {
    reviewId: string;
    reportId: string;
    studyId?: string | undefined;
    label?: string | undefined;
    separate?: boolean | undefined;
    actorId: string;
  },
): Promise<{ studyId: string; label: string }> {
  return db.transaction(async (tx) => {
    const { rows: current } = await tx.query<{ studyId: string | null }>(
      `SELECT study_id AS "studyId" FROM reports WHERE id = $1 AND review_id = $2 FOR UPDATE`,
      [input.reportId, input.reviewId],
    );
    if (current.length === 0) throw new WinnowError('NOT_FOUND', 'This report is not in this review');
    const from = current[0]!.studyId;
    // The report is its study's only one: moving it empties that study.
    const alone =
      from !== null &&
      (
        await tx.query(`SELECT 1 FROM reports WHERE study_id = $1 AND id <> $2 LIMIT 1`, [
          from,
          input.reportId,
        ])
      ).rows.length === 0;
    if (input.separate && alone)
      throw new WinnowError('CONFLICT', 'This report is already a study of its own');
    let to: { id: string; label: string };
    if (input.studyId) {
      const label = await studyLabel(tx, input.reviewId, input.studyId);
      if (label === null)
        throw new WinnowError('NOT_FOUND', 'This study is not in this review', {
          location: { field: 'studyId' },
        });
      if (from === input.studyId) return { studyId: from, label };
      to = { id: input.studyId, label };
    } else {
      const label = input.separate ? await reportCitation(tx, input.reviewId, input.reportId) : input.label;
      if (!label)
        throw new WinnowError('VALIDATION', 'Choose a study, or name a new one', {
          location: { field: 'label' },
        });
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO studies (review_id, label, created_at) VALUES ($1, $2, clock_timestamp()) RETURNING id`,
        [input.reviewId, label],
      );
      to = { id: rows[0]!.id, label };
      await appendEvent(tx, {
        reviewId: input.reviewId,
        type: 'study.created',
        actorId: input.actorId,
        entityType: 'study',
        entityId: to.id,
        data: { reportIds: [input.reportId], label },
      });
    }
    if (from) {
      const fromLabel = await studyLabel(tx, input.reviewId, from);
      if (fromLabel !== null) await assertUncoded(tx, from, fromLabel, alone);
    }
    await moveReport(tx, input.reviewId, input.reportId, to, input.actorId);
    if (from) await removeEmptyStudy(tx, input.reviewId, from, to, input.actorId);
    return { studyId: to.id, label: to.label };
  });
}

/**
 * Joins study `studyId` to study `into`: every report of the first becomes a report of the
 * second, and the first, then empty, is removed (refused if someone has coded it).
 */
export async function joinStudies(
  db: Db,
  input: { reviewId: string; studyId: string; into: string; actorId: string },
): Promise<{ studyId: string; label: string; reports: number }> {
  if (input.studyId === input.into)
    throw new WinnowError('VALIDATION', 'Choose another study to join this one to', {
      location: { field: 'into' },
    });
  return db.transaction(async (tx) => {
    // Locked in a fixed order: two leads joining the same pair both ways wait rather than deadlock.
    const [first, second] = [input.studyId, input.into].sort();
    const labels = new Map<string, string | null>();
    for (const id of [first!, second!]) labels.set(id, await studyLabel(tx, input.reviewId, id));
    const fromLabel = labels.get(input.studyId);
    const intoLabel = labels.get(input.into);
    if (!fromLabel) throw new WinnowError('NOT_FOUND', 'This study is not in this review');
    if (!intoLabel)
      throw new WinnowError('NOT_FOUND', 'The study to join it to is not in this review', {
        location: { field: 'into' },
      });
    await assertUncoded(tx, input.studyId, fromLabel, true);
    const { rows: reports } = await tx.query<{ id: string }>(
      `SELECT id FROM reports WHERE study_id = $1 ORDER BY created_at, id FOR UPDATE`,
      [input.studyId],
    );
    const to = { id: input.into, label: intoLabel };
    for (const r of reports) await moveReport(tx, input.reviewId, r.id, to, input.actorId);
    await removeEmptyStudy(tx, input.reviewId, input.studyId, to, input.actorId);
    return { studyId: input.into, label: intoLabel, reports: reports.length };
  });
}

/**
 * Makes a study of each report included at full text that has none yet, without assigning
 * coders: a lead can join the reports of one study before anyone codes them.
 */
export async function createIncludedStudies(db: Db, reviewId: string): Promise<{ newStudies: number }> {
  return db.transaction(async (tx) => ({ newStudies: await syncIncludedStudies(tx, reviewId) }));
}
