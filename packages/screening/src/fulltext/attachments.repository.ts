import { putBlob, WinnowError, type Db } from '@winnow/core';
import { checkUpload } from './full-text.schema.ts';
import { addRetrieval } from './retrieval.repository.ts';

/**
 * Stores an uploaded full text for a report: the bytes go to core's blob store in chunks, the first
 * kilobyte is kept to check the file is what it says (a PDF must carry a PDF header), and a bad
 * file is deleted again before anything points at it.
 */
export async function storeAttachment(
  db: Db,
  input: {
    reviewId: string;
    reportId: string;
    fileName: string;
    mediaType: string;
    source: AsyncIterable<Buffer | Uint8Array | string>;
    maxBytes: number;
    actorId: string;
  },
): Promise<{ retrievalId: number; blobId: string; bytes: number }> {
  let head = Buffer.alloc(0);
  async function* sniff() {
    for await (const part of input.source) {
      const buf = typeof part === 'string' ? Buffer.from(part) : Buffer.from(part);
      if (head.length < 1024) head = Buffer.concat([head, buf.subarray(0, 1024 - head.length)]);
      yield buf;
    }
  }
  const blob = await putBlob(
    db,
    { reviewId: input.reviewId, fileName: input.fileName, mediaType: input.mediaType },
    sniff(),
    input.maxBytes,
  );
  try {
    const checked = checkUpload(
      { fileName: input.fileName, mediaType: input.mediaType, sizeBytes: blob.bytes, head },
      input.maxBytes,
    );
    const retrievalId = await addRetrieval(db, {
      reviewId: input.reviewId,
      reportId: input.reportId,
      actorId: input.actorId,
      retrieval: {
        kind: 'file',
        fileName: checked.fileName,
        mediaType: checked.mediaType,
        sizeBytes: blob.bytes,
        sha256: blob.sha256,
        blobId: blob.id,
      },
    });
    return { retrievalId, blobId: blob.id, bytes: blob.bytes };
  } catch (error) {
    await db.query('DELETE FROM blobs WHERE id = $1', [blob.id]).catch(() => {});
    if (error instanceof WinnowError) throw error;
    throw new WinnowError('BAD_REQUEST', `Attaching ${input.fileName} failed: ${(error as Error).message}`);
  }
}
