import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '@winnow/core';
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
  SELECT l.record_id, l.review_id, l.import_id, l.title_key, l.year, l.duplicate_of, l.created_at,
         s.search_vector::text AS search FROM library_records l LEFT JOIN library_search s ON s.record_id = l.record_id
   WHERE l.review_id = $1 ORDER BY l.record_id`;
const RECORD_ROWS = `
  SELECT r.id AS record_id, r.review_id, r.import_id, lower(left(r.title, 500)) AS title_key, r.year, r.duplicate_of, r.created_at,
         library_search_vector(r.title, r.data)::text AS search FROM records r
   WHERE r.review_id = $1 ORDER BY r.id`;

/** The library row's kept state columns, read back. */
const LIBRARY_STATE = `
  SELECT record_id, ta_state, ta_reasons, ta_updated, ft_state, ft_reasons, ft_updated, kept, has_full_text,
         ta_assigned, ta_open, ta_voters, ta_adjudicators, ft_assigned, ft_open, ft_voters, ft_adjudicators
    FROM library_records WHERE review_id = $1 ORDER BY record_id`;
/** The same columns derived from their sources now, written apart from the migration's functions. */
const stageState = (a: string) => `CASE WHEN ${a}.record_id IS NULL THEN 'not-in-stage'
    WHEN ${a}.status = 'advanced' THEN 'included' WHEN ${a}.status = 'excluded' THEN 'excluded'
    WHEN ${a}.status = 'conflict' AND ${a}.outcome->>'kind' = 'maybe' THEN 'maybe'
    WHEN ${a}.status = 'conflict' THEN 'conflict'
    WHEN (SELECT count(*) FROM (${DERIVED_VOTES}) d WHERE d.record_id = ${a}.record_id AND d.stage = ${a}.stage
            AND d.role = 'reviewer' AND d.vote <> 'retract') = 0 THEN 'unscreened'
    ELSE 'awaiting-second-vote' END`;
const people = (stage: string, a: string) => `
    ARRAY(SELECT reviewer_id FROM assignments a WHERE a.record_id = r.id AND a.stage = '${stage}' AND a.state IN ('open', 'done') ORDER BY 1) AS ${a}_assigned,
    ARRAY(SELECT reviewer_id FROM assignments a WHERE a.record_id = r.id AND a.stage = '${stage}' AND a.state = 'open' ORDER BY 1) AS ${a}_open,
    ARRAY(SELECT d.reviewer_id FROM (${DERIVED_VOTES}) d WHERE d.record_id = r.id AND d.stage = '${stage}'
           AND d.role = 'reviewer' AND d.vote <> 'retract' ORDER BY 1) AS ${a}_voters,
    ARRAY(SELECT x FROM (SELECT d.reviewer_id AS x FROM (${DERIVED_VOTES}) d WHERE d.record_id = r.id AND d.stage = '${stage}' AND d.role = 'adjudicator'
                         UNION SELECT adjudicator_id FROM resolutions z WHERE z.record_id = r.id AND z.stage = '${stage}') y ORDER BY 1) AS ${a}_adjudicators`;
const DERIVED_STATE = `
  SELECT r.id AS record_id,
         ${stageState('ta')} AS ta_state,
         ARRAY(SELECT jsonb_array_elements_text(coalesce(ta.outcome->'reasons', '[]'))) AS ta_reasons, ta.updated_at AS ta_updated,
         ${stageState('ft')} AS ft_state,
         ARRAY(SELECT jsonb_array_elements_text(coalesce(ft.outcome->'reasons', '[]'))) AS ft_reasons, ft.updated_at AS ft_updated,
         EXISTS (SELECT 1 FROM dedup_members m WHERE m.record_id = r.id AND m.kept) AS kept,
         EXISTS (SELECT 1 FROM reports rp JOIN report_retrievals rr ON rr.report_id = rp.id AND rr.kind = 'file'
                  WHERE rp.record_id = r.id AND rr.withdraws IS NULL AND rr.id NOT IN (SELECT withdraws FROM report_retrievals WHERE withdraws IS NOT NULL)) AS has_full_text,
         ${people('title-abstract', 'ta')}, ${people('full-text', 'ft')}
    FROM records r
    LEFT JOIN stage_records ta ON ta.record_id = r.id AND ta.stage = 'title-abstract'
    LEFT JOIN stage_records ft ON ft.record_id = r.id AND ft.stage = 'full-text'
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
    expect(open.length).toBeGreaterThan(2);
    // The last conflict stays open, so the library's state columns hold one too.
    for (const c of open.slice(0, -1)) {
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
    await t.db.query(
      `UPDATE records SET data = jsonb_set(data, '{abstract}', '"Staffing ratios in rural wards"') WHERE id = $1`,
      [recordIds[5]],
    );
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
    // A dedup run writes its groups, and the next run replaces them (delete, insert, then a change).
    const members = (kept: number) =>
      t.db.query(
        `INSERT INTO dedup_members (review_id, record_id, group_id, kept, tier, score, reason)
         SELECT $1, id, 'g1', id = $2, 'certain', 1, 'same DOI' FROM unnest($3::uuid[]) AS id`,
        [reviewId, recordIds[kept], recordIds.slice(0, 3)],
      );
    await members(1);
    await t.db.query(`DELETE FROM dedup_members WHERE review_id = $1`, [reviewId]);
    await members(0);
    await t.db.query(`UPDATE dedup_members SET kept = false WHERE record_id = $1`, [recordIds[0]]);
    await t.db.query(`UPDATE dedup_members SET kept = true WHERE record_id = $1`, [recordIds[2]]);
    // Full texts: attached to two records' reports, then one of them withdrawn.
    const attach = async (recordId: string) => {
      const { rows: rp } = await t.db.query<{ id: string }>(
        `INSERT INTO reports (review_id, record_id, title) VALUES ($1, $2, 'Report') RETURNING id`,
        [reviewId, recordId],
      );
      const { rows: rr } = await t.db.query<{ id: string }>(
        `INSERT INTO report_retrievals (review_id, report_id, kind, detail) VALUES ($1, $2, 'file', '{}') RETURNING id`,
        [reviewId, rp[0]!.id],
      );
      return { reportId: rp[0]!.id, retrievalId: rr[0]!.id };
    };
    await attach(recordIds[5]!);
    const withdrawn = await attach(recordIds[7]!);
    await t.db.query(
      `INSERT INTO report_retrievals (review_id, report_id, kind, detail, withdraws) VALUES ($1, $2, 'file', '{}', $3)`,
      [reviewId, withdrawn.reportId, withdrawn.retrievalId],
    );
    // A retrain reorders the open queues (positions only), then a screener is taken off a record.
    await t.db.query(`UPDATE assignments SET position = position + 1 WHERE review_id = $1`, [reviewId]);
    await t.db.query(
      `UPDATE assignments SET state = 'revoked' WHERE review_id = $1 AND record_id = $2 AND reviewer_id = $3`,
      [reviewId, recordIds[9], screeners(recordIds[9]!)[1]],
    );
    // One statement shifts every position, hands one assignment to a user with none on that record
    // and revokes another: the library's people columns follow the rows whose reviewer or state
    // changed (comparing with the derivation cannot tell whether others were refreshed too).
    const dan = await createUser(t.db, {
      email: `dan.${engine}@test.winnow`,
      name: 'Dan',
      password: 'correct horse battery',
    });
    const { rows: live } = await t.db.query<{ id: string; record_id: string }>(
      `SELECT id, record_id FROM assignments WHERE review_id = $1 AND state <> 'revoked' ORDER BY record_id, reviewer_id`,
      [reviewId],
    );
    const moved = live[0]!;
    const revoked = live.find((a) => a.record_id !== moved.record_id)!;
    await t.db.query(
      `UPDATE assignments SET position = position + 1,
              reviewer_id = CASE WHEN id = $2 THEN $3 ELSE reviewer_id END,
              state = CASE WHEN id = $4 THEN 'revoked' ELSE state END
        WHERE review_id = $1`,
      [reviewId, moved.id, dan.id, revoked.id],
    );

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
    const state = async () => (await t.db.query<Record<string, unknown>>(LIBRARY_STATE, [reviewId])).rows;
    const derivedState = async () =>
      (await t.db.query<Record<string, unknown>>(DERIVED_STATE, [reviewId])).rows;
    expect(await state()).toEqual(await derivedState());
    // The sequence reached every case the library tells apart.
    const library = await state();
    const seen = (col: string) => new Set(library.map((r) => r[col]));
    for (const st of ['awaiting-second-vote', 'included', 'excluded'])
      expect(seen('ta_state'), st).toContain(st);
    expect(['conflict', 'maybe'].some((st) => seen('ta_state').has(st))).toBe(true);
    expect(seen('ft_state')).toContain('not-in-stage');
    expect(seen('ft_state').size).toBeGreaterThan(1);
    expect(seen('kept')).toEqual(new Set([true, false]));
    expect(library.filter((r) => r.has_full_text).map((r) => r.record_id)).toEqual([recordIds[5]]);
    expect(library.some((r) => (r.ta_adjudicators as string[]).length > 0)).toBe(true);
    expect(library.some((r) => (r.ta_reasons as string[]).includes('setting'))).toBe(true);

    // Damaged, then rebuilt from the log: the same again.
    await t.db.query(`DELETE FROM current_votes WHERE review_id = $1 AND role = 'reviewer'`, [reviewId]);
    await t.db.query(`UPDATE stage_records SET vote_count = 7 WHERE review_id = $1`, [reviewId]);
    await t.db.query(`SELECT rebuild_current_votes($1)`, [reviewId]);
    expect(norm((await t.db.query(KEPT_VOTES, [reviewId])).rows)).toEqual(norm(derived));
    for (const c of (await t.db.query<{ kept: number; derived: number }>(COUNTS, [reviewId])).rows)
      expect(c.kept).toBe(c.derived);
    await t.db.query(
      `UPDATE library_records SET ta_state = 'included', ta_reasons = '{x}', kept = NOT kept, has_full_text = true,
              ta_voters = '{}', ft_open = ARRAY[$2::uuid] WHERE review_id = $1`,
      [reviewId, users.ann],
    );
    await t.db.query(`SELECT rebuild_library_state($1)`, [reviewId]);
    expect(await state()).toEqual(await derivedState());
  });
});
