import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReview, createUser, listEvents } from '@winnow/core';
import { createTestDatabase, ENGINES, type TestDatabase } from '@winnow/core/testing';
import {
  listDuplicateRows,
  listGroups,
  listReviewQueue,
  recordManualDecision,
} from '../src/dedup/dedup.repository.ts';
import { runDedup } from '../src/dedup/dedup.service.ts';
import { ARTICLE, rec } from '../src/dedup/record.fixture.ts';
import type { NormalisedRecord } from '../src/record.types.ts';

const FILES: [string, NormalisedRecord[]][] = [
  [
    'medline.nbib',
    [
      rec({ ...ARTICLE, journal: 'J Antimicrob Chemother', pages: { asWritten: '522-5' } }),
      rec({
        ...ARTICLE,
        doi: undefined,
        title: 'Copper and MRSA in hospital wards',
        volume: '70',
        authors: ['Casey AL'],
      }),
    ],
  ],
  [
    'embase.ris',
    [
      rec({ ...ARTICLE, authors: ['Wheeldon, L. J.', 'Worthington, T.', 'Lambert, P. A.'] }),
      rec({ ...ARTICLE, doi: undefined, volume: '63', pages: { asWritten: '100-104' } }),
    ],
  ],
];

describe.each(ENGINES)('dedup repository on %s', (engine) => {
  let t: TestDatabase;
  let reviewId: string;
  let userId: string;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    reviewId = (await createReview(t.db, { slug: `dedup-${engine}`, title: 'Dedup' })).id;
    userId = (
      await createUser(t.db, {
        email: `lead-${engine}@test.winnow`,
        name: 'Lead',
        password: 'correct horse battery',
      })
    ).id;
    for (const [file, records] of FILES) {
      const { rows } = await t.db.query<{ id: string }>(
        `INSERT INTO imports (review_id, file_name, content_hash, status, record_count) VALUES ($1, $2, $2, 'complete', $3) RETURNING id`,
        [reviewId, file, records.length],
      );
      for (const [i, r] of records.entries()) {
        const res = await t.db.query<{ id: string }>(
          `INSERT INTO records (review_id, import_id, source_index, title, data, raw) VALUES ($1, $2, $3, $4, $5, '') RETURNING id`,
          [reviewId, rows[0]!.id, i + 1, r.title, JSON.stringify(r)],
        );
        ids.push(res.rows[0]!.id);
      }
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('stores groups, duplicate_of, the review queue, events and the export rows', async () => {
    expect(await runDedup(t.db, reviewId, 'run1')).toEqual({
      records: 4,
      groups: 1,
      duplicatesRemoved: 1,
      autoMerged: 1,
      needsReview: 1,
      pendingPairs: 2,
    });
    const [group] = await listGroups(t.db, reviewId);
    expect(group!.members.map((m) => m.recordId).sort()).toEqual([ids[0], ids[2]].sort());
    const dup = await t.db.query<{ id: string; duplicate_of: string }>(
      `SELECT id, duplicate_of FROM records WHERE duplicate_of IS NOT NULL`,
    );
    expect(dup.rows).toEqual([
      { id: group!.members.find((m) => !m.kept)!.recordId, duplicate_of: group!.keptId },
    ]);
    const queue = await listReviewQueue(t.db, reviewId);
    expect(queue.total).toBe(1);
    expect(queue.pairs[0]!.reason).toContain('volumes differ');
    const rows = await listDuplicateRows(t.db, reviewId);
    expect(rows).toHaveLength(4);
    expect(
      rows
        .filter((r) => r.group_id === group!.id)
        .map((r) => r.source_file)
        .sort(),
    ).toEqual(['embase.ris', 'medline.nbib']);
    expect(rows.find((r) => r.record_id === ids[1])).toMatchObject({
      kept: true,
      tier: 'distinct',
      source_index: 2,
    });
    const merged = await listEvents(t.db, { reviewId, types: ['dedup.merged'] });
    expect(merged).toHaveLength(1);
  });

  it('a re-run with nothing new writes no merge event and keeps the group id', async () => {
    const before = (await listGroups(t.db, reviewId))[0]!.id;
    await runDedup(t.db, reviewId, 'run2');
    expect((await listGroups(t.db, reviewId))[0]!.id).toBe(before);
    expect(await listEvents(t.db, { reviewId, types: ['dedup.merged'] })).toHaveLength(1);
  });

  it('manual decisions are events that the next run applies', async () => {
    const pair = (await listReviewQueue(t.db, reviewId)).pairs[0]!;
    await t.db.transaction((tx) =>
      recordManualDecision(tx, reviewId, userId, { kind: 'same', a: pair.a.id, b: pair.b.id }),
    );
    expect((await listReviewQueue(t.db, reviewId)).total).toBe(0);
    expect(await runDedup(t.db, reviewId, 'run3')).toMatchObject({
      groups: 1,
      duplicatesRemoved: 2,
      needsReview: 0,
    });
    const group = (await listGroups(t.db, reviewId))[0]!;
    await t.db.transaction((tx) =>
      recordManualDecision(tx, reviewId, userId, {
        kind: 'split',
        groupId: group.id,
        parts: group.members.map((m) => [m.recordId]),
      }),
    );
    expect(await runDedup(t.db, reviewId, 'run4')).toMatchObject({ groups: 0, duplicatesRemoved: 0 });
    const dup = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM records WHERE duplicate_of IS NOT NULL`,
    );
    expect(dup.rows[0]!.n).toBe(0);
    expect((await listEvents(t.db, { reviewId, types: ['dedup.split'] })).map((e) => e.data.manual)).toEqual([
      true,
      false,
    ]);
  });
});
