import { putBlob, WinnowError, type Db, type Sql } from '@winnow/core';
import { checkUpload, FULL_TEXT_MEDIA_TYPE, safeFileName } from './full-text.schema.ts';
import { readBlobBytes } from './fulltext-text.repository.ts';
import type { MatchedBy } from './fulltext-match.ts';
import { isZip, pdfsInZip } from './fulltext-zip.ts';

export type BatchOutcome = 'pending' | 'attached' | 'ambiguous' | 'unmatched' | 'duplicate' | 'failed';

export interface BatchFileView {
  position: number;
  fileName: string;
  outcome: BatchOutcome;
  matchedBy: MatchedBy | 'lead' | null;
  report: { reportId: string; title: string; year: number | null } | null;
  candidates: { reportId: string; title: string; year: number | null; matchedBy: MatchedBy; score: number }[];
  message: string | null;
}

export interface BatchView {
  batchId: string;
  status: 'open' | 'matching' | 'done';
  createdAt: string;
  files: BatchFileView[];
}

/** What `winnow fulltext add --json` prints: one line per file, by what happened to it. */
export interface BatchSummary {
  batchId: string;
  attached: { file: string; reportId: string; title: string; matchedBy: string }[];
  ambiguous: { file: string; candidates: { reportId: string; title: string; year: number | null }[] }[];
  unmatched: string[];
  duplicates: string[];
  failed: { file: string; message: string }[];
}

async function* once(bytes: Buffer) {
  yield bytes;
}

export async function createBatch(
  db: Sql,
  input: { reviewId: string; actorId: string | null },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO fulltext_batches (review_id, created_by) VALUES ($1, $2) RETURNING id`,
    [input.reviewId, input.actorId],
  );
  return rows[0]!.id;
}

export async function openBatch(db: Sql, reviewId: string, batchId: string) {
  const { rows } = await db.query<{ status: string }>(
    `SELECT status FROM fulltext_batches WHERE id = $1 AND review_id = $2`,
    [batchId, reviewId],
  );
  if (!rows[0]) throw new WinnowError('NOT_FOUND', 'This upload is not in this review');
  return rows[0].status;
}

async function addRow(
  db: Db,
  batchId: string,
  row: { fileName: string; blobId: string | null; sha256: string | null; failed?: string },
): Promise<number> {
  return db.transaction(async (tx) => {
    // The batch row's lock numbers its files one after another, whoever uploads at once.
    await tx.query(`SELECT 1 FROM fulltext_batches WHERE id = $1 FOR UPDATE`, [batchId]);
    const { rows } = await tx.query<{ position: number }>(
      `INSERT INTO fulltext_batch_files (batch_id, position, file_name, blob_id, sha256, outcome, message)
       SELECT $1, coalesce(max(position), 0) + 1, $2, $3, $4, $5, $6 FROM fulltext_batch_files WHERE batch_id = $1
       RETURNING position`,
      [batchId, row.fileName, row.blobId, row.sha256, row.failed ? 'failed' : 'pending', row.failed ?? null],
    );
    return Number(rows[0]!.position);
  });
}

/**
 * Adds one uploaded file to a batch: a PDF becomes one row, a zip one row per PDF inside. A file
 * that is neither, or a PDF that is too big, is listed as failed with the reason (the rest of the
 * drop goes on). The bytes are stored as blobs at once; matching waits for the job.
 */
export async function addBatchUpload(
  db: Db,
  input: {
    reviewId: string;
    batchId: string;
    fileName: string;
    source: AsyncIterable<Buffer | Uint8Array | string>;
    maxBytes: number;
  },
): Promise<{ position: number; fileName: string; outcome: BatchOutcome; message: string | null }[]> {
  if ((await openBatch(db, input.reviewId, input.batchId)) !== 'open')
    throw new WinnowError('CONFLICT', 'This upload is already being matched: start a new one to add files');
  const fileName = safeFileName(input.fileName);
  const blob = await putBlob(
    db,
    { reviewId: input.reviewId, fileName, mediaType: FULL_TEXT_MEDIA_TYPE },
    input.source,
    input.maxBytes,
  );
  const head = (await readBlobBytes(db, blob.id)).subarray(0, 1024);
  if (isZip(head)) {
    try {
      const pdfs = pdfsInZip(await readBlobBytes(db, blob.id), fileName, {
        maxBytes: input.maxBytes,
        // A zip of many PDFs may unpack to more than one upload; still bounded.
        maxTotal: input.maxBytes * 20,
      });
      const added = [];
      for (const pdf of pdfs) added.push(...(await addPdf(db, input, `${fileName}/${pdf.name}`, pdf.bytes)));
      if (added.length === 0)
        added.push(await failedRow(db, input.batchId, fileName, `${fileName} holds no PDF files.`));
      return added;
    } finally {
      await db.query('DELETE FROM blobs WHERE id = $1', [blob.id]);
    }
  }
  try {
    checkUpload({ fileName, sizeBytes: blob.bytes, head }, input.maxBytes);
  } catch (error) {
    await db.query('DELETE FROM blobs WHERE id = $1', [blob.id]);
    return [await failedRow(db, input.batchId, fileName, (error as Error).message)];
  }
  const position = await addRow(db, input.batchId, { fileName, blobId: blob.id, sha256: blob.sha256 });
  return [{ position, fileName, outcome: 'pending', message: null }];
}

async function addPdf(
  db: Db,
  input: { reviewId: string; batchId: string; maxBytes: number },
  fileName: string,
  bytes: Buffer,
) {
  try {
    checkUpload({ fileName, sizeBytes: bytes.length, head: bytes.subarray(0, 1024) }, input.maxBytes);
  } catch (error) {
    return [await failedRow(db, input.batchId, fileName, (error as Error).message)];
  }
  const blob = await putBlob(
    db,
    { reviewId: input.reviewId, fileName: safeFileName(fileName), mediaType: FULL_TEXT_MEDIA_TYPE },
    once(bytes),
    input.maxBytes,
  );
  const position = await addRow(db, input.batchId, { fileName, blobId: blob.id, sha256: blob.sha256 });
  return [{ position, fileName, outcome: 'pending' as const, message: null }];
}

async function failedRow(db: Db, batchId: string, fileName: string, message: string) {
  const position = await addRow(db, batchId, { fileName, blobId: null, sha256: null, failed: message });
  return { position, fileName, outcome: 'failed' as const, message };
}

/** Marks the batch as being matched (no more files); false when it already was. */
export async function closeBatch(db: Sql, reviewId: string, batchId: string): Promise<boolean> {
  await openBatch(db, reviewId, batchId);
  const { rows } = await db.query(
    `UPDATE fulltext_batches SET status = 'matching' WHERE id = $1 AND status = 'open' RETURNING id`,
    [batchId],
  );
  return rows.length > 0;
}

/** Notes what became of one file of a batch. */
export async function setOutcome(
  db: Sql,
  batchId: string,
  position: number,
  o: {
    outcome: BatchOutcome;
    matchedBy?: string | null;
    reportId?: string | null;
    candidates?: unknown[];
    message?: string | null;
  },
) {
  await db.query(
    `UPDATE fulltext_batch_files SET outcome = $3, matched_by = $4, report_id = $5, candidates = $6, message = $7
      WHERE batch_id = $1 AND position = $2`,
    [
      batchId,
      position,
      o.outcome,
      o.matchedBy ?? null,
      o.reportId ?? null,
      JSON.stringify(o.candidates ?? []),
      o.message ?? null,
    ],
  );
}

export async function getBatch(db: Sql, reviewId: string, batchId: string): Promise<BatchView> {
  const { rows: b } = await db.query<{ status: BatchView['status']; created_at: Date | string }>(
    `SELECT status, created_at FROM fulltext_batches WHERE id = $1 AND review_id = $2`,
    [batchId, reviewId],
  );
  if (!b[0]) throw new WinnowError('NOT_FOUND', 'This upload is not in this review');
  const { rows } = await db.query<{
    position: number;
    file_name: string;
    outcome: BatchOutcome;
    matched_by: BatchFileView['matchedBy'];
    report_id: string | null;
    candidates: { reportId: string; matchedBy: MatchedBy; score: number }[];
    message: string | null;
  }>(
    `SELECT position, file_name, outcome, matched_by, report_id, candidates, message
       FROM fulltext_batch_files WHERE batch_id = $1 ORDER BY position`,
    [batchId],
  );
  const ids = [
    ...new Set(
      rows
        .flatMap((r) => [r.report_id, ...r.candidates.map((c) => c.reportId)])
        .filter((x): x is string => !!x),
    ),
  ];
  const { rows: reps } = ids.length
    ? await db.query<{ id: string; title: string; year: number | null }>(
        `SELECT p.id, coalesce(nullif(p.title, ''), r.title, '') AS title, r.year
           FROM reports p LEFT JOIN records r ON r.id = p.record_id WHERE p.id = ANY($1::uuid[]) AND p.review_id = $2`,
        [ids, reviewId],
      )
    : { rows: [] };
  const rep = new Map(
    reps.map((r) => [
      r.id,
      { reportId: r.id, title: r.title, year: r.year === null ? null : Number(r.year) },
    ]),
  );
  return {
    batchId,
    status: b[0].status,
    createdAt: new Date(b[0].created_at).toISOString(),
    files: rows.map((r) => ({
      position: Number(r.position),
      fileName: r.file_name,
      outcome: r.outcome,
      matchedBy: r.matched_by,
      report: r.report_id ? (rep.get(r.report_id) ?? null) : null,
      candidates: r.candidates.flatMap((c) => {
        const x = rep.get(c.reportId);
        return x ? [{ ...x, matchedBy: c.matchedBy, score: c.score }] : [];
      }),
      message: r.message,
    })),
  };
}

export async function listBatches(
  db: Sql,
  reviewId: string,
  limit = 10,
): Promise<{ batchId: string; status: string; createdAt: string; files: number; waiting: number }[]> {
  const { rows } = await db.query<{
    id: string;
    status: string;
    created_at: Date | string;
    files: number;
    waiting: number;
  }>(
    `SELECT b.id, b.status, b.created_at,
            (SELECT count(*) FROM fulltext_batch_files f WHERE f.batch_id = b.id)::int AS files,
            (SELECT count(*) FROM fulltext_batch_files f WHERE f.batch_id = b.id AND f.outcome IN ('ambiguous', 'unmatched'))::int AS waiting
       FROM fulltext_batches b WHERE b.review_id = $1 ORDER BY b.created_at DESC LIMIT $2`,
    [reviewId, limit],
  );
  return rows.map((r) => ({
    batchId: r.id,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    files: r.files,
    waiting: r.waiting,
  }));
}

export function summariseBatch(b: BatchView): BatchSummary {
  return {
    batchId: b.batchId,
    attached: b.files
      .filter((f) => f.outcome === 'attached' && f.report)
      .map((f) => ({
        file: f.fileName,
        reportId: f.report!.reportId,
        title: f.report!.title,
        matchedBy: f.matchedBy ?? 'doi',
      })),
    ambiguous: b.files
      .filter((f) => f.outcome === 'ambiguous')
      .map((f) => ({
        file: f.fileName,
        candidates: f.candidates.map(({ reportId, title, year }) => ({ reportId, title, year })),
      })),
    unmatched: b.files.filter((f) => f.outcome === 'unmatched').map((f) => f.fileName),
    duplicates: b.files.filter((f) => f.outcome === 'duplicate').map((f) => f.fileName),
    failed: b.files
      .filter((f) => f.outcome === 'failed')
      .map((f) => ({ file: f.fileName, message: f.message ?? '' })),
  };
}
