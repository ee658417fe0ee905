import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '@winnow/core/testing';
import { castDecision, enterTitleAbstract, routeStage, saveStageConfig } from '../src/index.ts';
import { seedReview } from './screening-fixtures.ts';

const RECORDS = 40;

/**
 * The lean vote path reconciles in the vote's own transaction. Two reviewers voting on one record
 * at the same moment, in two transactions (two pooled connections on PostgreSQL), must give one
 * outcome: one reconciliation, one reconciled event, at most one conflict, whatever the interleaving.
 */
describe.each(ENGINES)('two votes on one record at the same moment on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it(`decides each of ${RECORDS} raced records once`, async () => {
    const { review, users, recordIds } = await seedReview(t.db, {
      slug: `race-${engine}`,
      records: RECORDS,
      users: { ann: ['reviewer'], bob: ['reviewer'] },
    });
    const reviewId = review.id;
    await saveStageConfig(t.db, {
      reviewId,
      stage: 'title-abstract',
      config: { exclusionReasons: [{ code: 'wrong-design', label: 'Wrong design' }], votesNeeded: 2 },
      actorId: users.ann!,
    });
    await enterTitleAbstract(t.db, reviewId);
    expect((await routeStage(t.db, { reviewId, stage: 'title-abstract' })).assigned).toBe(RECORDS * 2);

    const vote = (userId: string, recordId: string, agree: boolean, first: boolean) =>
      castDecision(t.db, {
        reviewId,
        stage: 'title-abstract',
        userId,
        roles: ['reviewer'],
        decision:
          agree || first
            ? { recordId, vote: 'include' }
            : { recordId, vote: 'exclude', reasons: ['wrong-design'] },
      });
    // Even records: both include (advanced). Odd records: include and exclude (a conflict).
    // Each pair is sent at once; which vote commits first is left to the race.
    const results = await Promise.all(
      recordIds.map((recordId, i) =>
        Promise.all([
          vote(users.ann!, recordId, i % 2 === 0, i % 4 < 2),
          vote(users.bob!, recordId, i % 2 === 0, i % 4 >= 2),
        ]),
      ),
    );
    // Exactly one of each pair saw both votes and decided; the other saw itself alone or found it decided.
    for (const pair of results) expect(pair.filter((c) => c.reconciled.changed)).toHaveLength(1);

    const { rows } = await t.db.query<{
      recordId: string;
      status: string;
      reconciliations: number;
      reconciledEvents: number;
      conflicts: number;
      conflictEvents: number;
    }>(
      `SELECT s.record_id AS "recordId", s.status,
              (SELECT count(*)::int FROM reconciliations c WHERE c.record_id = s.record_id AND c.stage = s.stage) AS reconciliations,
              (SELECT count(*)::int FROM events e WHERE e.entity_id = s.record_id::text AND e.type = 'record.reconciled') AS "reconciledEvents",
              (SELECT count(*)::int FROM conflicts c WHERE c.record_id = s.record_id AND c.stage = s.stage) AS conflicts,
              (SELECT count(*)::int FROM events e WHERE e.entity_id = s.record_id::text AND e.type = 'conflict.opened') AS "conflictEvents"
       FROM stage_records s WHERE s.review_id = $1 AND s.stage = 'title-abstract'`,
      [reviewId],
    );
    expect(rows).toHaveLength(RECORDS);
    for (const r of rows) {
      const i = recordIds.indexOf(r.recordId);
      const agree = i % 2 === 0;
      expect(r, `record ${i}`).toEqual({
        recordId: r.recordId,
        status: agree ? 'advanced' : 'conflict',
        reconciliations: 1,
        reconciledEvents: 1,
        conflicts: agree ? 0 : 1,
        conflictEvents: agree ? 0 : 1,
      });
    }
    // Agreed records entered full text once each.
    const { rows: ft } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM stage_records WHERE review_id = $1 AND stage = 'full-text'`,
      [reviewId],
    );
    expect(ft[0]!.n).toBe(RECORDS / 2);
  });
});
