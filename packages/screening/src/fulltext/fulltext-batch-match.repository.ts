import { readPdfText, WinnowError, type Db, type Sql } from '@winnow/core';
import { FULL_TEXT_MEDIA_TYPE, safeFileName } from './full-text.schema.ts';
import {
  getBatch,
  openBatch,
  setOutcome,
  summariseBatch,
  type BatchOutcome,
  type BatchSummary,
} from './fulltext-batch.repository.ts';
import { indexReports, matchFullText, type ReportKey } from './fulltext-match.ts';
import { readBlobBytes } from './fulltext-text.repository.ts';
import { addRetrieval } from './retrieval.repository.ts';

/** Reports sought for retrieval, with the identifiers their records carry. */
async function reportKeys(db: Sql, reviewId: string): Promise<ReportKey[]> {
  const { rows } = await db.query<{
    reportId: string;
    title: string;
    year: number | null;
    doi: string | null;
    pmid: string | null;
    hasFullText: boolean;
  }>(
    `SELECT p.id AS "reportId", coalesce(nullif(p.title, ''), r.title, '') AS title, r.year,
            coalesce(r.doi, r.data->>'doi') AS doi, coalesce(r.pmid, r.data->>'pmid') AS pmid,
            EXISTS (SELECT 1 FROM report_retrievals f WHERE f.report_id = p.id AND f.kind = 'file'
                      AND f.withdraws IS NULL
                      AND NOT EXISTS (SELECT 1 FROM report_retrievals w WHERE w.withdraws = f.id)) AS "hasFullText"
       FROM reports p LEFT JOIN records r ON r.id = p.record_id
      WHERE p.review_id = $1`,
    [reviewId],
  );
  return rows.map((r) => ({ ...r, year: r.year === null ? null : Number(r.year) }));
}

/** Content hashes of every full text attached in the review: the same bytes never attach twice. */
async function attachedHashes(db: Sql, reviewId: string): Promise<Set<string>> {
  const { rows } = await db.query<{ sha: string | null }>(
    `SELECT coalesce(rr.detail->>'sha256', b.sha256) AS sha
       FROM report_retrievals rr LEFT JOIN blobs b ON b.id::text = rr.detail->>'blobId'
      WHERE rr.review_id = $1 AND rr.kind = 'file'`,
    [reviewId],
  );
  return new Set(rows.map((r) => r.sha).filter((s): s is string => !!s));
}

async function attachedReportOf(db: Sql, reviewId: string, blobId: string): Promise<string | null> {
  const { rows } = await db.query<{ report_id: string }>(
    `SELECT report_id FROM report_retrievals WHERE review_id = $1 AND kind = 'file' AND detail->>'blobId' = $2`,
    [reviewId, blobId],
  );
  return rows[0]?.report_id ?? null;
}

/**
 * Matches every pending file of a batch, in order, and attaches the confident ones. Idempotent: a
 * file already decided is skipped, and one whose blob is attached already (a run stopped between
 * attaching and noting it) is noted as attached, never attached again.
 */
export async function runBatchMatch(
  db: Db,
  input: { reviewId: string; batchId: string; actorId: string | null },
  hooks: {
    progress(fraction: number, message: string): Promise<void>;
    /** Called for every file attached, to queue the reading of its text. */
    attached(file: { blobId: string; fileName: string }): Promise<void>;
  },
): Promise<BatchSummary> {
  await openBatch(db, input.reviewId, input.batchId);
  const { rows: files } = await db.query<{
    position: number;
    file_name: string;
    blob_id: string | null;
    sha256: string | null;
    outcome: BatchOutcome;
    matched_by: string | null;
  }>(
    `SELECT position, file_name, blob_id, sha256, outcome, matched_by FROM fulltext_batch_files WHERE batch_id = $1 ORDER BY position`,
    [input.batchId],
  );
  const keys = await reportKeys(db, input.reviewId);
  // Indexed once; a report given a file below is marked on its key, which the index holds.
  const index = indexReports(keys);
  const byId = new Map(keys.map((k) => [k.reportId, k]));
  const hashes = await attachedHashes(db, input.reviewId);
  // Files earlier in this batch hold their hash too, whatever became of them (but a failed one).
  const seen = new Set(
    files.filter((f) => f.outcome !== 'pending' && f.outcome !== 'failed').map((f) => f.sha256),
  );
  let done = 0;
  for (const f of files) {
    done++;
    if (f.outcome !== 'pending' || !f.blob_id) continue;
    const blobId = f.blob_id;
    const already = await attachedReportOf(db, input.reviewId, blobId);
    if (already) {
      await setOutcome(db, input.batchId, f.position, {
        outcome: 'attached',
        reportId: already,
        matchedBy: f.matched_by,
      });
      continue;
    }
    if (f.sha256 && (hashes.has(f.sha256) || seen.has(f.sha256))) {
      await setOutcome(db, input.batchId, f.position, {
        outcome: 'duplicate',
        message: 'The same file is already attached or earlier in this upload.',
      });
      continue;
    }
    if (f.sha256) seen.add(f.sha256);
    let facts;
    try {
      const t = await readPdfText(await readBlobBytes(db, blobId), { maxPages: 2, name: f.file_name });
      facts = {
        metadata: [t.info.title, t.info.subject, t.info.keywords].filter(Boolean).join('\n'),
        ...(t.info.title ? { metaTitle: t.info.title } : {}),
        text: t.pages.map((p) => p.text).join('\n'),
      };
    } catch (error) {
      await setOutcome(db, input.batchId, f.position, {
        outcome: 'failed',
        message: (error as Error).message,
      });
      continue;
    }
    const m = matchFullText(facts, index);
    if (m.outcome === 'attached') {
      // Noted first, so a run stopped right after attaching still knows how it matched.
      await db.query(
        `UPDATE fulltext_batch_files SET matched_by = $3, report_id = $4 WHERE batch_id = $1 AND position = $2`,
        [input.batchId, f.position, m.matchedBy, m.reportId],
      );
      await attachBlob(db, { ...input, blobId, fileName: f.file_name, reportId: m.reportId });
      const key = byId.get(m.reportId);
      if (key) key.hasFullText = true;
      await setOutcome(db, input.batchId, f.position, {
        outcome: 'attached',
        reportId: m.reportId,
        matchedBy: m.matchedBy,
      });
      await hooks.attached({ blobId, fileName: f.file_name });
    } else if (m.outcome === 'ambiguous') {
      await setOutcome(db, input.batchId, f.position, {
        outcome: 'ambiguous',
        candidates: m.candidates,
        message: m.why,
      });
    } else {
      await setOutcome(db, input.batchId, f.position, { outcome: 'unmatched' });
    }
    if (done % 10 === 0 || done === files.length)
      await hooks.progress(done / files.length, `${done} of ${files.length} files matched`);
  }
  await db.query(`UPDATE fulltext_batches SET status = 'done' WHERE id = $1`, [input.batchId]);
  return summariseBatch(await getBatch(db, input.reviewId, input.batchId));
}

async function attachBlob(
  db: Db,
  input: { reviewId: string; reportId: string; blobId: string; fileName: string; actorId: string | null },
) {
  const { rows } = await db.query<{ bytes: string; sha256: string }>(
    `SELECT bytes, sha256 FROM blobs WHERE id = $1`,
    [input.blobId],
  );
  const blob = rows[0];
  if (!blob) throw new WinnowError('NOT_FOUND', `The stored copy of ${input.fileName} is gone`);
  await addRetrieval(db, {
    reviewId: input.reviewId,
    reportId: input.reportId,
    actorId: input.actorId,
    retrieval: {
      kind: 'file',
      fileName: safeFileName(input.fileName),
      mediaType: FULL_TEXT_MEDIA_TYPE,
      sizeBytes: Number(blob.bytes),
      sha256: blob.sha256,
      blobId: input.blobId,
    },
  });
}

/** The lead picks the report an ambiguous (or unmatched) file is the full text of. */
export async function resolveBatchFile(
  db: Db,
  input: { reviewId: string; batchId: string; position: number; reportId: string; actorId: string },
): Promise<{ blobId: string; fileName: string }> {
  await openBatch(db, input.reviewId, input.batchId);
  const { rows } = await db.query<{ file_name: string; blob_id: string | null; outcome: BatchOutcome }>(
    `SELECT file_name, blob_id, outcome FROM fulltext_batch_files WHERE batch_id = $1 AND position = $2`,
    [input.batchId, input.position],
  );
  const f = rows[0];
  if (!f) throw new WinnowError('NOT_FOUND', 'This file is not in this upload');
  if ((f.outcome !== 'ambiguous' && f.outcome !== 'unmatched') || !f.blob_id)
    throw new WinnowError(
      'CONFLICT',
      `${f.file_name} is ${f.outcome === 'attached' ? 'already attached' : `not waiting for a match (${f.outcome})`}`,
    );
  await attachBlob(db, { ...input, blobId: f.blob_id, fileName: f.file_name });
  await setOutcome(db, input.batchId, input.position, {
    outcome: 'attached',
    reportId: input.reportId,
    matchedBy: 'lead',
  });
  return { blobId: f.blob_id, fileName: f.file_name };
}
