import { openPdf, putBlob, readBlob, WinnowError, type Db } from '@winnow/core';
import { checkUpload, FULL_TEXT_MEDIA_TYPE, safeFileName } from './full-text.schema.ts';
import { addRetrieval } from './retrieval.repository.ts';

/**
 * Stores an uploaded full text for a report. The bytes go to core's blob store in chunks; the file
 * must then start with a PDF header and open in pdf.js, or it is deleted again before anything
 * points at it. The request's Content-Type is not asked: the blob and the retrieval both record
 * application/pdf, the only type a full text can have, and that is what the file routes serve.
 */
export async function storeAttachment(
  db: Db,
  input: {
    reviewId: string;
    reportId: string;
    fileName: string;
    source: AsyncIterable<Buffer | Uint8Array | string>;
    maxBytes: number;
    actorId: string;
  },
): Promise<{ retrievalId: number; blobId: string; bytes: number }> {
  const fileName = safeFileName(input.fileName);
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
    { reviewId: input.reviewId, fileName, mediaType: FULL_TEXT_MEDIA_TYPE },
    sniff(),
    input.maxBytes,
  );
  try {
    const checked = checkUpload({ fileName, sizeBytes: blob.bytes, head }, input.maxBytes);
    // pdf.js needs the whole file; it is read back once, bounded by the upload limit.
    const parts: Buffer[] = [];
    for await (const chunk of readBlob(db, blob.id)) parts.push(chunk);
    const doc = await openPdf(Buffer.concat(parts), checked.fileName).catch((error: unknown) => {
      throw new WinnowError(
        'VALIDATION',
        `${(error as Error).message} Only PDF files that open in a PDF reader can be attached as full texts.`,
        { location: { file: checked.fileName } },
      );
    });
    await doc.destroy();
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
    throw new WinnowError('BAD_REQUEST', `Attaching ${fileName} failed: ${(error as Error).message}`);
  }
}
