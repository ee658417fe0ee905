import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '@winnow/core/testing';
import {
  agreementFor,
  castDecision,
  decisionLog,
  enterTitleAbstract,
  listConflicts,
  nextAssignments,
  reconcileRecord,
  resolveConflict,
  retractDecision,
  routeStage,
  saveStageConfig,
  FULL_TEXT_BEGUN_MESSAGE,
} from '../src/index.ts';
import { seedReview } from './screening-fixtures.ts';

describe.each(ENGINES)('screening repositories on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('routes, votes, reconciles, opens and resolves a conflict, and moves a record to full text', async () => {
    const { review, users, recordIds } = await seedReview(t.db, {
      slug: `flow-${engine}`,
      records: 6,
      users: { ann: ['reviewer'], bob: ['reviewer'], cat: ['adjudicator'], lee: ['lead'] },
    });
    const reviewId = review.id;
    expect(await enterTitleAbstract(t.db, reviewId)).toBe(6);
    const routed = await routeStage(t.db, { reviewId, stage: 'title-abstract' });
    expect(routed.assigned).toBe(12);
    // Re-running routes nothing new: routing is idempotent.
    expect((await routeStage(t.db, { reviewId, stage: 'title-abstract' })).assigned).toBe(0);

    const annQueue = await nextAssignments(t.db, {
      reviewId,
      stage: 'title-abstract',
      userId: users.ann!,
      limit: 10,
    });
    expect(annQueue).toHaveLength(6);
    const rec = recordIds[0]!;
    const roles = ['reviewer'] as const;
    await castDecision(t.db, {
      reviewId,
      stage: 'title-abstract',
      userId: users.ann!,
      roles,
      decision: { recordId: rec, vote: 'include' },
    });
    expect(
      (await reconcileRecord(t.db, { reviewId, recordId: rec, stage: 'title-abstract' })).outcome.status,
    ).toBe('awaiting-votes');
    // The second vote reconciles in its own transaction.
    const bobs = await castDecision(t.db, {
      reviewId,
      stage: 'title-abstract',
      userId: users.bob!,
      roles,
      decision: { recordId: rec, vote: 'exclude', note: 'SECRET' },
    });
    expect(bobs.reconciled).toMatchObject({
      changed: true,
      outcome: { status: 'conflict', kind: 'disagreement' },
    });
    // A later reconciler of the same votes (the job, on a replay) writes nothing.
    expect((await reconcileRecord(t.db, { reviewId, recordId: rec, stage: 'title-abstract' })).changed).toBe(
      false,
    );

    const before = await listConflicts(t.db, { reviewId, viewerId: users.cat!, roles: ['adjudicator'] });
    expect(before).toHaveLength(1);
    expect(before[0]!.votes).toEqual([]);
    expect(JSON.stringify(before)).not.toContain('SECRET');
    const leadView = await listConflicts(t.db, { reviewId, viewerId: users.lee!, roles: ['lead'] });
    expect(leadView[0]!.votes.map((v) => v.vote).sort()).toEqual(['exclude', 'include']);

    await expect(
      resolveConflict(t.db, { reviewId, conflictId: before[0]!.id, userId: users.ann!, vote: 'include' }),
    ).rejects.toThrow(/third person/);
    await resolveConflict(t.db, { reviewId, conflictId: before[0]!.id, userId: users.cat!, vote: 'include' });
    const after = await listConflicts(t.db, {
      reviewId,
      viewerId: users.cat!,
      roles: ['adjudicator'],
      status: 'open',
    });
    expect(after).toHaveLength(1);
    const r2 = await reconcileRecord(t.db, { reviewId, recordId: rec, stage: 'title-abstract' });
    expect(r2).toMatchObject({
      changed: true,
      outcome: { status: 'advanced', to: 'full-text', by: 'adjudication' },
      advancedTo: 'full-text',
    });
    const resolved = await listConflicts(t.db, {
      reviewId,
      viewerId: users.cat!,
      roles: ['adjudicator'],
      status: 'resolved',
    });
    expect(resolved[0]!.votes).toHaveLength(2);

    const ft = await routeStage(t.db, { reviewId, stage: 'full-text' });
    expect(ft.assigned).toBe(2);
    const ftQueue = await nextAssignments(t.db, {
      reviewId,
      stage: 'full-text',
      userId: users.ann!,
      limit: 5,
    });
    expect(ftQueue[0]).toMatchObject({ recordId: rec, reportId: expect.any(String) });

    // Undo puts the record back in the queue; a changed vote after settling re-opens it.
    await retractDecision(t.db, { reviewId, stage: 'title-abstract', userId: users.bob!, recordId: rec });
    const r3 = await reconcileRecord(t.db, { reviewId, recordId: rec, stage: 'title-abstract' });
    expect(r3.outcome.status).toBe('awaiting-votes');
    const { rows: ev } = await t.db.query<{ type: string }>(
      `SELECT type FROM events WHERE entity_id = $1 ORDER BY id`,
      [rec],
    );
    expect(ev.map((e) => e.type)).toContain('record.reopened');
    // Its full-text entry went with its inclusion: nobody is served it there, and no report of it
    // is counted as sought.
    expect(
      await nextAssignments(t.db, { reviewId, stage: 'full-text', userId: users.ann!, limit: 5 }),
    ).toEqual([]);
    const { rows: leftovers } = await t.db.query(
      `SELECT 'stage' FROM stage_records WHERE record_id = $1 AND stage = 'full-text'
       UNION ALL SELECT 'report' FROM reports WHERE record_id = $1
       UNION ALL SELECT 'open' FROM assignments WHERE record_id = $1 AND stage = 'full-text' AND state = 'open'`,
      [rec],
    );
    expect(leftovers).toEqual([]);
    const { rows: log } = await t.db.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type, data FROM events WHERE entity_id = $1 ORDER BY id`,
      [rec],
    );
    // The record's log in order: each outcome's writes land in the order they happen (one statement
    // writes an outcome with its conflict, so this checks that statement keeps the log's order).
    expect(log.map((e) => e.type)).toEqual([
      'decision.cast',
      'decision.cast',
      'record.reconciled',
      'conflict.opened',
      'conflict.resolution-cast',
      'record.reconciled',
      'conflict.resolved',
      'decision.retracted',
      'record.reopened',
      // No longer included, and nothing done at full text yet: taken back out of it.
      'assignment.revoked',
      'assignment.revoked',
      'record.withdrawn',
    ]);
    const conflictId = before[0]!.id;
    expect(log[2]!.data).toMatchObject({
      stage: 'title-abstract',
      basisSeq: 2,
      outcome: { status: 'conflict', kind: 'disagreement' },
      previous: { status: 'awaiting-votes', have: 1, need: 2 },
    });
    expect(log[3]!.data).toEqual({ stage: 'title-abstract', conflictId, kind: 'disagreement' });
    expect(log[6]!.data).toEqual({
      stage: 'title-abstract',
      conflictId,
      outcome: { status: 'advanced', to: 'full-text', by: 'adjudication' },
    });
  });

  it('closes a conflict as superseded when a vote behind it is undone, and logs that', async () => {
    const { review, users, recordIds } = await seedReview(t.db, {
      slug: `supersede-${engine}`,
      records: 2,
      users: { ann: ['reviewer'], bob: ['reviewer'] },
    });
    const reviewId = review.id;
    await enterTitleAbstract(t.db, reviewId);
    await routeStage(t.db, { reviewId, stage: 'title-abstract' });
    const rec = recordIds[0]!;
    const vote = (userId: string, v: 'include' | 'exclude') =>
      castDecision(t.db, {
        reviewId,
        stage: 'title-abstract',
        userId,
        roles: ['reviewer'],
        decision: { recordId: rec, vote: v },
      });
    await vote(users.ann!, 'include');
    expect((await vote(users.bob!, 'exclude')).reconciled.outcome.status).toBe('conflict');
    await retractDecision(t.db, { reviewId, stage: 'title-abstract', userId: users.bob!, recordId: rec });
    const r = await reconcileRecord(t.db, { reviewId, recordId: rec, stage: 'title-abstract' });
    expect(r).toMatchObject({ changed: true, outcome: { status: 'awaiting-votes' } });
    const { rows: conflicts } = await t.db.query<{ id: string; status: string; closed: boolean }>(
      `SELECT id, status, closed_at IS NOT NULL AS closed FROM conflicts WHERE record_id = $1`,
      [rec],
    );
    expect(conflicts).toEqual([{ id: expect.any(String), status: 'superseded', closed: true }]);
    const { rows: log } = await t.db.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type, data FROM events WHERE entity_id = $1 AND type LIKE 'conflict.%' ORDER BY id`,
      [rec],
    );
    expect(log.map((e) => e.type)).toEqual(['conflict.opened', 'conflict.superseded']);
    expect(log[1]!.data).toEqual({
      stage: 'title-abstract',
      conflictId: conflicts[0]!.id,
      outcome: { status: 'awaiting-votes', have: 1, need: 2 },
    });
  });

  it('rebalances open work when a reviewer joins and re-routes it when one leaves', async () => {
    const { review, users } = await seedReview(t.db, {
      slug: `churn-${engine}`,
      records: 12,
      users: { ann: ['reviewer'], bob: ['reviewer'] },
    });
    await enterTitleAbstract(t.db, review.id);
    expect((await routeStage(t.db, { reviewId: review.id, stage: 'title-abstract' })).assigned).toBe(24);
    const { createUser, addMember } = await import('@winnow/core');
    const cy = await createUser(t.db, {
      email: `cy.${engine}@test.winnow`,
      name: 'Cy',
      password: 'correct horse battery',
    });
    await addMember(t.db, { reviewId: review.id, userId: cy.id, role: 'reviewer' });
    const joined = await routeStage(t.db, { reviewId: review.id, stage: 'title-abstract' });
    expect(joined.moved).toBe(8);
    const loads = async () =>
      (
        await t.db.query<{ reviewerId: string; n: number }>(
          `SELECT reviewer_id AS "reviewerId", count(*)::int AS n FROM assignments WHERE review_id = $1 AND state = 'open' GROUP BY reviewer_id ORDER BY 1`,
          [review.id],
        )
      ).rows;
    expect((await loads()).map((l) => l.n)).toEqual([8, 8, 8]);
    await t.db.query(`DELETE FROM members WHERE review_id = $1 AND user_id = $2`, [review.id, users.bob]);
    const left = await routeStage(t.db, { reviewId: review.id, stage: 'title-abstract' });
    expect(left.revoked).toBe(8);
    // Two reviewers remain for two votes: every record is held by ann and cy, once each.
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM assignments WHERE review_id = $1 AND state = 'open' GROUP BY record_id`,
      [review.id],
    );
    expect(rows.every((r) => r.n === 2)).toBe(true);
    expect(rows).toHaveLength(12);
    const log = await decisionLog(t.db, review.id);
    expect(log.filter((l) => l.kind === 'reassignment')).toHaveLength(16);
    expect(log.find((l) => l.kind === 'reassignment' && l.note === 'load balancing')?.vote).toMatch(/^cy\./);
  });

  it('keeps a title/abstract inclusion once full text has begun, and takes a record back out of full text until then', async () => {
    const { review, users, recordIds } = await seedReview(t.db, {
      slug: `withdraw-${engine}`,
      records: 2,
      users: { ann: ['reviewer'], bob: ['reviewer'] },
    });
    const reviewId = review.id;
    const [a, b] = recordIds as [string, string];
    await enterTitleAbstract(t.db, reviewId);
    await routeStage(t.db, { reviewId, stage: 'title-abstract' });
    const vote = (
      userId: string,
      recordId: string,
      v: 'include' | 'exclude',
      stage = 'title-abstract' as const,
    ) =>
      castDecision(t.db, {
        reviewId,
        stage,
        userId,
        roles: ['reviewer'],
        decision: { recordId, vote: v, ...(v === 'exclude' ? { reasons: [] } : {}) },
      });
    for (const r of [a, b]) for (const u of [users.ann!, users.bob!]) await vote(u, r, 'include');
    expect((await routeStage(t.db, { reviewId, stage: 'full-text' })).assigned).toBe(4);

    // A: Ann has voted on its full text. Bob can no longer take his title/abstract include back,
    // by undo or by a changed vote; nothing of either is stored.
    await castDecision(t.db, {
      reviewId,
      stage: 'full-text',
      userId: users.ann!,
      roles: ['reviewer'],
      decision: { recordId: a, vote: 'include' },
    });
    const bobsVotes = async () =>
      (
        await t.db.query(`SELECT 1 FROM decisions WHERE reviewer_id = $1 AND stage = 'title-abstract'`, [
          users.bob,
        ])
      ).rows.length;
    const before = await bobsVotes();
    await expect(
      retractDecision(t.db, { reviewId, stage: 'title-abstract', userId: users.bob!, recordId: a }),
    ).rejects.toThrow(FULL_TEXT_BEGUN_MESSAGE);
    await expect(vote(users.bob!, a, 'exclude')).rejects.toThrow(FULL_TEXT_BEGUN_MESSAGE);
    expect(await bobsVotes()).toBe(before);
    const status = async (r: string, stage: string) =>
      (
        await t.db.query<{ status: string }>(
          `SELECT status FROM stage_records WHERE record_id = $1 AND stage = $2`,
          [r, stage],
        )
      ).rows[0]?.status ?? null;
    expect(await status(a, 'title-abstract')).toBe('advanced');

    // B: nothing done at full text. Bob's exclude (a changed vote) takes it out of full text at once.
    await vote(users.bob!, b, 'exclude');
    expect(await status(b, 'title-abstract')).toBe('conflict');
    expect(await status(b, 'full-text')).toBeNull();
    expect((await t.db.query(`SELECT 1 FROM reports WHERE record_id = $1`, [b])).rows).toHaveLength(0);
    // Included again: back in full text, with its report, routed to the same reviewers.
    await vote(users.bob!, b, 'include');
    expect(await status(b, 'full-text')).toBe('awaiting-votes');
    expect((await t.db.query(`SELECT 1 FROM reports WHERE record_id = $1`, [b])).rows).toHaveLength(1);
    expect((await routeStage(t.db, { reviewId, stage: 'full-text' })).assigned).toBe(2);
    const queue = await nextAssignments(t.db, { reviewId, stage: 'full-text', userId: users.bob!, limit: 5 });
    expect(queue.map((q) => q.recordId).sort()).toEqual([a, b].sort());
  });

  it('gives a lone reviewer every record while a second vote waits for a second reviewer, past the first chunk', async () => {
    // Routing reads 500 records at a time; each stays short of its second reviewer, and the next
    // chunk must still be read (the first 500 alone were routed before).
    const { review } = await seedReview(t.db, {
      slug: `lone-${engine}`,
      records: 1_230,
      users: { ann: ['reviewer'] },
    });
    await enterTitleAbstract(t.db, review.id);
    const lone = await routeStage(t.db, { reviewId: review.id, stage: 'title-abstract' });
    expect(lone).toMatchObject({ assigned: 1_230, shortfall: 1_230 });
    const perRecord = async () =>
      (
        await t.db.query<{ n: number; records: number }>(
          `SELECT n, count(*)::int AS records FROM (SELECT count(*)::int AS n FROM assignments
              WHERE review_id = $1 AND state = 'open' GROUP BY record_id) c GROUP BY n ORDER BY n`,
          [review.id],
        )
      ).rows;
    expect(await perRecord()).toEqual([{ n: 1, records: 1_230 }]);
    // A second reviewer joins: every record gets its second reviewer.
    const { createUser, addMember } = await import('@winnow/core');
    const bo = await createUser(t.db, {
      email: `bo.${engine}@test.winnow`,
      name: 'Bo',
      password: 'correct horse battery',
    });
    await addMember(t.db, { reviewId: review.id, userId: bo.id, role: 'reviewer' });
    expect(await routeStage(t.db, { reviewId: review.id, stage: 'title-abstract' })).toMatchObject({
      assigned: 1_230,
      shortfall: 0,
    });
    expect(await perRecord()).toEqual([{ n: 2, records: 1_230 }]);
  });

  it('rejects votes on records not assigned to the voter and reasons outside the shared list', async () => {
    const { review, users, recordIds } = await seedReview(t.db, {
      slug: `rules-${engine}`,
      records: 3,
      users: { ann: ['reviewer'], bob: ['reviewer'], eve: ['reviewer'] },
    });
    await saveStageConfig(t.db, {
      reviewId: review.id,
      stage: 'title-abstract',
      config: { exclusionReasons: [{ code: 'wrong-design', label: 'Wrong design' }], votesNeeded: 2 },
      actorId: users.ann!,
    });
    await enterTitleAbstract(t.db, review.id);
    await routeStage(t.db, { reviewId: review.id, stage: 'title-abstract' });
    const { rows } = await t.db.query<{ reviewerId: string }>(
      `SELECT reviewer_id AS "reviewerId" FROM assignments WHERE record_id = $1`,
      [recordIds[0]],
    );
    const outsider = Object.values(users).find((u) => !rows.some((r) => r.reviewerId === u))!;
    const assigned = rows[0]!.reviewerId;
    await expect(
      castDecision(t.db, {
        reviewId: review.id,
        stage: 'title-abstract',
        userId: outsider,
        roles: ['reviewer'],
        decision: { recordId: recordIds[0]!, vote: 'include' },
      }),
    ).rejects.toThrow(/This record is not in your title\/abstract queue/);
    await expect(
      castDecision(t.db, {
        reviewId: review.id,
        stage: 'title-abstract',
        userId: assigned,
        roles: ['reviewer'],
        decision: { recordId: recordIds[0]!, vote: 'exclude', reasons: ['made-up'] },
      }),
    ).rejects.toThrow(/Unknown exclusion reason/);
    const a = await agreementFor(t.db, {
      reviewId: review.id,
      stage: 'title-abstract',
      viewerId: outsider,
      roles: ['lead'],
    });
    expect(a.overall.n).toBe(0);
  });
});
