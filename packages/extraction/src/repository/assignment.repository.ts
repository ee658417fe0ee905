import { appendEvent, type Db, type Sql } from '@winnow/core';
import { planCodingAssignments } from '../coding/assignment.planner.ts';
import { ensureExtractionSettings } from './codebook.repository.ts';
import { syncIncludedStudies } from './study.repository.ts';

/** Coders are the review's members with the reviewer or coder role, in the order they joined. */
async function coders(db: Sql, reviewId: string): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT user_id FROM members WHERE review_id = $1 AND role IN ('reviewer', 'coder')
     GROUP BY user_id ORDER BY min(created_at), user_id`,
    [reviewId],
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

/** Creates studies for newly included reports and hands each study to its coders. Idempotent. */
export async function assignCoding(db: Db, reviewId: string): Promise<CodingAssignmentResult> {
  const { codersPerStudy } = await ensureExtractionSettings(db, reviewId);
  return db.transaction(async (tx) => {
    const newStudies = await syncIncludedStudies(tx, reviewId);
    const { rows: studies } = await tx.query<{ id: string }>(
      `SELECT id FROM studies WHERE review_id = $1 ORDER BY created_at, id`,
      [reviewId],
    );
    const { rows: existing } = await tx.query<{ studyId: string; coderId: string }>(
      `SELECT study_id AS "studyId", coder_id AS "coderId" FROM coding_assignments WHERE review_id = $1`,
      [reviewId],
    );
    const people = await coders(tx, reviewId);
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
       FROM studies s WHERE s.review_id = $1 ORDER BY s.created_at, s.id`,
    [reviewId],
  );
  return rows;
}
