import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@winnow/core';
import { createPgDb, createTestDatabase, type TestDatabase } from '@winnow/core/testing';
import { castDecision } from '../src/index.ts';
import { seedRoutedReview } from './screening-fixtures.ts';

/**
 * The vote's check is a named statement that PostgreSQL should plan a few times per connection
 * and then reuse (its generic plan), as it does the vote's write. Written with the stage as a
 * parameter in a full-text-only clause, the generic plan looked dearer than a plan made for
 * 'title-abstract', and every vote planned the check again (0.31 ms of the server's time a vote).
 * One connection, so each vote's statements run where pg_prepared_statements can count the plans.
 */
describe('the vote’s check is planned once per connection, not at every vote (PostgreSQL)', () => {
  let t: TestDatabase;
  let one: Db;
  let reviewId: string;
  let ann: string;
  let recordIds: string[];
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    ({ reviewId, ann, recordIds } = await seedRoutedReview(t.db, 'check-plan', 12));
    one = createPgDb(t.url!, 1);
  });
  afterAll(async () => {
    await one?.close();
    await t.drop();
  });

  it('reuses a generic plan of the check after the first few votes', async () => {
    for (const recordId of recordIds.slice(0, 12)) {
      await castDecision(one, {
        reviewId,
        stage: 'title-abstract',
        userId: ann,
        roles: ['reviewer'],
        decision: { recordId, vote: 'include' },
      });
    }
    const { rows } = await one.query<{ generic: number; custom: number }>(
      `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements
        WHERE statement LIKE 'WITH locked AS%'`,
    );
    // A text is named from its second use on a database handle (this test's own): 11 named
    // executions. The first five are planned for their values (more if statistics gathered
    // meanwhile made PostgreSQL weigh the two kinds of plan again).
    expect(rows).toHaveLength(1);
    expect(rows[0]!.generic + rows[0]!.custom).toBe(11);
    expect(rows[0]!.generic).toBeGreaterThanOrEqual(5);
  });
});
