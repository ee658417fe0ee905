import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@winnow/core';
import { createTestDatabase, type TestDatabase } from '@winnow/core/testing';
import { castDecision, saveRankings, stoppingTest, type LiveRankings } from '../src/index.ts';
import { lockWaiters, seedRoutedReview, someoneWaits } from './screening-fixtures.ts';

/**
 * Resolves with the promise's value, or with 'waits' once more than `already` sessions wait for a
 * lock (those waiting before it started).
 */
async function settlesOrWaits<T>(db: Db, pending: Promise<T>, already = 0): Promise<T | 'waits'> {
  let done = false;
  const settled = pending.then((v) => {
    done = true;
    return v;
  });
  for (let tries = 0; tries < 400 && !done; tries++) {
    if ((await lockWaiters(db)) > already) return 'waits';
    await Promise.race([settled, new Promise((r) => setTimeout(r, 25))]);
  }
  return settled;
}

/**
 * A retrain stores its model, then reorders each reviewer's open queue. A reorder locks that
 * queue's rows, and a vote marks its assignment done: when every queue was reordered in the model's
 * one transaction, a reviewer's vote waited for all the others' rankings and queues (the slowest
 * votes of a review screened at a reviewer's pace). Here bob's queue is held locked by another
 * transaction, so the retrain's reorder of it waits, while ann votes: her queue, reordered before
 * his, must not be held. PostgreSQL only: PGlite has one connection, so two transactions never hold
 * locks at once there.
 */
describe('a retrain’s reorder of one queue does not hold up another reviewer’s vote (PostgreSQL)', () => {
  let t: TestDatabase;
  let reviewId: string;
  let ann: string;
  let bob: string;
  let recordIds: string[];
  /** Both queues' order after routing; the first model reverses it. */
  let routed: string[];
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    ({ reviewId, ann, bob, recordIds } = await seedRoutedReview(t.db, 'retrain-locks', 6));
    routed = await positions(bob);
    expect(await positions(ann)).toEqual(routed);
  });
  afterAll(async () => {
    await t.drop();
  });

  /**
   * Rankings for ann then bob, scoring the records by `score` of their place in the queues as
   * routing left them (a seeded shuffle of ids made at random, so any order of the records).
   */
  function rankings(score: (i: number) => number): LiveRankings {
    const scores = new Map(routed.map((id, i) => [id, score(i)]));
    return {
      classifier: 'svm',
      labelled: 2,
      relevant: 1,
      shared: scores,
      perReviewer: new Map([
        [ann, scores],
        [bob, scores],
      ]),
      stopping: stoppingTest([1, 0], recordIds.length),
    };
  }

  /** Holds `reviewer`'s open assignments locked (as a vote or another writer would) until released. */
  async function holdQueueOf(reviewer: string): Promise<{ release(): Promise<void> }> {
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const held = t.db.transaction(async (tx) => {
      await tx.query(
        `SELECT id FROM assignments WHERE review_id = $1 AND reviewer_id = $2 AND state = 'open' FOR UPDATE`,
        [reviewId, reviewer],
      );
      locked();
      await released;
    });
    await isLocked;
    return {
      async release() {
        release();
        await held;
      },
    };
  }

  async function positions(reviewer: string): Promise<string[]> {
    const { rows } = await t.db.query<{ record_id: string }>(
      `SELECT record_id FROM assignments WHERE review_id = $1 AND reviewer_id = $2 AND state = 'open' ORDER BY position`,
      [reviewId, reviewer],
    );
    return rows.map((r) => r.record_id);
  }

  it('ann votes while bob’s queue is being reordered, and both queues end in the model’s order', async () => {
    const hold = await holdQueueOf(bob);
    const saving = saveRankings(t.db, {
      reviewId,
      stage: 'title-abstract',
      basisSeq: 1,
      labelsKey: 'k1',
      after: null,
      records: recordIds.length,
      // The reverse of routing's order, so every position changes and bob's reorder must wait. (A
      // fixed order, such as the newest record first, was routing's own order one run in 720: the
      // reorder then changed nothing, waited for nothing, and the test failed.)
      rankings: rankings((i) => i),
      randomShare: 0,
      busyMs: 0,
    });
    saving.catch(() => undefined);
    // The save has stored its model, reordered ann's queue and now waits for bob's.
    let outcome: Awaited<ReturnType<typeof castDecision>> | 'waits' | 'no wait seen' = 'no wait seen';
    try {
      let waiting = false;
      for (let tries = 0; tries < 400 && !waiting; tries++) {
        waiting = await someoneWaits(t.db);
        if (!waiting) await new Promise((r) => setTimeout(r, 25));
      }
      if (waiting) {
        const cast = castDecision(t.db, {
          reviewId,
          stage: 'title-abstract',
          userId: ann,
          roles: ['reviewer'],
          decision: { recordId: recordIds[5]!, vote: 'include' },
        });
        cast.catch(() => undefined);
        outcome = await settlesOrWaits(t.db, cast, 1);
      }
    } finally {
      // Released whatever happened, so a failing run reports rather than hangs on the held lock.
      await hold.release();
    }
    const saved = await saving;
    expect(typeof outcome === 'string' ? outcome : outcome.recordId).toBe(recordIds[5]);
    expect(saved?.reordered).toBeGreaterThan(0);
    const reversed = [...routed].reverse();
    expect(await positions(ann)).toEqual(reversed.filter((id) => id !== recordIds[5]));
    expect(await positions(bob)).toEqual(reversed);
  });

  it('gives way to a newer model saved between its reorders: no queue goes back to the older order', async () => {
    const before = await positions(bob);
    expect(before).toEqual([...routed].reverse());
    const { rows: latest } = await t.db.query<{ id: number }>(
      `SELECT max(id)::int AS id FROM prioritisation_models WHERE review_id = $1`,
      [reviewId],
    );
    let newer = false;
    // A newer model lands right after this one is stored, before ann's queue is reordered.
    const db: Db = {
      ...t.db,
      async transaction(fn) {
        const result = await t.db.transaction(fn);
        if (!newer) {
          newer = true;
          await t.db.query(
            `INSERT INTO prioritisation_models (review_id, stage, basis_seq, labels_key, classifier, records, labelled, relevant)
             VALUES ($1, 'title-abstract', 3, 'k3', 'svm', 6, 4, 2)`,
            [reviewId],
          );
        }
        return result;
      },
    };
    const saved = await saveRankings(db, {
      reviewId,
      stage: 'title-abstract',
      basisSeq: 2,
      labelsKey: 'k2',
      after: latest[0]!.id,
      records: recordIds.length,
      rankings: rankings((i) => -i),
      randomShare: 0,
      busyMs: 0,
    });
    expect(saved).toMatchObject({ reordered: 0 });
    expect(await positions(bob)).toEqual(before);
  });
});
