import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReview } from '@winnow/core';
import { createTestDatabase, ENGINES, type TestDatabase } from '@winnow/core/testing';
import { deleteImportRecords } from '../src/import/import.repository.ts';

// dedup_pairs has no row-by-row foreign keys (migration 0820): a record deleted (a failed import's
// clean-up) takes the candidate pairs naming it, on either side, and leaves every other pair.
describe.each(ENGINES)('candidate pairs of deleted records on %s', (engine) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function importOf(
    reviewId: string,
    file: string,
    titles: string[],
  ): Promise<{ id: string; records: string[] }> {
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO imports (review_id, file_name, content_hash, status, record_count) VALUES ($1, $2, $2, 'complete', $3) RETURNING id`,
      [reviewId, file, titles.length],
    );
    const records: string[] = [];
    for (const [i, title] of titles.entries()) {
      const r = await t.db.query<{ id: string }>(
        `INSERT INTO records (review_id, import_id, source_index, title, data, raw) VALUES ($1, $2, $3, $4, $5, '') RETURNING id`,
        [reviewId, rows[0]!.id, i + 1, title, JSON.stringify({ title })],
      );
      records.push(r.rows[0]!.id);
    }
    return { id: rows[0]!.id, records };
  }

  const pairsOf = async (reviewId: string) =>
    (
      await t.db.query<{ a: string; b: string }>(
        `SELECT record_a AS a, record_b AS b FROM dedup_pairs WHERE review_id = $1 ORDER BY 1, 2`,
        [reviewId],
      )
    ).rows.map((p) => [p.a, p.b].join(' '));

  it('removes the pairs naming a deleted record, on either side, in that review only', async () => {
    const review = await createReview(t.db, { slug: `pairs-${engine}`, title: 'Pairs' });
    const other = await createReview(t.db, { slug: `pairs-other-${engine}`, title: 'Other' });
    const kept = await importOf(review.id, 'medline.nbib', ['A', 'B', 'C']);
    const failing = await importOf(review.id, 'embase.ris', ['A again', 'B again']);
    const elsewhere = await importOf(other.id, 'other.ris', ['X', 'Y']);
    const [a, b, c] = kept.records as [string, string, string];
    const [fa, fb] = failing.records as [string, string];
    const [x, y] = elsewhere.records as [string, string];
    const pairs: [string, string, string][] = [
      [review.id, a, b],
      [review.id, a, fa],
      [review.id, fb, c],
      [review.id, fa, fb],
      [other.id, x, y],
    ];
    for (const [r, p, q] of pairs)
      await t.db.query(
        `INSERT INTO dedup_pairs (review_id, record_a, record_b, status, score, reason) VALUES ($1, $2, $3, 'pending', 0.8, 'test')`,
        [r, p, q],
      );

    await t.db.transaction((tx) => deleteImportRecords(tx, failing.id));

    expect(await pairsOf(review.id)).toEqual([[a, b].join(' ')]);
    expect(await pairsOf(other.id)).toEqual([[x, y].join(' ')]);
    const left = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM records WHERE import_id = $1`,
      [failing.id],
    );
    expect(left.rows[0]!.n).toBe(0);
  });
});
