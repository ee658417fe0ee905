import { appendEvent, WinnowError, type Db, type Sql } from '@winnow/core';
import { parseCodebook } from '../codebook/codebook.schema.ts';
import type { Codebook } from '../codebook/codebook.types.ts';
import { loadDefaultCodebook } from '../codebook/default-codebook.ts';

export interface ExtractionSettings {
  codebookId: string;
  codersPerStudy: 1 | 2;
}

/** The review's settings; the first call installs the default codebook (v1) with dual coding. */
export async function ensureExtractionSettings(db: Db, reviewId: string): Promise<ExtractionSettings> {
  const existing = await getSettings(db, reviewId);
  if (existing) return existing;
  return db.transaction(async (tx) => {
    const book = loadDefaultCodebook();
    await tx.query(
      `INSERT INTO codebooks (review_id, codebook_id, version, definition) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [reviewId, book.id, book.version, JSON.stringify(book)],
    );
    await tx.query(
      `INSERT INTO extraction_settings (review_id, codebook_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [reviewId, book.id],
    );
    return (await getSettings(tx, reviewId))!;
  });
}

async function getSettings(db: Sql, reviewId: string): Promise<ExtractionSettings | undefined> {
  const { rows } = await db.query<{ codebook_id: string; coders_per_study: number }>(
    `SELECT codebook_id, coders_per_study FROM extraction_settings WHERE review_id = $1`,
    [reviewId],
  );
  const r = rows[0];
  return r ? { codebookId: r.codebook_id, codersPerStudy: r.coders_per_study === 1 ? 1 : 2 } : undefined;
}

export async function setCodersPerStudy(db: Db, reviewId: string, n: 1 | 2, actorId: string): Promise<void> {
  await ensureExtractionSettings(db, reviewId);
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE extraction_settings SET coders_per_study = $2, updated_at = now() WHERE review_id = $1`,
      [reviewId, n],
    );
    await appendEvent(tx, {
      reviewId,
      type: 'extraction.configured',
      actorId,
      entityType: 'review',
      entityId: reviewId,
      data: { codersPerStudy: n },
    });
  });
}

/** The current codebook (latest version), or a given version of it. */
export async function getCodebook(db: Db, reviewId: string, version?: number): Promise<Codebook> {
  const { codebookId } = await ensureExtractionSettings(db, reviewId);
  const { rows } = await db.query<{ definition: Codebook }>(
    `SELECT definition FROM codebooks WHERE review_id = $1 AND codebook_id = $2 ${version ? 'AND version = $3' : ''}
      ORDER BY version DESC LIMIT 1`,
    version ? [reviewId, codebookId, version] : [reviewId, codebookId],
  );
  const row = rows[0];
  if (!row) throw new WinnowError('NOT_FOUND', `This codebook has no version ${version}`);
  return row.definition;
}

export async function listCodebookVersions(db: Db, reviewId: string): Promise<Codebook[]> {
  const { codebookId } = await ensureExtractionSettings(db, reviewId);
  const { rows } = await db.query<{ definition: Codebook }>(
    `SELECT definition FROM codebooks WHERE review_id = $1 AND codebook_id = $2 ORDER BY version`,
    [reviewId, codebookId],
  );
  return rows.map((r) => r.definition);
}

/**
 * Stores a codebook as the next version of its id (whatever version number the file carried)
 * and makes it the review's codebook. A team's own framework comes in this way.
 */
export async function saveCodebookVersion(
  tx: Sql,
  reviewId: string,
  input: unknown,
  actorId: string | null,
): Promise<Codebook> {
  const parsed = parseCodebook(input);
  const { rows } = await tx.query<{ max: number | null }>(
    `SELECT max(version) AS max FROM codebooks WHERE review_id = $1 AND codebook_id = $2`,
    [reviewId, parsed.id],
  );
  const book: Codebook = { ...parsed, version: (rows[0]?.max ?? 0) + 1 };
  await tx.query(
    `INSERT INTO codebooks (review_id, codebook_id, version, definition, created_by) VALUES ($1, $2, $3, $4, $5)`,
    [reviewId, book.id, book.version, JSON.stringify(book), actorId],
  );
  await tx.query(
    `INSERT INTO extraction_settings (review_id, codebook_id) VALUES ($1, $2)
     ON CONFLICT (review_id) DO UPDATE SET codebook_id = EXCLUDED.codebook_id, updated_at = now()`,
    [reviewId, book.id],
  );
  await appendEvent(tx, {
    reviewId,
    type: 'codebook.versioned',
    actorId,
    entityType: 'codebook',
    entityId: book.id,
    data: { version: book.version, changeNote: book.changeNote ?? null },
  });
  return book;
}
