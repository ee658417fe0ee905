import { appendEvent, WinnowError, type Db } from '@winnow/core';
import {
  approveEmergentCodes,
  proposeEmergentCode,
  type EmergentCode,
  type EmergentCodeInput,
} from '../coding/emergent.ts';
import { getCodebook, saveCodebookVersion } from './codebook.repository.ts';

export interface StoredEmergentCode extends EmergentCode {
  id: string;
  status: 'proposed' | 'approved' | 'rejected';
  approvedInVersion: number | null;
}

const COLUMNS = `id, field_key AS "fieldKey", parent_key AS "parentKey", key, label, description,
  proposed_by AS "proposedBy", study_id AS "studyId", codebook_version AS "codebookVersion", status,
  approved_in_version AS "approvedInVersion"`;

/** A coder's emergent code; proposing the same key again returns the existing proposal. */
export async function proposeEmergent(
  db: Db,
  reviewId: string,
  input: EmergentCodeInput,
): Promise<StoredEmergentCode> {
  const book = await getCodebook(db, reviewId);
  const code = proposeEmergentCode(book, input);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<StoredEmergentCode>(
      // The study, when given, must be one of this review's: checked in the write itself.
      `INSERT INTO emergent_codes (review_id, codebook_id, codebook_version, field_key, parent_key, key, label, description, proposed_by, study_id)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10::uuid
       WHERE $10::uuid IS NULL OR EXISTS (SELECT 1 FROM studies WHERE id = $10::uuid AND review_id = $1)
       ON CONFLICT (review_id, codebook_id, field_key, key) WHERE status <> 'rejected' DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        reviewId,
        book.id,
        book.version,
        code.fieldKey,
        code.parentKey,
        code.key,
        code.label,
        code.description ?? null,
        code.proposedBy,
        code.studyId ?? null,
      ],
    );
    if (rows[0]) {
      await appendEvent(tx, {
        reviewId,
        type: 'emergent-code.proposed',
        actorId: input.proposedBy,
        entityType: 'emergent-code',
        entityId: rows[0].id,
        data: { fieldKey: code.fieldKey, key: code.key, label: code.label, parentKey: code.parentKey },
      });
      return rows[0];
    }
    const { rows: existing } = await tx.query<StoredEmergentCode>(
      `SELECT ${COLUMNS} FROM emergent_codes WHERE review_id = $1 AND codebook_id = $2 AND field_key = $3 AND key = $4 AND status <> 'rejected'`,
      [reviewId, book.id, code.fieldKey, code.key],
    );
    // Nothing written and no earlier proposal: the study named is not one of this review's.
    if (!existing[0])
      throw new WinnowError('NOT_FOUND', 'This study is not in this review', {
        location: { field: 'studyId' },
      });
    return existing[0];
  });
}

export async function listEmergent(db: Db, reviewId: string): Promise<StoredEmergentCode[]> {
  const { rows } = await db.query<StoredEmergentCode>(
    `SELECT ${COLUMNS} FROM emergent_codes WHERE review_id = $1 ORDER BY created_at, id`,
    [reviewId],
  );
  return rows.map((r) =>
    r.description === null ? { ...r, description: undefined } : r,
  ) as StoredEmergentCode[];
}

/** A lead approves proposals into the next codebook version (and may reject others). */
export async function decideEmergent(
  db: Db,
  reviewId: string,
  decision: { approve: string[]; reject: string[] },
  actorId: string,
): Promise<{ version: number; approved: number; rejected: number }> {
  const book = await getCodebook(db, reviewId);
  const all = await listEmergent(db, reviewId);
  const pick = (ids: string[]) =>
    ids.map((id) => {
      const c = all.find((x) => x.id === id);
      if (!c)
        throw new WinnowError('NOT_FOUND', 'This emergent code no longer exists', {
          location: { field: 'approve' },
        });
      if (c.status !== 'proposed')
        throw new WinnowError('CONFLICT', `Emergent code "${c.label}" is already ${c.status}`);
      return c;
    });
  const approve = pick(decision.approve);
  const reject = pick(decision.reject);
  return db.transaction(async (tx) => {
    let version = book.version;
    if (approve.length > 0) {
      const next = approveEmergentCodes(book, approve, actorId);
      version = (await saveCodebookVersion(tx, reviewId, next, actorId)).version;
    }
    for (const [codes, status] of [
      [approve, 'approved'],
      [reject, 'rejected'],
    ] as const) {
      for (const c of codes) {
        await tx.query(
          `UPDATE emergent_codes SET status = $2, decided_by = $3, decided_at = now(), approved_in_version = $4
           WHERE id = $1 AND review_id = $5`,
          [c.id, status, actorId, status === 'approved' ? version : null, reviewId],
        );
        await appendEvent(tx, {
          reviewId,
          type: `emergent-code.${status}`,
          actorId,
          entityType: 'emergent-code',
          entityId: c.id,
          data: { key: c.key, label: c.label, version },
        });
      }
    }
    return { version, approved: approve.length, rejected: reject.length };
  });
}
