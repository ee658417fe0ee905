import { appendEvent, type Db, type Sql } from '@winnow/core';
import { planCodingAssignments } from '../coding/assignment.planner.ts';
import { ensureExtractionSettings } from './codebook.repository.ts';
import { syncIncludedStudies } from './study.repository.ts';

/** The roles that may code a study. */
export const CODING_ROLES = ['reviewer', 'coder'] as const;

/** Coders are the review's members with a coding role, in the order they joined. */
async function coders(db: Sql, reviewId: string): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT user_id FROM members WHERE review_id = $1 AND role = ANY($2::text[])
     GROUP BY user_id ORDER BY min(created_at), user_id`,
    [reviewId, CODING_ROLES],
  );
  return rows.map((r) => r.user_id);
}

/** What one assignment run did, and what it had to work with (the page says it in words). */
export interface CodingAssignmentResult {
  /** Studies made for newly included reports. */
  newStudies: number;
  /** Coding tasks handed out (a study to one coder). */
  assigned: number;
  /** The review's studies, and its members who may code them. */
  studies: number;
  coders: number;
  codersPerStudy: number;
}

/** A coding task (`a`, a coding_assignments row) whose coder has not submitted a coding of it. */
const UNSUBMITTED = `NOT EXISTS (SELECT 1 FROM codings c WHERE c.study_id = a.study_id AND c.coder_id = a.coder_id
                                         AND c.status = 'submitted')`;

/**
 * Takes back the coding tasks of people who may no longer code (they left the review or lost the
 * coder and reviewer roles) and have not submitted: the planner then hands those studies to the
 * coders there are. A submitted coding stays and counts, as a leaver's votes do; a draft goes with
 * its task (its rows stay in the log). Each task taken back is an `assignment.revoked` event.
 * Returns the studies whose tasks were taken back.
 */
async function revokeLeaversTasks(tx: Sql, reviewId: string, people: readonly string[]): Promise<string[]> {
  const { rows } = await tx.query<{ id: string; studyId: string; coderId: string }>(
    `DELETE FROM coding_assignments a WHERE a.review_id = $1 AND NOT (a.coder_id = ANY($2::uuid[]))
        AND ${UNSUBMITTED}
     RETURNING a.id, a.study_id AS "studyId", a.coder_id AS "coderId"`,
    [reviewId, people],
  );
  for (const r of rows)
    await appendEvent(tx, {
      reviewId,
      type: 'assignment.revoked',
      entityType: 'study',
      entityId: r.studyId,
      data: { stage: 'extraction', coderId: r.coderId, reason: 'no longer a coder of this review' },
      idempotencyKey: `coding-assignment-revoked:${r.id}`,
    });
  return rows.map((r) => r.studyId);
}

/** Whether `coderId` holds a coding task not yet submitted (what a change of members hands on). */
export async function hasUnsubmittedCoding(db: Sql, reviewId: string, coderId: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM coding_assignments a WHERE a.review_id = $1 AND a.coder_id = $2
        AND ${UNSUBMITTED}
      LIMIT 1`,
    [reviewId, coderId],
  );
  return rows.length > 0;
}

/**
 * Creates studies for newly included reports and hands each study to its coders; a task of someone
 * who may no longer code, not submitted, goes to another coder. With `existingOnly` (after a change
 * of members) it only hands on what was assigned: no new study, and no study nobody codes yet, is
 * started without the lead. Idempotent.
 */
export async function assignCoding(
  db: Db,
  reviewId: string,
  options: { existingOnly?: boolean } = {},
): Promise<CodingAssignmentResult> {
  const { codersPerStudy } = await ensureExtractionSettings(db, reviewId);
  return db.transaction(async (tx) => {
    const people = await coders(tx, reviewId);
    const newStudies = options.existingOnly ? 0 : await syncIncludedStudies(tx, reviewId);
    const handedOn = await revokeLeaversTasks(tx, reviewId, people);
    const { rows: studies } = await tx.query<{ id: string }>(
      options.existingOnly
        ? `SELECT id FROM studies s WHERE review_id = $1
             AND (s.id = ANY($2::uuid[]) OR EXISTS (SELECT 1 FROM coding_assignments a WHERE a.study_id = s.id))
           ORDER BY created_at, seq`
        : `SELECT id FROM studies WHERE review_id = $1 ORDER BY created_at, seq`,
      options.existingOnly ? [reviewId, handedOn] : [reviewId],
    );
    const { rows: existing } = await tx.query<{ studyId: string; coderId: string }>(
      `SELECT study_id AS "studyId", coder_id AS "coderId" FROM coding_assignments WHERE review_id = $1`,
      [reviewId],
    );
    const plan = planCodingAssignments(
      studies.map((s) => s.id),
      people,
      codersPerStudy,
      existing,
    );
    let position = existing.length;
    let assigned = 0;
    for (const a of plan) {
      const { rows } = await tx.query(
        `INSERT INTO coding_assignments (review_id, study_id, coder_id, position) VALUES ($1, $2, $3, $4)
         ON CONFLICT (study_id, coder_id) DO NOTHING RETURNING id`,
        [reviewId, a.studyId, a.coderId, position++],
      );
      if (rows.length === 0) continue;
      assigned++;
      await appendEvent(tx, {
        reviewId,
        type: 'assignment.created',
        entityType: 'study',
        entityId: a.studyId,
        data: { stage: 'extraction', coderId: a.coderId },
        idempotencyKey: `coding-assignment:${a.studyId}:${a.coderId}`,
      });
    }
    return { newStudies, assigned, studies: studies.length, coders: people.length, codersPerStudy };
  });
}

export interface QueueItem {
  studyId: string;
  position: number;
  status: 'not-started' | 'draft' | 'submitted';
}

/** A coder's own queue: only their assignments and their own coding status (blind). */
export async function codingQueue(db: Sql, reviewId: string, coderId: string): Promise<QueueItem[]> {
  const { rows } = await db.query<QueueItem>(
    `SELECT a.study_id AS "studyId", a.position,
            COALESCE((SELECT c.status FROM codings c WHERE c.study_id = a.study_id AND c.coder_id = a.coder_id ORDER BY c.id DESC LIMIT 1), 'not-started') AS status
       FROM coding_assignments a WHERE a.review_id = $1 AND a.coder_id = $2 ORDER BY a.position`,
    [reviewId, coderId],
  );
  return rows;
}

/** Lead's overview: per study, coders assigned and submitted, and whether consensus exists. */
export async function codingProgress(
  db: Sql,
  reviewId: string,
): Promise<Array<{ studyId: string; assigned: number; submitted: number; consensus: boolean }>> {
  const { rows } = await db.query<{
    studyId: string;
    assigned: number;
    submitted: number;
    consensus: boolean;
  }>(
    `SELECT s.id AS "studyId",
            (SELECT count(*)::int FROM coding_assignments a WHERE a.study_id = s.id) AS assigned,
            (SELECT count(*)::int FROM (SELECT DISTINCT ON (coder_id) status FROM codings c WHERE c.study_id = s.id ORDER BY coder_id, id DESC) l WHERE l.status = 'submitted') AS submitted,
            EXISTS (SELECT 1 FROM consensus_records r WHERE r.study_id = s.id) AS consensus
       FROM studies s WHERE s.review_id = $1 ORDER BY s.created_at, s.seq`,
    [reviewId],
  );
  return rows;
}
