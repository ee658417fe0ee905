import { readBlob, readPdfText, WinnowError, type Db, type Sql } from '@winnow/core';

export type FullTextReadStatus = 'read' | 'no-text-layer' | 'failed';

export interface FullTextText {
  /** `pending` until the extraction job has read the file. */
  status: FullTextReadStatus | 'pending';
  /** In words, for the page: why reading failed, or that only the first pages were read. */
  message: string | null;
  pageCount: number | null;
  pages: { page: number; text: string }[];
}

export async function readBlobBytes(db: Sql, blobId: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of readBlob(db, blobId)) parts.push(chunk);
  return Buffer.concat(parts);
}

/**
 * Reads an attached PDF's text per page and stores it (replacing any earlier reading of the same
 * file, so a re-run job writes the same rows once). A file pdf.js cannot open, or an encrypted one,
 * is stored as `failed` with the reason in words: the job completes and the worker goes on.
 */
export async function extractFullText(
  db: Db,
  input: { reviewId: string; blobId: string; fileName: string },
): Promise<{ status: FullTextReadStatus; pages: number; message: string | null }> {
  const bytes = await readBlobBytes(db, input.blobId);
  let result: {
    status: FullTextReadStatus;
    pages: { page: number; text: string }[];
    count: number | null;
    message: string | null;
  };
  try {
    const t = await readPdfText(bytes, { name: input.fileName });
    const cut =
      t.numPages > t.pages.length
        ? `Text was read from the first ${t.pages.length} of its ${t.numPages} pages.`
        : null;
    result = t.textLayer
      ? { status: 'read', pages: t.pages, count: t.numPages, message: cut }
      : {
          status: 'no-text-layer',
          pages: [],
          count: t.numPages,
          message:
            'This PDF has no text layer (a scan): its pages are pictures, so there is no text to quote or search.',
        };
  } catch (error) {
    // Whatever pdf.js throws comes from the file, not from a fault a retry would mend.
    const message =
      error instanceof WinnowError
        ? error.message
        : `Cannot read the text of ${input.fileName} (${(error as Error).message.replace(/\.$/, '')}).`;
    result = { status: 'failed', pages: [], count: null, message };
  }
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM fulltext_pages WHERE blob_id = $1', [input.blobId]);
    // 100 pages a statement keeps each one small on both engines.
    for (let i = 0; i < result.pages.length; i += 100) {
      const slice = result.pages.slice(i, i + 100);
      await tx.query(
        `INSERT INTO fulltext_pages (blob_id, page, text)
         SELECT $1, p, t FROM unnest($2::int[], $3::text[]) AS x(p, t)`,
        [
          input.blobId,
          slice.map((p) => p.page),
          slice.map((p) => p.text.replaceAll(String.fromCharCode(0), '')),
        ],
      );
    }
    await tx.query(
      `INSERT INTO fulltext_texts (blob_id, review_id, status, page_count, pages_read, message)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (blob_id) DO UPDATE SET status = EXCLUDED.status, page_count = EXCLUDED.page_count,
         pages_read = EXCLUDED.pages_read, message = EXCLUDED.message, read_at = now()`,
      [input.blobId, input.reviewId, result.status, result.count, result.pages.length, result.message],
    );
  });
  return { status: result.status, pages: result.pages.length, message: result.message };
}

/** The stored text of an attached file, or `pending` while its extraction job has not run. */
export async function getFullTextText(db: Sql, blobId: string, withPages = true): Promise<FullTextText> {
  const { rows } = await db.query<{
    status: FullTextReadStatus;
    message: string | null;
    page_count: number | null;
  }>('SELECT status, message, page_count FROM fulltext_texts WHERE blob_id = $1', [blobId]);
  const row = rows[0];
  if (!row)
    return { status: 'pending', message: 'The text of this PDF is being read.', pageCount: null, pages: [] };
  if (!withPages) return { status: row.status, message: row.message, pageCount: row.page_count, pages: [] };
  const { rows: pages } = await db.query<{ page: number; text: string }>(
    'SELECT page, text FROM fulltext_pages WHERE blob_id = $1 ORDER BY page',
    [blobId],
  );
  return { status: row.status, message: row.message, pageCount: row.page_count, pages };
}
