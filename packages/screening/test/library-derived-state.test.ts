import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '@winnow/core/testing';
import {
  castDecision,
  enterTitleAbstract,
  reconcileRecord,
  resolveConflict,
  retractDecision,
  routeStage,
  saveStageConfig,
} from '../src/index.ts';
import { seedReview } from './screening-fixtures.ts';

const RECORDS = 16;

/** Each person's latest decision per record, stage and role, derived from the log now. */
const DERIVED_VOTES = `
  SELECT DISTINCT ON (record_id, stage, reviewer_id, role) record_id, stage, reviewer_id, role, vote, id AS decision_id
    FROM decisions WHERE review_id = $1 ORDER BY record_id, stage, reviewer_id, role, id DESC`;
const KEPT_VOTES = `
  SELECT record_id, stage, reviewer_id, role, vote, decision_id FROM current_votes WHERE review_id = $1
   ORDER BY record_id, stage, reviewer_id, role`;
/** Standing screening votes per record and stage: kept (vote_count) beside derived. */
const COUNTS = `
  SELECT s.record_id, s.stage, s.vote_count AS kept,
         (SELECT count(*)::int FROM (${DERIVED_VOTES}) d
           WHERE d.record_id = s.record_id AND d.stage = s.stage AND d.role = 'reviewer' AND d.vote <> 'retract') AS derived
    FROM stage_records s WHERE s.review_id = $1 ORDER BY s.record_id, s.stage`;
const LIBRARY_ROWS = `
  SELECT l.record_id, l.review_id, l.import_id, l.title, l.year, l.duplicate_of, l.created_at FROM library_records l
   WHERE l.review_id = $1 ORDER BY l.record_id`;
const RECORD_ROWS = `
  SELECT r.id AS record_id, r.review_id, r.import_id, r.title, r.year, r.duplicate_of, r.created_at FROM records r
   WHERE r.review_id = $1 ORDER BY r.id`;

/**
 * The records library reads two things the database keeps beside the log (current_votes with
 * stage_records.vote_count, and library_records): after a mixed sequence of votes sent at the same
 * moment, undos, re-votes, an adjudicator's vote, a resolution, merges and a removed import, both
 * equal a fresh derivation from the decisions log and the records; and the rebuild derives them
 * again after they are damaged.
 */
describe.each(ENGINES)('the library’s kept state equals its derivation (%s)', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('after votes, undos, re-votes, adjudication and a rebuild', async () => {
    const { review, users, recordIds } = await seedReview(t.db, {
      slug: `derived-${engine}`,
      records: RECORDS,
      users: { ann: ['reviewer'], bob: ['reviewer'], cat: ['reviewer'], adj: ['adjudicator'] },
    });
    const reviewId = review.id;
    const stage = 'title-abstract';
    await saveStageConfig(t.db, {
      reviewId,
      stage,
      config: { exclusionReasons: [{ code: 'setting', label: 'Not a healthcare setting' }], votesNeeded: 2 },
      actorId: users.ann!,
    });
    await enterTitleAbstract(t.db, reviewId);
    await routeStage(t.db, { reviewId, stage });
    const { rows: assigned } = await t.db.query<{ record_id: string; reviewer_id: string }>(
      `SELECT record_id, reviewer_id FROM assignments WHERE review_id = $1 ORDER BY record_id, reviewer_id`,
      [reviewId],
    );
    const screeners = (recordId: string) =>
      assigned.filter((a) => a.record_id === recordId).map((a) => a.reviewer_id);
    const vote = (userId: string, recordId: string, v: 'include' | 'exclude' | 'maybe') =>
      castDecision(t.db, {
        reviewId,
        stage,
        userId,
        roles: ['reviewer'],
        decision: v === 'exclude' ? { recordId, vote: v, reasons: ['setting'] } : { recordId, vote: v },
      });
    const undo = (userId: string, recordId: string) =>
      retractDecision(t.db, { reviewId, stage, userId, recordId });

    // Both screeners of each record vote at the same moment: agreeing, disagreeing, or one maybe.
    await Promise.all(
      recordIds.map((recordId, i) => {
        const [a, b] = screeners(recordId);
        if (i % 4 === 3) return vote(a!, recordId, 'include'); // one vote only
        const second = i % 4 === 0 ? 'include' : i % 4 === 1 ? 'exclude' : 'maybe';
        return Promise.all([vote(a!, recordId, 'include'), vote(b!, recordId, second)]);
      }),
    );
    // Undos: some stay undone, some vote again (differently), one is undone twice over.
    for (const [i, recordId] of recordIds.entries()) {
      const [a] = screeners(recordId);
      if (i % 3 === 0) await undo(a!, recordId);
      if (i % 6 === 0) await vote(a!, recordId, 'exclude');
      if (i === 6) {
        await undo(a!, recordId);
        await vote(a!, recordId, 'include');
      }
      await reconcileRecord(t.db, { reviewId, recordId, stage });
    }
    // The adjudicator votes blind on open conflicts, then resolves them.
    const { rows: open } = await t.db.query<{ id: string; record_id: string }>(
      `SELECT id, record_id FROM conflicts WHERE review_id = $1 AND status = 'open' ORDER BY record_id`,
      [reviewId],
    );
    expect(open.length).toBeGreaterThan(1);
    for (const c of open) {
      await castDecision(t.db, {
        reviewId,
        stage,
        userId: users.adj!,
        roles: ['adjudicator'],
        decision: { recordId: c.record_id, vote: 'include' },
      });
      await resolveConflict(t.db, {
        reviewId,
        conflictId: c.id,
        userId: users.adj!,
        vote: 'exclude',
        reasons: ['setting'],
      });
      await reconcileRecord(t.db, { reviewId, recordId: c.record_id, stage });
    }
    await undo(users.adj!, open[0]!.record_id);

    // Merges mark records as duplicates (an update of records); an import that failed is removed.
    await t.db.query(`UPDATE records SET duplicate_of = $1 WHERE id = ANY($2::uuid[])`, [
      recordIds[0],
      recordIds.slice(1, 3),
    ]);
    await t.db.query(`UPDATE records SET title = 'Corrected title', year = NULL WHERE id = $1`, [
      recordIds[4],
    ]);
    const { rows: imp } = await t.db.query<{ id: string }>(
      `INSERT INTO imports (review_id, file_name, content_hash, status) VALUES ($1, 'failed.ris', 'f', 'failed') RETURNING id`,
      [reviewId],
    );
    await t.db.query(
      `INSERT INTO records (review_id, import_id, source_index, title, data, raw)
       SELECT $1, $2, i, 'Half-written ' || i, '{}'::jsonb, '' FROM generate_series(1, 3) AS i`,
      [reviewId, imp[0]!.id],
    );
    await t.db.query(`DELETE FROM records WHERE import_id = $1`, [imp[0]!.id]);

    const derived = (await t.db.query(DERIVED_VOTES + ' ', [reviewId])).rows;
    const kept = (await t.db.query(KEPT_VOTES, [reviewId])).rows;
    const sortKey = (r: Record<string, unknown>) => `${r.record_id} ${r.stage} ${r.reviewer_id} ${r.role}`;
    const norm = (rows: Record<string, unknown>[]) =>
      rows
        .map((r) => ({ ...r, decision_id: Number(r.decision_id) }))
        .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
    expect(norm(kept)).toEqual(norm(derived));
    // The sequence reached every case: standing votes, retractions, an adjudicator's, 0 to 2 a record.
    expect(new Set(kept.map((r) => r.vote))).toEqual(new Set(['include', 'exclude', 'maybe', 'retract']));
    expect(kept.some((r) => r.role === 'adjudicator')).toBe(true);
    const counts = (await t.db.query<{ kept: number; derived: number }>(COUNTS, [reviewId])).rows;
    expect(counts.length).toBeGreaterThanOrEqual(RECORDS); // and those advanced to full text
    for (const c of counts) expect(c.kept).toBe(c.derived);
    expect(new Set(counts.map((c) => c.derived))).toEqual(new Set([0, 1, 2]));
    expect((await t.db.query(LIBRARY_ROWS, [reviewId])).rows).toEqual(
      (await t.db.query(RECORD_ROWS, [reviewId])).rows,
    );
    expect((await t.db.query(LIBRARY_ROWS, [reviewId])).rows).toHaveLength(RECORDS);

    // Damaged, then rebuilt from the log: the same again.
    await t.db.query(`DELETE FROM current_votes WHERE review_id = $1 AND role = 'reviewer'`, [reviewId]);
    await t.db.query(`UPDATE stage_records SET vote_count = 7 WHERE review_id = $1`, [reviewId]);
    await t.db.query(`SELECT rebuild_current_votes($1)`, [reviewId]);
    expect(norm((await t.db.query(KEPT_VOTES, [reviewId])).rows)).toEqual(norm(derived));
    for (const c of (await t.db.query<{ kept: number; derived: number }>(COUNTS, [reviewId])).rows)
      expect(c.kept).toBe(c.derived);
  });
});
