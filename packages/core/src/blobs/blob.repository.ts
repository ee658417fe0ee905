import { createHash } from 'node:crypto';
import type { Db, Sql } from '../db/db.types.ts';
import { WinnowError } from '../errors/winnow-error.ts';

const CHUNK = 1024 * 1024;

export interface BlobInfo {
  id: string;
  reviewId: string | null;
  fileName: string;
  mediaType: string;
  bytes: number;
  sha256: string;
}

/**
 * Stores a stream as a blob in 1 MiB chunks, never holding the whole file in memory. Over `maxBytes`
 * it fails with PAYLOAD_TOO_LARGE; a failed or aborted stream leaves nothing behind.
 */
export async function putBlob(
  db: Db,
  meta: { reviewId: string | null; fileName: string; mediaType?: string },
  source: AsyncIterable<Buffer | string | Uint8Array>,
  maxBytes: number,
): Promise<BlobInfo> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO blobs (review_id, file_name, media_type) VALUES ($1, $2, $3) RETURNING id',
    [meta.reviewId, meta.fileName, meta.mediaType ?? 'application/octet-stream'],
  );
  const id = rows[0]!.id;
  const hash = createHash('sha256');
  let bytes = 0;
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const data = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    // One statement: the chunk and the blob's last-activity time, which the sweep of abandoned
    // uploads reads (an upload still sending chunks is never swept).
    await db.query(
      `WITH chunk AS (INSERT INTO blob_chunks (blob_id, seq, data) VALUES ($1, $2, $3))
       UPDATE blobs SET touched_at = now() WHERE id = $1`,
      [id, seq++, data],
    );
  };
  try {
    for await (const part of source) {
      const buf = typeof part === 'string' ? Buffer.from(part) : Buffer.from(part);
      bytes += buf.length;
      if (bytes > maxBytes)
        throw new WinnowError(
          'PAYLOAD_TOO_LARGE',
          `"${meta.fileName}" exceeds the upload limit of ${maxBytes} bytes`,
        );
      hash.update(buf);
      pending.push(buf);
      pendingBytes += buf.length;
      if (pendingBytes >= CHUNK) await flush();
    }
    await flush();
    if (bytes === 0) throw new WinnowError('VALIDATION', `"${meta.fileName}" is empty`);
    const sha256 = hash.digest('hex');
    await db.query('UPDATE blobs SET bytes = $2, sha256 = $3, complete = true WHERE id = $1', [
      id,
      bytes,
      sha256,
    ]);
    return {
      id,
      reviewId: meta.reviewId,
      fileName: meta.fileName,
      mediaType: meta.mediaType ?? 'application/octet-stream',
      bytes,
      sha256,
    };
  } catch (error) {
    await db.query('DELETE FROM blobs WHERE id = $1', [id]).catch(() => {});
    if (error instanceof WinnowError) throw error;
    throw new WinnowError('BAD_REQUEST', `Storing "${meta.fileName}" failed: ${(error as Error).message}`);
  }
}

export async function getBlobInfo(db: Sql, id: string): Promise<BlobInfo | null> {
  const { rows } = await db.query<BlobInfo>(
    `SELECT id, review_id AS "reviewId", file_name AS "fileName", media_type AS "mediaType", bytes, sha256
     FROM blobs WHERE id = $1 AND complete`,
    [id],
  );
  return rows[0] ?? null;
}

/** Streams a blob's bytes chunk by chunk. */
export async function* readBlob(db: Sql, id: string): AsyncGenerator<Buffer> {
  const info = await getBlobInfo(db, id);
  if (!info) throw new WinnowError('NOT_FOUND', 'The stored file is gone');
  for (let seq = 0; ; seq++) {
    const { rows } = await db.query<{ data: Uint8Array }>(
      'SELECT data FROM blob_chunks WHERE blob_id = $1 AND seq = $2',
      [id, seq],
    );
    const row = rows[0];
    if (!row) return;
    yield Buffer.from(row.data);
  }
}

/** How long an incomplete blob must go without a new chunk before it counts as abandoned. */
export const ABANDONED_UPLOAD_MS = 60 * 60 * 1000;

/**
 * Deletes blobs that a crash left incomplete (`complete = false`) and that have had no chunk
 * written for `idleMs`; their chunks go with them (ON DELETE CASCADE). putBlob deletes its own
 * blob when an upload fails, so only a dead process leaves one behind. Returns how many went.
 */
export async function deleteAbandonedBlobs(db: Sql, idleMs = ABANDONED_UPLOAD_MS): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `DELETE FROM blobs b
      WHERE NOT b.complete
        AND b.touched_at < now() - make_interval(secs => $1::double precision / 1000)
        AND NOT EXISTS (SELECT 1 FROM imports i WHERE i.blob_id = b.id)
      RETURNING b.id`,
    [idleMs],
  );
  return rows.length;
}
