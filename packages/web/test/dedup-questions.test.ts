import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCsv } from '@winnow/extraction/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import { runWinnow } from './support/cli.ts';
import { ris, risVolumes } from './support/dedup-variants.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

interface Question {
  a: { id: string };
  b: { id: string };
  covers: { aRecords: number; bRecords: number; records: number; pairs: number };
}
type PairRow = Record<string, string>;
/** CSV text to one object per row, keyed by the header. */
function rowsOf(csv: string): PairRow[] {
  const [header, ...rows] = parseCsv(csv);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

let app: TestApp;
let review: Review;
let lead: TestUser;
let reviewer: TestUser;
const reportOf = new Map<string, 'a' | 'b'>();

async function importFile(fileName: string, text: string, report: 'a' | 'b' | 'ab'): Promise<void> {
  const res = await lead.api<{ importId: string; jobId: string }>(
    'POST',
    `/reviews/${review.slug}/imports?fileName=${fileName}`,
    text,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await app.rt.queue.waitFor(res.body.jobId);
  await app.rt.queue.waitFor(`dedup-${review.id}-${res.body.importId}`);
  const { rows } = await app.rt.db.query<{ id: string; doi: string | null }>(
    `SELECT id, data->>'doi' AS doi FROM records WHERE import_id = $1`,
    [res.body.importId],
  );
  for (const r of rows) reportOf.set(r.id, report === 'ab' ? (r.doi ? 'a' : 'b') : report);
}

const queue = async () =>
  (
    await reviewer.api<{ total: number; pendingPairs: number; pairs: Question[] }>(
      'GET',
      `/reviews/${review.slug}/duplicates/queue`,
    )
  ).body;

async function pairRows(): Promise<PairRow[]> {
  const res = await lead.api<string>('GET', `/reviews/${review.slug}/duplicates/pairs.csv`);
  expect(res.status).toBe(200);
  expect(res.body.split('\n')[0]).toBe(
    'record_a,record_b,source_file_a,source_index_a,source_file_b,source_index_b,status,score,reason',
  );
  return rowsOf(res.body);
}
const across = (rows: PairRow[]) =>
  rows.filter((r) => reportOf.get(r.record_a!) !== reportOf.get(r.record_b!));
const within = (rows: PairRow[]) =>
  rows.filter((r) => reportOf.get(r.record_a!) === reportOf.get(r.record_b!));

describe('dedup asks each question once, and exports every compared pair', () => {
  beforeAll(async () => {
    app = await startTestApp();
    review = await app.review('dedup-once');
    lead = await app.user('Lead', review, ['lead']);
    reviewer = await app.user('Reviewer', review, ['reviewer']);
    await importFile('report-a.ris', ris('a', 14), 'a');
    await importFile('report-b.ris', ris('b', 12), 'b');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('one uncertain match between two groups of many records is one question covering both', async () => {
    const q = await queue();
    expect(q.total).toBe(1);
    const [question] = q.pairs;
    expect([question!.covers.aRecords, question!.covers.bRecords].sort()).toEqual([12, 14]);
    expect(question!.covers).toMatchObject({ records: 26, pairs: 168 });
    const rows = await pairRows();
    expect(across(rows).length).toBeGreaterThan(1);
    expect(across(rows).every((r) => r.status === 'pending')).toBe(true);
    expect(within(rows).every((r) => r.status === 'auto-merged')).toBe(true);
    expect(q.pendingPairs).toBe(across(rows).length);
    for (const r of rows) {
      expect(r.source_file_a).toMatch(/^report-[ab]\.ris$/);
      expect(Number(r.source_index_a)).toBeGreaterThan(0);
      expect(Number(r.score)).toBeGreaterThan(0);
      expect(r.reason).not.toBe('');
    }
  });

  it('the pair export is for leads only', async () => {
    const res = await reviewer.api('GET', `/reviews/${review.slug}/duplicates/pairs.csv`);
    expect(res.status).toBe(403);
  });

  it('one answer settles every pair across the two groups and is logged naming them', async () => {
    const [question] = (await queue()).pairs;
    const res = await reviewer.api<{ jobId: string }>(
      'POST',
      `/reviews/${review.slug}/duplicates/decisions`,
      {
        a: question!.a.id,
        b: question!.b.id,
        same: false,
      },
    );
    expect(res.status).toBe(202);
    // Before the re-run the answer is already read on every pair it covers.
    expect(across(await pairRows()).every((r) => r.status === 'different')).toBe(true);
    await app.rt.queue.waitFor(res.body.jobId);
    expect((await queue()).total).toBe(0);
    const rows = await pairRows();
    expect(across(rows).every((r) => r.status === 'different')).toBe(true);
    const { rows: events } = await app.rt.db.query<{
      data: { covers: { a: string[]; b: string[] }; pairs: number };
    }>(`SELECT data FROM events WHERE review_id = $1 AND type = 'dedup.marked-distinct'`, [review.id]);
    expect(events).toHaveLength(1);
    expect(events[0]!.data.pairs).toBe(168);
    expect(events[0]!.data.covers.a).toContain(question!.a.id);
    expect(events[0]!.data.covers.b).toContain(question!.b.id);
  });

  it('a later import of both reports asks nothing new; CLI exports the same pairs', async () => {
    await importFile('more.ris', `${ris('a', 5, 20)}\n${ris('b', 4, 20)}`, 'ab');
    const q = await queue();
    expect(q.total).toBe(0);
    expect(q.pendingPairs).toBe(0);
    const rows = await pairRows();
    expect(rows.some((r) => r.source_file_a === 'more.ris' || r.source_file_b === 'more.ris')).toBe(true);
    expect(across(rows).every((r) => r.status === 'different')).toBe(true);
    const dir = mkdtempSync(path.join(tmpdir(), 'winnow-pairs-'));
    const out = path.join(dir, 'pairs.csv');
    const env = { DATABASE_URL: app.database.url!, WINNOW_QUEUE_PREFIX: `dedup-pairs-cli-${Date.now()}` };
    const cli = await runWinnow(
      ['export', 'duplicate-pairs', '--out', out, '--review', review.slug, '--json'],
      env,
    );
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.json).toMatchObject({ out, rows: rows.length });
    expect(rowsOf(readFileSync(out, 'utf8'))).toEqual(rows);
    const summary = await runWinnow(['dedupe', '--review', review.slug, '--json'], env);
    expect(summary.code, summary.stderr).toBe(0);
    expect(summary.json).toMatchObject({ records: 35, groups: 2, needsReview: 0, pendingPairs: 0 });
  });
});

describe('one question for many records that may be one report', () => {
  let app2: TestApp;
  let lead2: TestUser;
  let slug: string;
  let reviewId: string;
  beforeAll(async () => {
    app2 = await startTestApp();
    const r = await app2.review('dedup-series');
    slug = r.slug;
    reviewId = r.id;
    lead2 = await app2.user('Lead', r, ['lead']);
    const res = await lead2.api<{ importId: string; jobId: string }>(
      'POST',
      `/reviews/${slug}/imports?fileName=series.ris`,
      risVolumes(6),
    );
    expect(res.status).toBe(202);
    await app2.rt.queue.waitFor(res.body.jobId);
    await app2.rt.queue.waitFor(`dedup-${reviewId}-${res.body.importId}`);
  });
  afterAll(async () => {
    await app2?.close();
  });

  it('six records, each pair uncertain, are one question; "all different" settles all fifteen pairs', async () => {
    type Q = Question & {
      all?: { groups: number; records: number; pairs: number; others: { id: string }[] };
    };
    const q = (
      await lead2.api<{ total: number; pendingPairs: number; pairs: Q[] }>(
        'GET',
        `/reviews/${slug}/duplicates/queue`,
      )
    ).body;
    expect(q.total).toBe(1);
    expect(q.pendingPairs).toBe(15);
    const [question] = q.pairs;
    expect(question!.all).toMatchObject({ groups: 6, records: 6, pairs: 15 });
    expect(question!.all!.others).toHaveLength(4);
    const env = { DATABASE_URL: app2.database.url!, WINNOW_QUEUE_PREFIX: `dedup-queue-cli-${Date.now()}` };
    const cli = await runWinnow(['duplicates', 'queue', '--review', slug, '--json'], env);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.json).toMatchObject({
      total: 1,
      pendingPairs: 15,
      pairs: [{ all: { groups: 6, pairs: 15 } }],
    });
    const human = await runWinnow(['duplicates', 'queue', '--review', slug], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('1 question to answer, covering 15 compared record pairs');
    expect(human.stdout).toContain('for all 6 linked groups: 6 records (15 record pairs)');
    const res = await lead2.api<{ jobId: string }>('POST', `/reviews/${slug}/duplicates/decisions`, {
      a: question!.a.id,
      b: question!.b.id,
      same: false,
      all: true,
    });
    expect(res.status).toBe(202);
    await app2.rt.queue.waitFor(res.body.jobId);
    expect((await lead2.api<{ total: number }>('GET', `/reviews/${slug}/duplicates/queue`)).body.total).toBe(
      0,
    );
    const csv = await lead2.api<string>('GET', `/reviews/${slug}/duplicates/pairs.csv`);
    const rows = rowsOf(csv.body);
    expect(rows).toHaveLength(15);
    expect(rows.every((r) => r.status === 'different')).toBe(true);
    const { rows: events } = await app2.rt.db.query<{ data: { parts: string[][]; pairs: number } }>(
      `SELECT data FROM events WHERE review_id = $1 AND type = 'dedup.marked-distinct'`,
      [reviewId],
    );
    expect(events.map((e) => [e.data.parts.length, e.data.pairs])).toEqual([[6, 15]]);
  });
});

describe('questions, answers and the pair export on PGlite (same SQL, same migrations)', () => {
  it('stores one question for two groups, settles its pairs with one answer and exports them', async () => {
    const { createTestDatabase } = await import('@winnow/core/testing');
    const { createReview, createUser } = await import('@winnow/core');
    const ingest = await import('@winnow/ingest');
    async function* bytes(text: string): AsyncGenerator<Buffer> {
      yield Buffer.from(text);
    }
    const t = await createTestDatabase('pglite');
    try {
      const r = await createReview(t.db, { slug: 'pglite-dedup', title: 'PGlite dedup' });
      const user = await createUser(t.db, {
        email: 'pg@example.org',
        name: 'PG',
        password: 'a long pass phrase 1',
      });
      for (const [fileName, text] of [
        ['a.ris', ris('a', 6)],
        ['b.ris', ris('b', 5)],
      ] as const) {
        const imp = await ingest.requestImport(t.db, {
          reviewId: r.id,
          fileName,
          source: bytes(text),
          maxBytes: 1e7,
        });
        await ingest.runImport(t.db, imp.id, { progress: async () => {} });
      }
      expect(await ingest.runDedup(t.db, r.id, 'pg-1')).toMatchObject({ groups: 2, needsReview: 1 });
      const q = await ingest.listReviewQueue(t.db, r.id);
      expect(q.total).toBe(1);
      expect(q.pairs[0]!.covers).toMatchObject({ records: 11, pairs: 30 });
      expect(q.pendingPairs).toBeGreaterThan(1);
      await t.db.transaction((tx) =>
        ingest.recordManualDecision(tx, r.id, user.id, {
          kind: 'same',
          a: q.pairs[0]!.a.id,
          b: q.pairs[0]!.b.id,
        }),
      );
      expect(await ingest.runDedup(t.db, r.id, 'pg-2')).toMatchObject({
        groups: 1,
        needsReview: 0,
        pendingPairs: 0,
      });
      const rows = await ingest.listDuplicatePairRows(t.db, r.id);
      expect(rows.filter((p) => p.status === 'same')).toHaveLength(q.pendingPairs);
      expect(rows.filter((p) => p.status !== 'same').every((p) => p.status === 'auto-merged')).toBe(true);
    } finally {
      await t.drop();
    }
  });
});
