import { appendEvent, WinnowError, type Db, type Sql } from '@winnow/core';
import { fieldAgreement, type CodingPair, type FieldAgreement } from '../agreement/field-agreement.ts';
import { migrateCoding, type MigrationLoss } from '../coding/coding.migrate.ts';
import type { Coding, FieldValues } from '../coding/coding.types.ts';
import {
  buildConsensus,
  finaliseConsensus,
  type ConsensusDraft,
  type ConsensusRecord,
} from '../coding/consensus.ts';
import type { Codebook } from '../codebook/codebook.types.ts';
import { ensureExtractionSettings, getCodebook } from './codebook.repository.ts';
import { listCurrentCodings } from './coding.repository.ts';

export interface StoredConsensus extends Omit<ConsensusRecord, 'finalisedAt'> {
  id: number;
  finalisedAt: Date;
}

/** Submitted codings brought to the current version in memory (the stored rows keep theirs). */
async function currentSubmitted(db: Db, reviewId: string, book: Codebook, studyId?: string) {
  const codings = await listCurrentCodings(db, reviewId, { studyId, submittedOnly: true });
  const losses: Array<{ coderId: string; studyId: string; lost: MigrationLoss[] }> = [];
  const migrated = codings.map((c): Coding => {
    if (c.codebookVersion === book.version) return c;
    const m = migrateCoding(c, book);
    if (m.lost.length) losses.push({ coderId: c.coderId, studyId: c.studyId, lost: m.lost });
    return m.coding;
  });
  return { codings: migrated, losses };
}

export async function consensusDraft(
  db: Db,
  reviewId: string,
  studyId: string,
): Promise<{ draft: ConsensusDraft | null; submitted: number; needed: number; losses: unknown[] }> {
  const { codersPerStudy } = await ensureExtractionSettings(db, reviewId);
  const book = await getCodebook(db, reviewId);
  const { codings, losses } = await currentSubmitted(db, reviewId, book, studyId);
  const draft = codings.length >= codersPerStudy ? buildConsensus(book, codings.slice(0, 2)) : null;
  return { draft, submitted: codings.length, needed: codersPerStudy, losses };
}

export async function finaliseStudyConsensus(
  db: Db,
  reviewId: string,
  studyId: string,
  resolutions: FieldValues,
  actorId: string,
): Promise<StoredConsensus> {
  const { draft, submitted, needed } = await consensusDraft(db, reviewId, studyId);
  if (!draft)
    throw new WinnowError(
      'CONFLICT',
      `This study has ${submitted} of ${needed} submitted codings; consensus waits for the rest`,
    );
  const book = await getCodebook(db, reviewId);
  const record = finaliseConsensus(book, draft, resolutions, actorId, new Date().toISOString());
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number; created_at: Date }>(
      // The study must be this review's, checked in the write itself (not only by the route).
      `INSERT INTO consensus_records (review_id, study_id, codebook_id, codebook_version, field_values, differences, resolved_fields, coders, finalised_by)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS (SELECT 1 FROM studies WHERE id = $2 AND review_id = $1)
       RETURNING id, created_at`,
      [
        reviewId,
        studyId,
        record.codebookId,
        record.codebookVersion,
        JSON.stringify(record.values),
        JSON.stringify(record.differences),
        JSON.stringify(record.resolvedFields),
        JSON.stringify(record.coders),
        actorId,
      ],
    );
    const row = rows[0];
    if (!row) throw new WinnowError('NOT_FOUND', 'This study is not in this review');
    await appendEvent(tx, {
      reviewId,
      type: 'consensus.finalised',
      actorId,
      entityType: 'study',
      entityId: studyId,
      data: {
        consensusId: row.id,
        codebookVersion: record.codebookVersion,
        differences: record.differences.map((d) => d.field),
      },
    });
    return { ...record, id: row.id, finalisedAt: row.created_at };
  });
}

export async function listCurrentConsensus(db: Sql, reviewId: string): Promise<StoredConsensus[]> {
  const { rows } = await db.query<StoredConsensus>(
    `SELECT DISTINCT ON (study_id) id, study_id AS "studyId", codebook_id AS "codebookId", codebook_version AS "codebookVersion",
            field_values AS "values", differences, resolved_fields AS "resolvedFields", coders, finalised_by AS "finalisedBy",
            created_at AS "finalisedAt"
       FROM consensus_records WHERE review_id = $1 ORDER BY study_id, id DESC`,
    [reviewId],
  );
  return rows;
}

/** Per-field agreement over studies with two submitted codings. */
export async function reviewAgreement(
  db: Db,
  reviewId: string,
): Promise<{ version: number; fields: FieldAgreement[] }> {
  const book = await getCodebook(db, reviewId);
  const { codings } = await currentSubmitted(db, reviewId, book);
  const byStudy = new Map<string, Coding[]>();
  for (const c of codings) (byStudy.get(c.studyId) ?? byStudy.set(c.studyId, []).get(c.studyId)!).push(c);
  const pairs: CodingPair[] = [...byStudy.entries()]
    .filter(([, cs]) => cs.length >= 2)
    .map(([studyId, cs]) => ({ studyId, a: cs[0]!, b: cs[1]! }));
  return { version: book.version, fields: fieldAgreement(book, pairs) };
}
