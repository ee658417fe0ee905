import { appendEvent, WinnowError, type Db, type Sql } from '@winnow/core';
import { assertValidCoding } from '../coding/coding.validate.ts';
import { migrateCoding, type MigrationLoss } from '../coding/coding.migrate.ts';
import type { Coding, FieldValues } from '../coding/coding.types.ts';
import type { Codebook } from '../codebook/codebook.types.ts';
import { getCodebook } from './codebook.repository.ts';

export interface StoredCoding extends Coding {
  id: number;
  status: 'draft' | 'submitted';
  migrationLosses: MigrationLoss[] | null;
  createdAt: Date;
}

const COLUMNS = `id, study_id AS "studyId", coder_id AS "coderId", codebook_id AS "codebookId",
  codebook_version AS "codebookVersion", field_values AS "values", status,
  migration_losses AS "migrationLosses", created_at AS "createdAt"`;

export async function isAssigned(
  db: Sql,
  reviewId: string,
  studyId: string,
  coderId: string,
): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM coding_assignments WHERE study_id = $1 AND coder_id = $2 AND review_id = $3`,
    [studyId, coderId, reviewId],
  );
  return rows.length > 0;
}

export async function assertAssigned(
  db: Sql,
  reviewId: string,
  studyId: string,
  coderId: string,
): Promise<void> {
  // Same answer for "no such study", "another review's study" and "not yours": a coder learns
  // nothing about others' work.
  if (!(await isAssigned(db, reviewId, studyId, coderId)))
    throw new WinnowError('NOT_FOUND', 'This study is not in your coding queue');
}

/** Saves a new version of a coder's coding against the current codebook; submitting needs it complete. */
export async function saveCoding(
  db: Db,
  input: { reviewId: string; studyId: string; coderId: string; values: FieldValues; submit: boolean },
): Promise<StoredCoding> {
  await assertAssigned(db, input.reviewId, input.studyId, input.coderId);
  const book = await getCodebook(db, input.reviewId);
  const coding: Coding = {
    studyId: input.studyId,
    coderId: input.coderId,
    codebookId: book.id,
    codebookVersion: book.version,
    values: input.values,
  };
  assertValidCoding(book, coding, { complete: input.submit });
  return db.transaction(async (tx) => {
    const status = input.submit ? 'submitted' : 'draft';
    const { rows } = await tx.query<StoredCoding>(
      // The assignment is checked again in the write itself: a study of another review never gets a coding here.
      `INSERT INTO codings (review_id, study_id, coder_id, codebook_id, codebook_version, field_values, status)
       SELECT $1, $2, $3, $4, $5, $6, $7
       WHERE EXISTS (SELECT 1 FROM coding_assignments WHERE review_id = $1 AND study_id = $2 AND coder_id = $3)
       RETURNING ${COLUMNS}`,
      [
        input.reviewId,
        input.studyId,
        input.coderId,
        book.id,
        book.version,
        JSON.stringify(input.values),
        status,
      ],
    );
    const saved = rows[0];
    if (!saved) throw new WinnowError('NOT_FOUND', 'This study is not in your coding queue');
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: input.submit ? 'coding.submitted' : 'coding.saved',
      actorId: input.coderId,
      entityType: 'study',
      entityId: input.studyId,
      data: { codingId: saved.id, codebookVersion: book.version, fields: Object.keys(input.values) },
    });
    return saved;
  });
}

/** The latest coding per (study, coder); optionally only submitted ones or one study/coder. */
export async function listCurrentCodings(
  db: Sql,
  reviewId: string,
  filter: { studyId?: string; coderId?: string; submittedOnly?: boolean } = {},
): Promise<StoredCoding[]> {
  const { rows } = await db.query<StoredCoding>(
    `SELECT * FROM (
       SELECT DISTINCT ON (study_id, coder_id) ${COLUMNS}
         FROM codings
        WHERE review_id = $1 AND ($2::uuid IS NULL OR study_id = $2) AND ($3::uuid IS NULL OR coder_id = $3)
        ORDER BY study_id, coder_id, id DESC
     ) latest
     WHERE NOT $4::boolean OR status = 'submitted'
     ORDER BY "studyId", "coderId"`,
    [reviewId, filter.studyId ?? null, filter.coderId ?? null, filter.submittedOnly ?? false],
  );
  return rows;
}

/**
 * Carries every current coding on an older version to the current codebook version, as new rows
 * keeping their status and recording what could not be carried.
 */
export async function migrateCodings(
  db: Db,
  reviewId: string,
  actorId: string,
): Promise<{
  version: number;
  migrated: number;
  losses: Array<{ studyId: string; coderId: string; lost: MigrationLoss[] }>;
}> {
  const book: Codebook = await getCodebook(db, reviewId);
  return db.transaction(async (tx) => {
    const current = await listCurrentCodings(tx, reviewId);
    const losses: Array<{ studyId: string; coderId: string; lost: MigrationLoss[] }> = [];
    let migrated = 0;
    for (const c of current) {
      if (c.codebookId !== book.id || c.codebookVersion === book.version) continue;
      const { coding, lost } = migrateCoding(c, book);
      await tx.query(
        `INSERT INTO codings (review_id, study_id, coder_id, codebook_id, codebook_version, field_values, status, migration_losses)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          reviewId,
          c.studyId,
          c.coderId,
          book.id,
          book.version,
          JSON.stringify(coding.values),
          c.status,
          JSON.stringify(lost),
        ],
      );
      migrated++;
      if (lost.length) losses.push({ studyId: c.studyId, coderId: c.coderId, lost });
    }
    await appendEvent(tx, {
      reviewId,
      type: 'coding.migrated',
      actorId,
      entityType: 'codebook',
      entityId: book.id,
      data: { version: book.version, migrated, withLosses: losses.length },
    });
    return { version: book.version, migrated, losses };
  });
}
