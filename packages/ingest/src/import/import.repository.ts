import { appendEvent, WinnowError, type Sql } from '@winnow/core';
import type { ParsedRecord } from '../record.types.ts';
import type { ImportRow, SearchInput } from './import.types.ts';
import { wellFormedJson } from './well-formed-json.ts';

const IMPORT_COLUMNS = `id, review_id AS "reviewId", search_id AS "searchId", file_name AS "fileName",
  content_hash AS "contentHash", format, requested_format AS "requestedFormat",
  column_mapping AS "columnMapping", blob_id AS "blobId", status, record_count AS "recordCount",
  warnings, errors, warning_count AS "warningCount", error_count AS "errorCount",
  records_skipped AS "recordsSkipped", records_repaired AS "recordsRepaired", forced, by_hand AS "byHand",
  created_by AS "createdBy", created_at AS "createdAt", completed_at AS "completedAt"`;

export async function createSearch(tx: Sql, reviewId: string, s: SearchInput): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO searches (review_id, source_name, source_kind, platform, searched_on, strategy, limits, records_reported)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      reviewId,
      s.sourceName,
      s.sourceKind ?? 'database',
      s.platform ?? null,
      s.searchedOn ?? null,
      s.strategy ?? null,
      s.limits ?? null,
      s.recordsReported ?? null,
    ],
  );
  return rows[0]!.id;
}

export async function findImportByHash(
  db: Sql,
  reviewId: string,
  contentHash: string,
): Promise<ImportRow | null> {
  const { rows } = await db.query<ImportRow>(
    `SELECT ${IMPORT_COLUMNS} FROM imports WHERE review_id = $1 AND content_hash = $2 AND status <> 'failed'
     ORDER BY created_at LIMIT 1`,
    [reviewId, contentHash],
  );
  return rows[0] ?? null;
}

export interface NewImport {
  reviewId: string;
  searchId: string | null;
  fileName: string;
  contentHash: string;
  blobId: string;
  requestedFormat?: string;
  columnMapping?: Record<string, string>;
  forced: boolean;
  /** Written by the server from a form (a record added by hand), not uploaded. */
  byHand?: boolean;
  createdBy?: string | null;
}

/**
 * Registers an upload as a pending import. The same content already imported (or importing) into
 * the review is refused with DUPLICATE_IMPORT unless forced.
 */
export async function createImport(tx: Sql, i: NewImport): Promise<ImportRow> {
  // Serialises concurrent uploads of the same content into one review (released at commit).
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`import:${i.reviewId}:${i.contentHash}`]);
  const existing = await findImportByHash(tx, i.reviewId, i.contentHash);
  if (existing && !i.forced) {
    throw new WinnowError(
      'DUPLICATE_IMPORT',
      // Read in the browser too: no id, no CLI flag (the CLI adds its own hint, the form has a box).
      `"${i.fileName}" has the same content as "${existing.fileName}", already imported into this review`,
      { location: { file: i.fileName }, importId: existing.id },
    );
  }
  const { rows } = await tx.query<ImportRow>(
    `INSERT INTO imports (review_id, search_id, file_name, content_hash, blob_id, requested_format, column_mapping, forced, created_by, by_hand)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${IMPORT_COLUMNS}`,
    [
      i.reviewId,
      i.searchId,
      i.fileName,
      i.contentHash,
      i.blobId,
      i.requestedFormat ?? null,
      i.columnMapping ? JSON.stringify(i.columnMapping) : null,
      i.forced,
      i.createdBy ?? null,
      i.byHand ?? false,
    ],
  );
  const row = rows[0]!;
  await appendEvent(tx, {
    reviewId: i.reviewId,
    type: 'import.requested',
    actorId: i.createdBy ?? null,
    entityType: 'import',
    entityId: row.id,
    data: {
      fileName: i.fileName,
      contentHash: i.contentHash,
      searchId: i.searchId,
      forced: i.forced,
      duplicateOf: existing?.id ?? null,
    },
  });
  return row;
}

export async function getImport(db: Sql, importId: string): Promise<ImportRow | null> {
  const { rows } = await db.query<ImportRow>(`SELECT ${IMPORT_COLUMNS} FROM imports WHERE id = $1`, [
    importId,
  ]);
  return rows[0] ?? null;
}

/** An import with its search's PRISMA-S details (null where it has no search). */
export type ListedImport = ImportRow & {
  sourceName: string | null;
  sourceKind: string | null;
  platform: string | null;
  searchedOn: string | null;
  strategy: string | null;
  limits: string | null;
  recordsReported: number | null;
};

export async function listImports(db: Sql, reviewId: string): Promise<ListedImport[]> {
  const { rows } = await db.query<ListedImport>(
    `SELECT ${IMPORT_COLUMNS.replace(/(^|,\s*)(\w+)/g, '$1i.$2')}, s.source_name AS "sourceName", s.searched_on::text AS "searchedOn",
            s.records_reported AS "recordsReported", s.source_kind AS "sourceKind", s.platform, s.strategy, s.limits
       FROM imports i LEFT JOIN searches s ON s.id = i.search_id
      WHERE i.review_id = $1 ORDER BY i.created_at, i.id`,
    [reviewId],
  );
  return rows;
}

/**
 * Writes one batch of parsed records as one statement of column arrays (`unnest`), the same text
 * whatever the batch's size: PostgreSQL plans it once per connection, and no statement carries
 * thousands of placeholders. Keyed on (import, position): a retried job writes each record once,
 * whatever batch boundaries the retry happens to have.
 */
export async function insertRecords(
  tx: Sql,
  imp: { id: string; reviewId: string },
  records: ParsedRecord[],
): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((r) => {
    const { raw, ...rest } = r.record;
    return {
      i: r.index,
      l: r.line ?? null,
      t: rest.title,
      y: rest.year ?? null,
      d: rest.doi ?? null,
      p: rest.pmid ?? null,
      j: { ...rest, raw: '' },
      w: raw,
    };
  });
  await tx.query(
    `INSERT INTO records (review_id, import_id, source_index, source_line, title, year, doi, pmid, data, raw)
     SELECT $1, $2, r.i, r.l, r.t, r.y, r.d, r.p, r.j, r.w
       FROM json_to_recordset($3::json) AS r(i int, l int, t text, y int, d text, p text, j jsonb, w text)
     ON CONFLICT (import_id, source_index) DO NOTHING`,
    [imp.reviewId, imp.id, wellFormedJson(rows)],
  );
}

/**
 * Adds the words of an import's records to its review's list (library_words, migration 0870), as
 * one statement in the import's completing transaction: written while the batches were, each
 * batch's words would queue one batch's transaction behind the other's on the words both hold.
 * Sorted, so two imports completing at once insert the words they share in the same order and wait
 * for one another rather than deadlock.
 */
export async function addSearchWords(tx: Sql, reviewId: string, words: ReadonlySet<string>): Promise<void> {
  if (words.size === 0) return;
  const sorted = [...words].sort();
  await tx.query(
    `INSERT INTO library_words (review_id, word)
     SELECT $1, w FROM unnest($2::text[]) WITH ORDINALITY AS u(w, n) ORDER BY n
     ON CONFLICT DO NOTHING`,
    [reviewId, sorted],
  );
}

/** Removes what a failed run of an import wrote: a failed import leaves no record behind. */
export async function deleteImportRecords(tx: Sql, importId: string): Promise<void> {
  await tx.query('DELETE FROM records WHERE import_id = $1', [importId]);
}

export async function countImportRecords(db: Sql, importId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM records WHERE import_id = $1',
    [importId],
  );
  return rows[0]!.n;
}

export interface Completion {
  format: string;
  records: number;
  warnings: string[];
  errors: string[];
  warningCount: number;
  errorCount: number;
  /** Damaged records skipped, and kept with what could be read of them (from the parse). */
  recordsSkipped: number;
  recordsRepaired: number;
}

/**
 * Marks the import complete and logs it, in the caller's transaction (a retry logs once). Its
 * records then await the dedup run that follows before routing takes them (a retry that finds the
 * import already complete leaves that mark as the dedup run left it).
 */
export async function completeImport(tx: Sql, imp: ImportRow, c: Completion): Promise<void> {
  await tx.query(
    `UPDATE imports SET status = 'complete', format = $2, record_count = $3, warnings = $4, errors = $5,
       warning_count = $6, error_count = $7, records_skipped = $8, records_repaired = $9, completed_at = now(),
       awaiting_dedup = CASE WHEN status = 'complete' THEN awaiting_dedup ELSE true END
     WHERE id = $1`,
    [
      imp.id,
      c.format,
      c.records,
      JSON.stringify(c.warnings),
      JSON.stringify(c.errors),
      c.warningCount,
      c.errorCount,
      c.recordsSkipped,
      c.recordsRepaired,
    ],
  );
  await appendEvent(tx, {
    reviewId: imp.reviewId,
    type: 'import.completed',
    actorId: imp.createdBy,
    entityType: 'import',
    entityId: imp.id,
    data: {
      fileName: imp.fileName,
      format: c.format,
      records: c.records,
      warnings: c.warningCount,
      errors: c.errorCount,
      recordsSkipped: c.recordsSkipped,
      recordsRepaired: c.recordsRepaired,
      searchId: imp.searchId,
    },
    idempotencyKey: `import:${imp.id}:done`,
  });
}

/** A file that cannot be read at all stores nothing: its records go, the import is marked failed. */
export async function failImport(tx: Sql, imp: ImportRow, message: string): Promise<void> {
  await tx.query('DELETE FROM records WHERE import_id = $1', [imp.id]);
  await tx.query(
    `UPDATE imports SET status = 'failed', record_count = 0, errors = $2, error_count = 1, completed_at = now()
     WHERE id = $1`,
    [imp.id, JSON.stringify([message])],
  );
  await appendEvent(tx, {
    reviewId: imp.reviewId,
    type: 'import.failed',
    actorId: imp.createdBy,
    entityType: 'import',
    entityId: imp.id,
    data: { fileName: imp.fileName, message },
    idempotencyKey: `import:${imp.id}:failed`,
  });
}

/** Records parsed across a search's complete imports, against what the database reported. */
export async function searchCounts(
  db: Sql,
  searchId: string,
): Promise<{ reported: number | null; parsed: number; sourceName: string }> {
  const { rows } = await db.query<{ reported: number | null; parsed: number; sourceName: string }>(
    `SELECT s.records_reported AS reported, s.source_name AS "sourceName",
            COALESCE((SELECT sum(record_count)::int FROM imports i WHERE i.search_id = s.id AND i.status = 'complete'), 0) AS parsed
       FROM searches s WHERE s.id = $1`,
    [searchId],
  );
  return rows[0] ?? { reported: null, parsed: 0, sourceName: '' };
}

export interface ExportRow {
  id: string;
  data: Record<string, unknown>;
  raw: string;
}

/** Every record of a review in import order, a page at a time (keyset per import), for exports of any size. */
export async function* streamRecords(
  db: Sql,
  reviewId: string,
  opts: { uniqueOnly?: boolean; pageSize?: number } = {},
): AsyncGenerator<ExportRow[]> {
  const pageSize = opts.pageSize ?? 1000;
  const { rows: imports } = await db.query<{ id: string }>(
    `SELECT id FROM imports WHERE review_id = $1 AND status = 'complete' ORDER BY created_at, id`,
    [reviewId],
  );
  for (const imp of imports) {
    let after = 0;
    for (;;) {
      const { rows } = await db.query<ExportRow & { sourceIndex: number }>(
        `SELECT id, data, raw, source_index AS "sourceIndex" FROM records
          WHERE import_id = $1 AND source_index > $2 ${opts.uniqueOnly ? 'AND duplicate_of IS NULL' : ''}
          ORDER BY source_index LIMIT $3`,
        [imp.id, after, pageSize],
      );
      if (rows.length === 0) break;
      yield rows.map((r) => ({ id: r.id, data: r.data, raw: r.raw }));
      after = rows[rows.length - 1]!.sourceIndex;
      if (rows.length < pageSize) break;
    }
  }
}
