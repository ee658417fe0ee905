import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReview } from '@winnow/core';
import { createTestDatabase, ENGINES, type TestDatabase } from '@winnow/core/testing';
import { DEDUP_MEMBERS, DEDUP_PAIRS, writeReviewRows } from '../src/dedup/review-rows.repository.ts';

type Member = [recordId: string, groupId: string, kept: boolean, tier: string, score: number, reason: string];
type Pair = [a: string, b: string, status: string, score: number, reason: string];

/** Each row's columns, in the table's order. */
const byPosition = (width: number) =>
  Array.from({ length: width }, (_, c) => (row: readonly unknown[]) => row[c]);

describe.each(ENGINES)('a dedup run writes only what changed, on %s', (engine) => {
  let t: TestDatabase;
  const reviews: string[] = [];
  const ids: string[][] = [];

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    for (const slug of ['rows-a', 'rows-b']) {
      const review = (await createReview(t.db, { slug: `${slug}-${engine}`, title: slug })).id;
      const { rows: imp } = await t.db.query<{ id: string }>(
        `INSERT INTO imports (review_id, file_name, content_hash, status, record_count)
         VALUES ($1, 'x.ris', $2, 'complete', 6) RETURNING id`,
        [review, slug],
      );
      const { rows } = await t.db.query<{ id: string }>(
        `INSERT INTO records (review_id, import_id, source_index, title, data, raw)
         SELECT $1, $2, i, 'Record ' || i, jsonb_build_object('title', 'Record ' || i), '' FROM generate_series(1, 6) AS i
         RETURNING id`,
        [review, imp[0]!.id],
      );
      reviews.push(review);
      ids.push(rows.map((r) => r.id).sort());
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  const stored = async (table: 'dedup_members' | 'dedup_pairs', review: string) => {
    const key = table === 'dedup_members' ? 'record_id' : 'record_a, record_b';
    const values =
      table === 'dedup_members' ? 'group_id, kept, tier, score, reason' : 'status, score, reason';
    const { rows } = await t.db.query<{ row: unknown[]; xmin: string }>(
      `SELECT json_build_array(${key}, ${values}) AS row, xmin::text AS xmin FROM ${table}
        WHERE review_id = $1 ORDER BY ${key}`,
      [review],
    );
    return rows;
  };
  const kept = async (review: string) => {
    const { rows } = await t.db.query<{ record_id: string; kept: boolean }>(
      `SELECT record_id, kept FROM library_records WHERE review_id = $1 ORDER BY record_id`,
      [review],
    );
    return Object.fromEntries(rows.map((r) => [r.record_id, r.kept]));
  };
  const write = (review: string, members: Member[], pairs: Pair[]) =>
    t.db.transaction(async (tx) => {
      await writeReviewRows(tx, review, DEDUP_MEMBERS, members, byPosition(6));
      await writeReviewRows(tx, review, DEDUP_PAIRS, pairs, byPosition(5));
    });

  it('deletes the rows a run no longer has, updates changed ones, inserts new ones and leaves the rest as they were', async () => {
    const [r0, r1, r2, r3, r4, r5] = ids[0]!;
    const other = ids[1]!;
    // Another review's rows, written first: nothing below may touch them.
    await write(
      reviews[1]!,
      [[other[0]!, 'g-x', true, 'certain', 1, 'kept']],
      [[other[0]!, other[1]!, 'pending', 0.8, 'b']],
    );
    const otherBefore = [
      await stored('dedup_members', reviews[1]!),
      await stored('dedup_pairs', reviews[1]!),
    ];

    const first: [Member[], Pair[]] = [
      [
        [r0!, 'g-1', true, 'certain', 1, 'kept'],
        [r1!, 'g-1', false, 'certain', 1, 'same DOI'],
        [r2!, 'g-2', true, 'certain', 1, 'kept'],
        [r3!, 'g-2', false, 'certain', 0.95, 'title'],
      ],
      [
        [r0!, r1!, 'auto-merged', 1, 'same DOI'],
        [r2!, r3!, 'auto-merged', 0.95, 'title'],
        [r4!, r5!, 'pending', 0.5, 'volumes differ'],
      ],
    ];
    await write(reviews[0]!, ...first);
    const membersBefore = await stored('dedup_members', reviews[0]!);
    const pairsBefore = await stored('dedup_pairs', reviews[0]!);
    expect(membersBefore.map((r) => r.row)).toEqual(first[0].sort((x, y) => x[0].localeCompare(y[0])));
    expect(await kept(reviews[0]!)).toEqual({
      [r0!]: true,
      [r1!]: false,
      [r2!]: true,
      [r3!]: false,
      [r4!]: false,
      [r5!]: false,
    });

    const second: [Member[], Pair[]] = [
      [
        [r0!, 'g-1', true, 'certain', 1, 'kept'], // unchanged
        [r1!, 'g-1', false, 'certain', 1, 'same DOI; same pages'], // changed
        [r4!, 'g-3', true, 'certain', 1, 'kept'], // new
        [r5!, 'g-3', false, 'uncertain', 0.9, 'answered'], // new; r2 and r3 are gone
      ],
      [
        [r0!, r1!, 'auto-merged', 1, 'same DOI'], // unchanged
        [r2!, r3!, 'different', 0.95, 'title'], // changed
        [r0!, r4!, 'pending', 0.6, 'new'], // new; (r4, r5) is gone
      ],
    ];
    await write(reviews[0]!, ...second);
    const membersAfter = await stored('dedup_members', reviews[0]!);
    const pairsAfter = await stored('dedup_pairs', reviews[0]!);
    expect(membersAfter.map((r) => r.row)).toEqual(
      second[0].map((m) => [...m]).sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(pairsAfter.map((r) => r.row)).toEqual(
      second[1]
        .map((p) => [...p])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0])) || String(x[1]).localeCompare(String(y[1]))),
    );
    // The unchanged rows are the very row versions the first run wrote; the changed ones are new.
    const xmin = (rows: { row: unknown[]; xmin: string }[], key: string) =>
      rows.find((r) => r.row[0] === key)?.xmin;
    expect(xmin(membersAfter, r0!)).toBe(xmin(membersBefore, r0!));
    expect(xmin(membersAfter, r1!)).not.toBe(xmin(membersBefore, r1!));
    const pairXmin = (rows: { row: unknown[]; xmin: string }[], a: string, b: string) =>
      rows.find((r) => r.row[0] === a && r.row[1] === b)?.xmin;
    expect(pairXmin(pairsAfter, r0!, r1!)).toBe(pairXmin(pairsBefore, r0!, r1!));
    expect(pairXmin(pairsAfter, r2!, r3!)).not.toBe(pairXmin(pairsBefore, r2!, r3!));
    // The library's kept flags follow the members through their triggers.
    expect(await kept(reviews[0]!)).toEqual({
      [r0!]: true,
      [r1!]: false,
      [r2!]: false,
      [r3!]: false,
      [r4!]: true,
      [r5!]: false,
    });
    // A run with no rows left deletes them all.
    await write(reviews[0]!, [], []);
    expect(await stored('dedup_members', reviews[0]!)).toEqual([]);
    expect(await stored('dedup_pairs', reviews[0]!)).toEqual([]);
    expect(Object.values(await kept(reviews[0]!)).some(Boolean)).toBe(false);
    expect([await stored('dedup_members', reviews[1]!), await stored('dedup_pairs', reviews[1]!)]).toEqual(
      otherBefore,
    );
  });
});
