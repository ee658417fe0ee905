import { appendEvent, type Sql } from '@winnow/core';
import { formatCitation, type CitationSource } from '../export/citation.ts';

export interface StudyReport {
  id: string;
  recordId: string | null;
  title: string;
  abstract: string | null;
  fullText: { blobId: string; fileName: string | null; mediaType: string | null } | null;
}

export interface StudyRow {
  id: string;
  /** 1-based, in order of inclusion: the reference numbers of profile tables. */
  number: number;
  label: string;
  citation: string;
  reportIds: string[];
  /** The study's reports in the order they were found: the record each came from, its title and abstract, its file. */
  reports: StudyReport[];
  /** Title and abstract of the study's first report's record: text a coder can quote from. */
  title: string;
  abstract: string | null;
  /** The latest attached (not withdrawn) full-text file of the study's first report with one. */
  /** `mediaType` is the type checked when the file was attached (the blob's own may be the request's). */
  fullText: { blobId: string; fileName: string | null; mediaType: string | null } | null;
}

/** A study's label, made from its report: the report's citation, else its title. */
export function studyLabelOf(data: CitationSource | null, title: string): string {
  return formatCitation(data ?? { title }) || title;
}

/**
 * A report included at full text becomes a study (one study per report until a lead links
 * reports of the same study). Runs inside the assignment job; safe to repeat.
 */
export async function syncIncludedStudies(tx: Sql, reviewId: string): Promise<number> {
  const { rows } = await tx.query<{ id: string; data: CitationSource | null; title: string }>(
    `SELECT rp.id, rc.data, rp.title
       FROM reports rp
       JOIN stage_records sr ON sr.record_id = rp.record_id AND sr.stage = 'full-text'
       LEFT JOIN records rc ON rc.id = rp.record_id
      WHERE rp.review_id = $1 AND rp.study_id IS NULL AND sr.status = 'advanced'
      ORDER BY sr.updated_at, rc.source_index, rp.id
      FOR UPDATE OF rp`,
    [reviewId],
  );
  for (const r of rows) {
    const label = studyLabelOf(r.data, r.title) || r.id;
    const { rows: created } = await tx.query<{ id: string }>(
      // clock_timestamp, not now(): studies created in one transaction keep their inclusion order.
      `INSERT INTO studies (review_id, label, created_at) VALUES ($1, $2, clock_timestamp()) RETURNING id`,
      [reviewId, label],
    );
    const studyId = created[0]!.id;
    await tx.query(`UPDATE reports SET study_id = $1 WHERE id = $2`, [studyId, r.id]);
    await appendEvent(tx, {
      reviewId,
      type: 'study.created',
      entityType: 'study',
      entityId: studyId,
      data: { reportIds: [r.id], label },
      idempotencyKey: `study-from-report:${r.id}`,
    });
  }
  return rows.length;
}

export async function listStudies(db: Sql, reviewId: string, onlyIds?: string[]): Promise<StudyRow[]> {
  const { rows } = await db.query<{
    id: string;
    number: number;
    label: string;
    report_ids: string[] | null;
    reports: StudyReport[] | null;
    data: CitationSource | null;
    blob_id: string | null;
    file_name: string | null;
    media_type: string | null;
  }>(
    `WITH numbered AS (
       SELECT s.id, s.label, row_number() OVER (ORDER BY s.created_at, s.seq)::int AS number
         FROM studies s WHERE s.review_id = $1
     ), files AS (
       SELECT DISTINCT ON (rr.report_id) rr.report_id, rr.detail->>'blobId' AS blob_id, rr.detail->>'fileName' AS file_name,
              rr.detail->>'mediaType' AS media_type
         FROM report_retrievals rr
        WHERE rr.review_id = $1 AND rr.kind = 'file'
          AND NOT EXISTS (SELECT 1 FROM report_retrievals w WHERE w.withdraws = rr.id)
        ORDER BY rr.report_id, rr.id DESC
     )
     SELECT n.id, n.number, n.label,
            array_agg(rp.id ORDER BY rp.created_at, rp.id) FILTER (WHERE rp.id IS NOT NULL) AS report_ids,
            json_agg(json_build_object('id', rp.id, 'recordId', rp.record_id, 'title', coalesce(rc.title, rp.title),
                       'abstract', rc.data->>'abstract',
                       'fullText', CASE WHEN f.blob_id IS NOT NULL THEN json_build_object(
                         'blobId', f.blob_id, 'fileName', f.file_name, 'mediaType', f.media_type) END)
                     ORDER BY rp.created_at, rp.id) FILTER (WHERE rp.id IS NOT NULL) AS reports,
            (array_agg(rc.data ORDER BY rp.created_at, rp.id) FILTER (WHERE rc.data IS NOT NULL))[1] AS data,
            (array_agg(f.blob_id ORDER BY rp.created_at, rp.id) FILTER (WHERE f.blob_id IS NOT NULL))[1] AS blob_id,
            (array_agg(f.file_name ORDER BY rp.created_at, rp.id) FILTER (WHERE f.blob_id IS NOT NULL))[1] AS file_name,
            (array_agg(f.media_type ORDER BY rp.created_at, rp.id) FILTER (WHERE f.blob_id IS NOT NULL))[1] AS media_type
       FROM numbered n
       LEFT JOIN reports rp ON rp.study_id = n.id
       LEFT JOIN records rc ON rc.id = rp.record_id
       LEFT JOIN files f ON f.report_id = rp.id
      WHERE ($2::uuid[] IS NULL OR n.id = ANY($2::uuid[]))
      GROUP BY n.id, n.number, n.label
      ORDER BY n.number`,
    [reviewId, onlyIds ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    label: r.label,
    citation: r.data ? formatCitation(r.data) || r.label : r.label,
    reportIds: r.report_ids ?? [],
    reports: r.reports ?? [],
    title: r.data?.title ?? r.label,
    abstract: (r.data as { abstract?: string } | null)?.abstract ?? null,
    fullText: r.blob_id ? { blobId: r.blob_id, fileName: r.file_name, mediaType: r.media_type } : null,
  }));
}
