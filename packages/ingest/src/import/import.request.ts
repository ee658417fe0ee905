import { putBlob, WinnowError, type BlobInfo, type Db } from '@winnow/core';
import { createImport, createSearch } from './import.repository.ts';
import type { ImportRow, SearchInput } from './import.types.ts';
import { isIngestFormat } from '../parsers/formats.ts';

export interface ImportRequest {
  reviewId: string;
  fileName: string;
  source: AsyncIterable<Buffer | Uint8Array | string>;
  maxBytes: number;
  /** An existing search, or a new one to create; neither: the import stands alone. */
  searchId?: string;
  search?: SearchInput;
  format?: string;
  columns?: Record<string, string>;
  force?: boolean;
  /** A record added by hand: the server wrote the file from a form. */
  byHand?: boolean;
  actorId?: string | null;
}

/**
 * Stores the upload and registers a pending import (with its PRISMA-S search). The caller enqueues
 * `ingest.import` with the returned import id. Refuses content already imported unless forced.
 */
export async function requestImport(db: Db, r: ImportRequest): Promise<ImportRow> {
  if (r.format !== undefined && r.format !== 'auto' && !isIngestFormat(r.format)) {
    throw new WinnowError(
      'UNSUPPORTED_FORMAT',
      `Format "${r.format}" is not one Winnow reads: expected one of ris, medline, pubmed-xml, endnote-xml, wos-plain, wos-tab, csv, bibtex`,
      { location: { field: 'format' } },
    );
  }
  if (r.search?.searchedOn && !/^\d{4}-\d{2}-\d{2}$/.test(r.search.searchedOn)) {
    throw new WinnowError('VALIDATION', `searched date ${r.search.searchedOn}: expected YYYY-MM-DD`, {
      location: { field: 'searched' },
    });
  }
  const blob = await putBlob(db, { reviewId: r.reviewId, fileName: r.fileName }, r.source, r.maxBytes);
  if (blob.bytes === 0)
    throw new WinnowError('PARSE_ERROR', `${r.fileName}: the file is empty`, {
      location: { file: r.fileName },
    });
  try {
    return await register(db, r, blob);
  } catch (e) {
    // A refused or failed registration leaves no orphaned upload behind.
    await db.query('DELETE FROM blobs WHERE id = $1', [blob.id]);
    throw e;
  }
}

async function register(db: Db, r: ImportRequest, blob: BlobInfo): Promise<ImportRow> {
  return db.transaction(async (tx) => {
    const searchId = r.searchId ?? (r.search ? await createSearch(tx, r.reviewId, r.search) : null);
    return createImport(tx, {
      reviewId: r.reviewId,
      searchId,
      fileName: r.fileName,
      contentHash: blob.sha256,
      blobId: blob.id,
      requestedFormat: r.format === 'auto' ? undefined : r.format,
      columnMapping: r.columns,
      forced: r.force ?? false,
      byHand: r.byHand ?? false,
      createdBy: r.actorId ?? null,
    });
  });
}
