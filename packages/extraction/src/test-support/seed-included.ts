import { randomUUID } from 'node:crypto';
import { putBlob, type Db } from '@winnow/core';

export interface SeedReport {
  title: string;
  authors?: Array<{ family: string; given?: string }>;
  year?: number;
  journal?: string;
  abstract?: string;
  /** Attach this file as the report's full text. */
  pdf?: Buffer;
}

/**
 * Test setup standing in for screening: records imported, advanced through full text and
 * included. Writes the rows screening would (records, reports, stage_records, retrievals)
 * so extraction tests do not depend on the screening routes.
 */
export async function seedIncludedReports(
  db: Db,
  reviewId: string,
  reports: SeedReport[],
): Promise<string[]> {
  const importId = randomUUID();
  await db.query(
    `INSERT INTO imports (id, review_id, file_name, content_hash, format, status, record_count) VALUES ($1, $2, 'seed.ris', $3, 'ris', 'complete', $4)`,
    [importId, reviewId, `seed-${importId}`, reports.length],
  );
  const ids: string[] = [];
  for (const [i, r] of reports.entries()) {
    const data = {
      title: r.title,
      authors: (r.authors ?? []).map((a) => ({ ...a, asWritten: `${a.family} ${a.given ?? ''}`.trim() })),
      year: r.year,
      journal: r.journal,
      abstract: r.abstract,
      keywords: [],
      mesh: [],
      source: { format: 'ris' },
      raw: `TI  - ${r.title}`,
    };
    const { rows: rec } = await db.query<{ id: string }>(
      `INSERT INTO records (review_id, import_id, source_index, title, year, data, raw) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [reviewId, importId, i + 1, r.title, r.year ?? null, JSON.stringify(data), data.raw],
    );
    const recordId = rec[0]!.id;
    const { rows: rep } = await db.query<{ id: string }>(
      `INSERT INTO reports (review_id, record_id, title) VALUES ($1, $2, $3) RETURNING id`,
      [reviewId, recordId, r.title],
    );
    const reportId = rep[0]!.id;
    await db.query(
      `INSERT INTO stage_records (review_id, record_id, stage, status, outcome) VALUES ($1, $2, 'full-text', 'advanced', $3)`,
      [reviewId, recordId, JSON.stringify({ status: 'advanced', to: 'included', by: 'agreement' })],
    );
    if (r.pdf) {
      const pdf = r.pdf;
      const blob = await putBlob(
        db,
        { reviewId, fileName: `report-${i + 1}.pdf`, mediaType: 'application/pdf' },
        (async function* () {
          yield pdf;
        })(),
        10 * 1024 * 1024,
      );
      await db.query(
        `INSERT INTO report_retrievals (review_id, report_id, kind, detail) VALUES ($1, $2, 'file', $3)`,
        [
          reviewId,
          reportId,
          JSON.stringify({
            kind: 'file',
            blobId: blob.id,
            fileName: `report-${i + 1}.pdf`,
            mediaType: 'application/pdf',
            // As the retrieval schema requires, so GET /reports/:id reads it back as any upload.
            sizeBytes: blob.bytes,
            sha256: blob.sha256,
          }),
        ],
      );
    }
    ids.push(reportId);
  }
  return ids;
}

/** Shared with the other packages' tests; kept here so existing imports keep working. */
export { tinyPdf } from '@winnow/core/testing';
