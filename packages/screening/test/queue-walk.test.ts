import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@winnow/core';
import { createTestDatabase, ENGINES, type TestDatabase } from '@winnow/core/testing';
import { enterTitleAbstract, nextForReviewer, routeStage } from '../src/index.ts';
import { seedReview } from './screening-fixtures.ts';

interface PlanNode {
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Index entries each named index's scans read in an executed plan (kept or filtered out), summed. */
function rowsByIndex(node: PlanNode, out = new Map<string, number>()): Map<string, number> {
  const name = node['Index Name'];
  const loops = node['Actual Loops'] ?? 1;
  // Actual Rows is per loop; Rows Removed by Filter is the total over the loops.
  const read = (node['Actual Rows'] ?? 0) * loops + (node['Rows Removed by Filter'] ?? 0);
  if (name) out.set(name, (out.get(name) ?? 0) + read);
  for (const child of node.Plans ?? []) rowsByIndex(child, out);
  return out;
}

// A reviewer's `GET …/next` reads the page of their queue, not the queue: on a review whose tables
// have no statistics (PGlite never gathers them; a new review on PostgreSQL), the planner had joined
// and sorted every open assignment of the caller on each request.
describe.each(ENGINES)('the next records of a long queue on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('walks the queue in order and stops after the page, skipping merged records', async () => {
    const { review, users } = await seedReview(t.db, {
      slug: `walk-${engine}`,
      records: 60,
      users: { ann: ['reviewer'], bob: ['reviewer'] },
    });
    await enterTitleAbstract(t.db, review.id);
    await routeStage(t.db, { reviewId: review.id, stage: 'title-abstract' });
    const input = { reviewId: review.id, stage: 'title-abstract' as const, userId: users.ann!, limit: 5 };
    const before = await nextForReviewer(t.db, input);
    expect(before.queued).toHaveLength(5);
    expect(before.mine).toEqual({ done: 0, total: 60, waiting: 0 });
    // The first three of Ann's queue are merged into the last record of the review.
    const { rows: tail } = await t.db.query<{ id: string }>(
      `SELECT id FROM records WHERE review_id = $1 AND id <> ALL($2::uuid[]) ORDER BY id DESC LIMIT 1`,
      [review.id, before.queued.slice(0, 3).map((q) => q.recordId)],
    );
    await t.db.query(`UPDATE records SET duplicate_of = $1 WHERE id = ANY($2::uuid[])`, [
      tail[0]!.id,
      before.queued.slice(0, 3).map((q) => q.recordId),
    ]);

    // The same statement, run once more under EXPLAIN ANALYZE to see what it read.
    const plans: PlanNode[] = [];
    const explaining: Sql = {
      query: async <T>(text: string, params?: readonly unknown[]) => {
        const { rows } = await t.db.query<{ 'QUERY PLAN': unknown }>(
          `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
          params,
        );
        const raw = rows[0]!['QUERY PLAN'];
        const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
        plans.push(parsed[0]!.Plan);
        return t.db.query<T>(text, params);
      },
    };
    const after = await nextForReviewer(explaining, input);
    // What the page must hold, read straight from Ann's open assignments in queue order.
    const merged = before.queued.slice(0, 3).map((q) => q.recordId);
    const { rows: open } = await t.db.query<{ record_id: string }>(
      `SELECT record_id FROM assignments WHERE review_id = $1 AND stage = 'title-abstract'
          AND reviewer_id = $2 AND state = 'open' ORDER BY position, record_id`,
      [review.id, users.ann],
    );
    const expected = open.map((a) => a.record_id).filter((id) => !merged.includes(id));
    expect(after.queued.map((q) => q.recordId)).toEqual(expected.slice(0, 5));
    expect(plans).toHaveLength(1);
    // Five served and three merged ones passed over: eight entries of the open-queue index, of 60.
    expect(rowsByIndex(plans[0]!).get('assignments_open_queue')).toBe(8);
  });
});
