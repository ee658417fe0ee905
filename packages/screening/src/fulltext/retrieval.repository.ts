import { appendEvent, WinnowError, type Db, type Sql } from '@winnow/core';
import { retrievalSchema, type Retrieval } from './full-text.schema.ts';
import { retrievalState, type RetrievalEvent, type RetrievalState } from './report-retrieval.ts';

export interface ReportView {
  reportId: string;
  recordId: string | null;
  studyId: string | null;
  studyLabel: string | null;
  title: string;
  state: RetrievalState;
  sources: Retrieval[];
  otherReports: { reportId: string; title: string }[];
}

export async function getReport(db: Sql, reviewId: string, reportId: string): Promise<ReportView> {
  const { rows } = await db.query<{
    reportId: string;
    recordId: string | null;
    studyId: string | null;
    studyLabel: string | null;
    title: string;
  }>(
    `SELECT p.id AS "reportId", p.record_id AS "recordId", p.study_id AS "studyId", s.label AS "studyLabel", p.title
     FROM reports p LEFT JOIN studies s ON s.id = p.study_id WHERE p.id = $1 AND p.review_id = $2`,
    [reportId, reviewId],
  );
  const report = rows[0];
  if (!report) throw new WinnowError('NOT_FOUND', 'This report is not in this review');
  const { rows: ev } = await db.query<{
    seq: number;
    kind: string;
    detail: Record<string, unknown>;
    withdraws: number | null;
  }>(`SELECT id AS seq, kind, detail, withdraws FROM report_retrievals WHERE report_id = $1 ORDER BY id`, [
    reportId,
  ]);
  const withdrawn = new Set(ev.filter((e) => e.withdraws !== null).map((e) => Number(e.withdraws)));
  const events: RetrievalEvent[] = ev
    .filter((e) => e.withdraws === null)
    .map((e) => ({
      seq: Number(e.seq),
      reportId,
      retrieval: retrievalSchema.parse({ kind: e.kind, ...e.detail }),
      withdrawn: withdrawn.has(Number(e.seq)),
    }));
  const { state, sources } = retrievalState(events);
  const { rows: others } = report.studyId
    ? await db.query<{ reportId: string; title: string }>(
        `SELECT id AS "reportId", title FROM reports WHERE study_id = $1 AND id <> $2 ORDER BY created_at`,
        [report.studyId, reportId],
      )
    : { rows: [] };
  return { ...report, state, sources, otherReports: others };
}

export async function reportForRecord(db: Sql, reviewId: string, recordId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM reports WHERE record_id = $1 AND review_id = $2`,
    [recordId, reviewId],
  );
  return rows[0]?.id ?? null;
}

/** Appends a retrieval (file, URL or not-retrieved) for a report, with its event. */
export async function addRetrieval(
  db: Db,
  input: { reviewId: string; reportId: string; retrieval: Retrieval; actorId: string },
): Promise<number> {
  const r = retrievalSchema.parse(input.retrieval);
  const { kind, ...detail } = r;
  return db.transaction(async (tx) => {
    // The report must be this review's, checked in the write itself.
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO report_retrievals (review_id, report_id, kind, detail, created_by)
       SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM reports WHERE id = $2 AND review_id = $1) RETURNING id`,
      [input.reviewId, input.reportId, kind, JSON.stringify(detail), input.actorId],
    );
    if (!rows[0]) throw new WinnowError('NOT_FOUND', 'This report is not in this review');
    const id = Number(rows[0].id);
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type:
        kind === 'not-retrieved'
          ? 'report.not-retrieved'
          : kind === 'url'
            ? 'report.url-recorded'
            : 'report.attached',
      actorId: input.actorId,
      entityType: 'report',
      entityId: input.reportId,
      data: { retrievalId: id, ...r },
    });
    return id;
  });
}

/** Links a report to a study (creating the study from a label), so several reports count as one study. */
export async function linkReportToStudy(
  db: Db,
  input: {
    reviewId: string;
    reportId: string;
    studyId?: string | undefined;
    label?: string | undefined;
    actorId: string;
  },
): Promise<{ studyId: string }> {
  return db.transaction(async (tx) => {
    let studyId = input.studyId;
    if (studyId) {
      const { rows } = await tx.query(`SELECT 1 FROM studies WHERE id = $1 AND review_id = $2`, [
        studyId,
        input.reviewId,
      ]);
      if (rows.length === 0)
        throw new WinnowError('NOT_FOUND', 'This study is not in this review', {
          location: { field: 'studyId' },
        });
    } else {
      if (!input.label)
        throw new WinnowError('VALIDATION', 'Give a studyId or a label for a new study', {
          location: { field: 'label' },
        });
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO studies (review_id, label) VALUES ($1, $2) RETURNING id`,
        [input.reviewId, input.label],
      );
      studyId = rows[0]!.id;
    }
    // Report and study both belong to this review, checked in the write itself; the old link is
    // read in the same statement for the event.
    const { rows: prev } = await tx.query<{ studyId: string | null }>(
      `UPDATE reports p SET study_id = $2 FROM reports old
       WHERE p.id = $1 AND p.review_id = $3 AND old.id = p.id
         AND EXISTS (SELECT 1 FROM studies WHERE id = $2 AND review_id = $3)
       RETURNING old.study_id AS "studyId"`,
      [input.reportId, studyId, input.reviewId],
    );
    if (prev.length === 0) throw new WinnowError('NOT_FOUND', 'This report is not in this review');
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'report.linked',
      actorId: input.actorId,
      entityType: 'report',
      entityId: input.reportId,
      data: { studyId, previous: prev[0]!.studyId },
    });
    return { studyId };
  });
}
