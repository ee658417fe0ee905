import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db, type Sql } from '@winnow/core';
import { createTestDatabase, testConfig, type TestDatabase } from '@winnow/core/testing';
import {
  castDecision,
  enterTitleAbstract,
  routeStage,
  saveStageConfig,
  searchRecords,
  type LibraryQuery,
  type LibraryViewer,
} from '../src/index.ts';
import { seedReview } from './screening-fixtures.ts';

// The records library prices PostgreSQL's parallel workers at nothing for its own transaction, so
// on a large review its scans run in two or three processes. A small review never reaches the
// sizes at which PostgreSQL starts workers; here a second pool of connections to the same database
// sets those sizes to zero, so every library statement that can run in parallel does. Whatever plan
// PostgreSQL picks, a page and its counts must be the same (and no statement may fail because
// something in it cannot run in a worker). PostgreSQL only: PGlite has no workers.
describe('the records library with parallel workers on postgres', () => {
  let t: TestDatabase;
  let parallel: Db;
  let viewers: LibraryViewer[];

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    const { review, users, recordIds } = await seedReview(t.db, {
      slug: 'library-parallel',
      records: 120,
      users: { lead: ['lead'], ann: ['reviewer'], bob: ['reviewer'] },
    });
    const reviewId = review.id;
    await saveStageConfig(t.db, {
      reviewId,
      stage: 'title-abstract',
      config: { blind: true, exclusionReasons: [{ code: 'setting', label: 'Not a healthcare setting' }] },
      actorId: users.lead!,
    });
    await enterTitleAbstract(t.db, reviewId);
    await routeStage(t.db, { reviewId, stage: 'title-abstract' });
    // Ann votes on two records in three, Bob with her on one in three: settled, waiting, unvoted.
    for (const [i, recordId] of recordIds.entries())
      for (const [userId, votes] of [
        [users.ann!, i % 3 !== 2],
        [users.bob!, i % 3 === 0],
      ] as const) {
        if (!votes) continue;
        await castDecision(t.db, {
          reviewId,
          stage: 'title-abstract',
          userId,
          roles: ['reviewer'],
          decision:
            i % 4 === 0 ? { recordId, vote: 'exclude', reasons: ['setting'] } : { recordId, vote: 'include' },
        });
      }
    await t.db.query(
      `INSERT INTO record_tags (review_id, record_id, name) SELECT $1, id, 'background' FROM unnest($2::uuid[]) AS id`,
      [reviewId, recordIds.filter((_, i) => i % 5 === 1)],
    );
    await t.db.query('ANALYZE');
    // Its own connections, which start with the sizes at zero (the first pool is left as it is).
    const sizes = '-c min_parallel_table_scan_size=0 -c min_parallel_index_scan_size=0';
    parallel = await openDatabase(
      testConfig({ databaseUrl: `${t.url}?options=${encodeURIComponent(sizes)}` }),
      {
        migrate: false,
      },
    );
    viewers = [
      { reviewId, userId: users.lead!, roles: ['lead'] },
      { reviewId, userId: users.ann!, roles: ['reviewer'] },
    ];
  });
  afterAll(async () => {
    await parallel?.close();
    await t?.drop();
  });

  /** The statements a search sends, in order, through `db`. */
  async function statementsOf(db: Db, viewer: LibraryViewer, query: LibraryQuery) {
    const sent: { text: string; params: readonly unknown[] }[] = [];
    const spy = (s: Sql): Sql => ({
      query: (text, params) => {
        sent.push({ text, params: params ?? [] });
        return s.query(text, params);
      },
    });
    await searchRecords({ ...db, transaction: (fn) => db.transaction((tx) => fn(spy(tx))) }, viewer, query);
    return sent;
  }

  it('plans the facet pass with workers on that connection', async () => {
    const query: LibraryQuery = { stage: 'title-abstract', sort: 'title', offset: 0, limit: 10 };
    const sent = await statementsOf(parallel, viewers[0]!, query);
    const facets = sent.find((s) => s.text.startsWith('WITH'))!;
    const plan = async (db: Db) =>
      db.transaction(async (tx) => {
        // The library's own settings for its transaction (the first statement it sent).
        await tx.query(sent[0]!.text, sent[0]!.params);
        const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${facets.text}`, facets.params);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    expect(await plan(parallel)).toMatch(/Parallel Seq Scan on library_records/);
    expect(await plan(t.db)).not.toMatch(/Gather/);
  });

  it('answers every query the same with workers as without', async () => {
    const QUERIES: Partial<LibraryQuery>[] = [
      {},
      { sort: 'title', offset: 30, limit: 20 },
      { sort: 'year' },
      { state: ['included', 'excluded'] },
      { reason: 'setting' },
      { tag: 'background' },
      { q: 'trial' },
      { q: 'trial', tag: 'background', sort: 'relevance' },
      { q: '"quality improvement" NOT 12', state: ['unscreened', 'awaiting-my-vote', 'in-progress'] },
    ];
    for (const viewer of viewers)
      for (const q of QUERIES) {
        const query: LibraryQuery = {
          stage: 'title-abstract',
          sort: 'relevance',
          offset: 0,
          limit: 50,
          ...q,
        };
        const serial = await searchRecords(t.db, viewer, query);
        const withWorkers = await searchRecords(parallel, viewer, query);
        expect(withWorkers, JSON.stringify({ roles: viewer.roles, q })).toEqual(serial);
        expect(serial.total, JSON.stringify({ roles: viewer.roles, q })).toBeGreaterThan(0);
      }
  });
});
