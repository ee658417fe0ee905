import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@winnow/core';
import { createTestDatabase, type TestDatabase } from '@winnow/core/testing';
import { castDecision, retractDecision } from '../src/index.ts';
import { seedRoutedReview, someoneWaits } from './screening-fixtures.ts';

/** Waits until another session of this database waits for a row lock. */
async function someoneWaitsForALock(db: Db): Promise<void> {
  for (let tries = 0; tries < 400; tries++) {
    if (await someoneWaits(db)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('No session came to wait for the stage row within 10 s');
}

/**
 * A reconcile job locks a record's stage row and then, updating it, the record's library row (the
 * library trigger). A vote or an undo on the same record arriving meanwhile must wait for the stage
 * row before it locks anything else: the order it used to take (library row through its triggers,
 * then the stage row) deadlocked with the job under load (an undo's reconcile job racing the next
 * key press). Here the job's half is held open by hand at the moment that deadlocked, so the
 * interleaving is certain, not left to timing. PostgreSQL only: PGlite has one connection, so two
 * transactions never hold locks at once there.
 */
describe('a vote or an undo waits for the record’s stage row before locking anything else (PostgreSQL)', () => {
  let t: TestDatabase;
  let reviewId: string;
  let ann: string;
  let recordIds: string[];
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    ({ reviewId, ann, recordIds } = await seedRoutedReview(t.db, 'lock-order', 4));
  });
  afterAll(async () => {
    await t.drop();
  });

  /** Holds the record's stage row as a reconcile job does, lets `write` start, then updates the row. */
  async function asAReconcileJobHoldsTheRow(recordId: string, write: () => Promise<unknown>) {
    let pending: Promise<unknown> | undefined;
    await t.db.transaction(async (tx) => {
      await tx.query(
        `SELECT 1 FROM stage_records WHERE record_id = $1 AND stage = 'title-abstract' FOR UPDATE`,
        [recordId],
      );
      pending = write();
      pending.catch(() => undefined);
      await someoneWaitsForALock(t.db);
      await tx.query(
        `UPDATE stage_records SET updated_at = now() + interval '1 second' WHERE record_id = $1 AND stage = 'title-abstract'`,
        [recordId],
      );
    });
    return pending;
  }

  it('a vote', async () => {
    const recordId = recordIds[0]!;
    const cast = await asAReconcileJobHoldsTheRow(recordId, () =>
      castDecision(t.db, {
        reviewId,
        stage: 'title-abstract',
        userId: ann,
        roles: ['reviewer'],
        decision: { recordId, vote: 'include' },
      }),
    );
    expect(cast).toMatchObject({ recordId });
    const { rows } = await t.db.query<{ ta_voters: string[] }>(
      `SELECT ta_voters FROM library_records WHERE record_id = $1`,
      [recordId],
    );
    expect(rows[0]!.ta_voters).toEqual([ann]);
  });

  it('an undo', async () => {
    const recordId = recordIds[1]!;
    await castDecision(t.db, {
      reviewId,
      stage: 'title-abstract',
      userId: ann,
      roles: ['reviewer'],
      decision: { recordId, vote: 'include' },
    });
    const undone = await asAReconcileJobHoldsTheRow(recordId, () =>
      retractDecision(t.db, { reviewId, stage: 'title-abstract', userId: ann, recordId }),
    );
    expect(undone).toMatchObject({ recordId });
    const { rows } = await t.db.query<{ ta_voters: string[]; ta_open: string[] }>(
      `SELECT ta_voters, ta_open FROM library_records WHERE record_id = $1`,
      [recordId],
    );
    expect(rows[0]!.ta_voters).toEqual([]);
    expect(rows[0]!.ta_open).toContain(ann);
  });
});
