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
  /** Why it was not retrieved, when that is its state. */
  notRetrievedReason: string | null;
  sources: Retrieval[];
  otherReports: { reportId: string; title: string }[];
}

/** A report's retrieval events, oldest first, withdrawn ones flagged (withdrawal rows themselves left out). */
async function retrievalEvents(db: Sql, reportId: string): Promise<RetrievalEvent[]> {
  const { rows: ev } = await db.query<{
    seq: number;
    kind: string;
    detail: Record<string, unknown>;
    withdraws: number | null;
  }>(`SELECT id AS seq, kind, detail, withdraws FROM report_retrievals WHERE report_id = $1 ORDER BY id`, [
    reportId,
  ]);
  const withdrawn = new Set(ev.filter((e) => e.withdraws !== null).map((e) => Number(e.withdraws)));
  return ev
    .filter((e) => e.withdraws === null)
    .map((e) => ({
      seq: Number(e.seq),
      reportId,
      retrieval: retrievalSchema.parse({ kind: e.kind, ...e.detail }),
      withdrawn: withdrawn.has(Number(e.seq)),
    }));
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
  const events = await retrievalEvents(db, reportId);
  const { state, sources } = retrievalState(events);
  const last = events.filter((e) => !e.withdrawn).at(-1)?.retrieval;
  const notRetrievedReason = state === 'not-retrieved' && last?.kind === 'not-retrieved' ? last.reason : null;
  const { rows: others } = report.studyId
    ? await db.query<{ reportId: string; title: string }>(
        `SELECT id AS "reportId", title FROM reports WHERE study_id = $1 AND id <> $2 ORDER BY created_at`,
        [report.studyId, reportId],
      )
    : { rows: [] };
  return { ...report, state, notRetrievedReason, sources, otherReports: others };
}

export async function reportForRecord(db: Sql, reviewId: string, recordId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM reports WHERE record_id = $1 AND review_id = $2`,
    [recordId, reviewId],
  );
  return rows[0]?.id ?? null;
}

/**
 * SQL for "report `reportId` (an SQL expression) is marked not retrieved now": its latest live
 * retrieval (neither withdrawn nor a withdrawal) is a not-retrieved mark, the rule of
 * retrievalState. Every reader that keeps such records out of assessment uses this one condition:
 * the queue of every assigned reviewer, their progress and the vote itself.
 */
export function notRetrievedSql(reportId: string): string {
  return `EXISTS (
    SELECT 1 FROM report_retrievals nr WHERE nr.report_id = ${reportId} AND nr.kind = 'not-retrieved'
      AND nr.id = (SELECT max(x.id) FROM report_retrievals x
                   WHERE x.report_id = ${reportId} AND x.withdraws IS NULL
                     AND NOT EXISTS (SELECT 1 FROM report_retrievals w
                                     WHERE w.report_id = ${reportId} AND w.withdraws = x.id)))`;
}

/** Why a full-text vote on a record whose report is marked not retrieved is refused. */
export const NOT_RETRIEVED_VOTE_MESSAGE =
  'This record’s report was marked not retrieved, so it cannot be assessed. Attach its PDF or record a link to it to assess it.';

/**
 * Appends a retrieval (file, URL or not-retrieved) for a report, with its event.
 *
 * "Not retrieved" means nobody could get the full text, so the report is not assessed: no
 * assigned reviewer is served it and no full-text vote on it is accepted until a file or link
 * is recorded (votes cast before the mark stay in the log, and the record's full-text outcome
 * waits). So it is refused
 * - over an attached PDF unless `replaceFile` says the mark replaces it (the PDF leaves the
 *   assessment; its bytes and its log entry stay);
 * - once the record's full-text assessment is decided: its full text was read.
 * Every retrieval of a report takes the report's row lock first, so a mark and an attachment
 * arriving together are checked one after the other.
 */
export async function addRetrieval(
  db: Db,
  input: {
    reviewId: string;
    reportId: string;
    retrieval: Retrieval;
    /** Null for work no signed-in person did (the command line). */
    actorId: string | null;
    replaceFile?: boolean;
  },
): Promise<number> {
  const r = retrievalSchema.parse(input.retrieval);
  const { kind, ...detail } = r;
  return db.transaction(async (tx) => {
    // The report must be this review's, checked in the lock and again in the write.
    const { rows: report } = await tx.query<{ settled: string | null }>(
      `SELECT (SELECT s.status FROM stage_records s WHERE s.record_id = p.record_id AND s.stage = 'full-text'
                 AND s.status IN ('advanced', 'excluded')) AS settled
       FROM reports p WHERE p.id = $1 AND p.review_id = $2 FOR UPDATE OF p`,
      [input.reportId, input.reviewId],
    );
    if (!report[0]) throw new WinnowError('NOT_FOUND', 'This report is not in this review');
    let replacesFile = false;
    if (kind === 'not-retrieved') {
      if (report[0].settled)
        throw new WinnowError(
          'CONFLICT',
          `This record’s full-text assessment is already decided (${report[0].settled === 'advanced' ? 'included' : 'excluded'}), so its report was retrieved and cannot be marked not retrieved.`,
        );
      const { state, sources } = retrievalState(await retrievalEvents(tx, input.reportId));
      const file = state === 'retrieved' ? sources.find((x) => x.kind === 'file') : undefined;
      if (file && file.kind === 'file' && !input.replaceFile)
        throw new WinnowError(
          'CONFLICT',
          `${file.fileName} is attached to this report. Marking the report not retrieved sets that PDF aside, so confirm that the mark replaces it.`,
        );
      replacesFile = !!file;
    }
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
      data: { retrievalId: id, ...r, ...(replacesFile ? { replacesFile } : {}) },
    });
    return id;
  });
}
