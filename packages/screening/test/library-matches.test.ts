import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReview, type Sql } from '@winnow/core';
import { createTestDatabase, ENGINES, type TestDatabase } from '@winnow/core/testing';

// library_matches (migration 0830): the records of one review whose search vector matches a query,
// found through the GIN index only. A table scan would read every record's vector from TOAST, which
// the planner does not count, so it chose one for words in most records.
describe.each(ENGINES)('library_matches on %s', (engine) => {
  let t: TestDatabase;
  let reviewId: string;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const review = await createReview(t.db, { slug: `matches-${engine}`, title: 'Matches' });
    const other = await createReview(t.db, { slug: `matches-other-${engine}`, title: 'Other' });
    reviewId = review.id;
    const titles: [string, string][] = [
      [review.id, 'Lean methods in surgical care'],
      [review.id, 'Six sigma and lean in primary care'],
      [review.id, 'Nurse staffing in intensive care'],
      [review.id, 'Sigma six: a reversed phrase in care'],
      [other.id, 'Lean thinking in care homes'],
    ];
    for (const [rid, title] of titles) {
      const { rows } = await t.db.query<{ id: string }>(
        `INSERT INTO imports (review_id, file_name, content_hash, status, record_count) VALUES ($1, $2, $2, 'complete', 1) RETURNING id`,
        [rid, title],
      );
      const r = await t.db.query<{ id: string }>(
        `INSERT INTO records (review_id, import_id, source_index, title, data, raw) VALUES ($1, $2, 1, $3, $4, '') RETURNING id`,
        [rid, rows[0]!.id, title, JSON.stringify({ title, abstract: 'A study of quality in health care.' })],
      );
      ids.set(title, r.rows[0]!.id);
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  const matches = async (db: Sql, query: string) =>
    (
      await db.query<{ id: string }>(
        `SELECT id FROM library_matches($1, to_tsquery('english', $2)) AS m(id)`,
        [reviewId, query],
      )
    ).rows
      .map((r) => r.id)
      .sort();
  const idsOf = (...titles: string[]) => titles.map((x) => ids.get(x)!).sort();

  it("finds this review's records by word, phrase and negation, and none of another review", async () => {
    expect(await matches(t.db, 'lean')).toEqual(
      idsOf('Lean methods in surgical care', 'Six sigma and lean in primary care'),
    );
    expect(await matches(t.db, 'six <-> sigma')).toEqual(idsOf('Six sigma and lean in primary care'));
    expect(await matches(t.db, 'care & !lean')).toEqual(
      idsOf('Nurse staffing in intensive care', 'Sigma six: a reversed phrase in care'),
    );
    expect(await matches(t.db, 'pediatr:*')).toEqual([]);
  });

  it('reads the index, never the whole table, for a word in every record', async () => {
    // The transaction's own table statistics (pg_stat_xact_user_tables) count each scan as it runs.
    const scans = (db: Sql) =>
      db
        .query<{ seq: number; idx: number }>(
          `SELECT seq_scan::int AS seq, coalesce(idx_scan, 0)::int AS idx FROM pg_stat_xact_user_tables WHERE relname = 'library_search'`,
        )
        .then((r) => r.rows[0] ?? { seq: 0, idx: 0 });
    // Statistics that tell the planner how few rows the table holds.
    await t.db.query('ANALYZE library_search');
    await t.db.transaction(async (tx) => {
      const before = await scans(tx);
      expect(await matches(tx, 'care')).toHaveLength(4);
      const after = await scans(tx);
      expect(after.seq - before.seq).toBe(0);
      expect(after.idx - before.idx).toBeGreaterThan(0);
      // The same query written straight against the table: on these few rows the planner scans it,
      // which the counters see (so the check above can tell the two apart).
      await tx.query(
        `SELECT record_id FROM library_search WHERE review_id = $1 AND search_vector @@ to_tsquery('english', 'care')`,
        [reviewId],
      );
      expect((await scans(tx)).seq - after.seq).toBe(1);
    });
  });
});
