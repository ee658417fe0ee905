import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';
import { seedRecords, stageStatus, waitUntil } from './screening-fixtures.ts';

interface Next {
  record: {
    recordId: string;
    reportId: string | null;
    title: string;
    highlight: { abstract: { kind: string | null }[] };
  };
  upcoming: unknown[];
  progress: { mine: { done: number; total: number; waiting: number } };
}

describe('screening through the API, the queue and real PostgreSQL', () => {
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  let cat: TestUser;
  let records: string[];
  const base = '/reviews/screen-api';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('screen-api');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    cat = await app.user('Cat', review, ['adjudicator']);
    records = await seedRecords(app.rt.db, review.id, 30);
    const cfg = await lead.api('PUT', `${base}/stages/title-abstract/config`, {
      criteria: 'Include studies of leadership for quality improvement.',
      exclusionReasons: [{ code: 'not-qi', label: 'Not quality improvement' }],
      highlight: { include: ['leadership'], exclude: ['systematic review'] },
    });
    expect(cfg.status).toBe(200);
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    expect(routed.status).toBe(202);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves each reviewer their queue with highlighting and progress, 204 to others', async () => {
    const next = await ann.api<Next>('GET', `${base}/stages/title-abstract/next?prefetch=2`);
    expect(next.status).toBe(200);
    expect(next.body.upcoming).toHaveLength(2);
    expect(next.body.progress.mine).toEqual({ done: 0, total: 30, waiting: 0 });
    expect(next.body.record.highlight.abstract.map((s) => s.kind)).toContain('exclude');
    expect((await cat.api('GET', `${base}/stages/title-abstract/next`)).status).toBe(204);
    expect((await ann.api('GET', `${base}/stages/nope/next`)).status).toBe(404);
  });

  it('two reviewers voting at once on the same records give exactly one reconciliation each', async () => {
    const batch = records.slice(0, 12);
    await Promise.all(
      batch.flatMap((recordId, i) => [
        ann.api('POST', `${base}/stages/title-abstract/decisions`, { recordId, vote: 'include' }),
        bob.api('POST', `${base}/stages/title-abstract/decisions`, {
          recordId,
          vote: i % 3 === 0 ? 'exclude' : 'include',
        }),
      ]),
    );
    await waitUntil(
      async () => {
        const s = await Promise.all(batch.map((r) => stageStatus(app.rt.db, r, 'title-abstract')));
        return s.every((x) => x === 'advanced' || x === 'conflict');
      },
      20_000,
      'reconciliations',
    );
    // Let any late duplicate jobs finish, then count.
    await new Promise((r) => setTimeout(r, 300));
    const { rows } = await app.rt.db.query<{ recordId: string; n: number }>(
      `SELECT record_id AS "recordId", count(*)::int AS n FROM reconciliations WHERE record_id = ANY($1::uuid[]) GROUP BY record_id`,
      [batch],
    );
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const { rows: c } = await app.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM conflicts WHERE record_id = ANY($1::uuid[])`,
      [batch],
    );
    expect(c[0]!.n).toBe(4);
  });

  it('hides votes from the adjudicator until they resolve, then moves the record to full text', async () => {
    const open = await cat.api<{
      conflicts: { id: string; recordId: string; votes: unknown[]; votesHidden: boolean }[];
    }>('GET', `${base}/conflicts?stage=title-abstract`);
    expect(open.status).toBe(200);
    expect(open.body.conflicts).toHaveLength(4);
    // A page of the oldest, with how many there are; or the count alone.
    const page = await cat.api<{ conflicts: { id: string }[]; total: number }>(
      'GET',
      `${base}/conflicts?stage=title-abstract&limit=3`,
    );
    expect(page.body.total).toBe(4);
    expect(page.body.conflicts.map((c) => c.id)).toEqual(open.body.conflicts.slice(0, 3).map((c) => c.id));
    const count = await cat.api<{ conflicts: unknown[]; total: number }>(
      'GET',
      `${base}/conflicts?stage=full-text&limit=0`,
    );
    expect(count.body).toEqual({ conflicts: [], total: 0 });
    const first = open.body.conflicts[0]!;
    expect(first.votes).toEqual([]);
    expect(first.votesHidden).toBe(true);
    expect((await ann.api('GET', `${base}/conflicts`)).status).toBe(403);
    const res = await cat.api<{ jobId: string }>('POST', `${base}/conflicts/${first.id}/resolve`, {
      vote: 'include',
    });
    expect(res.status).toBe(200);
    await app.rt.queue.waitFor(res.body.jobId, 20_000);
    expect(await stageStatus(app.rt.db, first.recordId, 'title-abstract')).toBe('advanced');
    const resolved = await cat.api<{ conflicts: { votes: unknown[] }[] }>(
      'GET',
      `${base}/conflicts?status=resolved`,
    );
    expect(resolved.body.conflicts[0]!.votes).toHaveLength(2);
    const ft = await waitUntil(
      async () => {
        const n = await ann.api<Next>('GET', `${base}/stages/full-text/next?prefetch=10`);
        return n.status === 200 &&
          [n.body.record, ...(n.body.upcoming as Next['record'][])].some((r) => r.recordId === first.recordId)
          ? n
          : null;
      },
      20_000,
      'record at full text',
    );
    expect(ft.body.record.reportId).toEqual(expect.any(String));
  });

  it('reports agreement to the lead, not to reviewers or adjudicators', async () => {
    const a = await lead.api<{
      overall: { n: number; kappa: number | null; percentAgreement: number };
      pairs: unknown[];
    }>('GET', `${base}/agreement?stage=title-abstract`);
    expect(a.status).toBe(200);
    expect(a.body.overall.n).toBe(12);
    expect(a.body.overall.percentAgreement).toBeCloseTo(8 / 12, 10);
    expect(a.body.pairs).toHaveLength(1);
    expect((await ann.api('GET', `${base}/agreement`)).status).toBe(403);
    expect((await cat.api('GET', `${base}/agreement`)).status).toBe(403);
  });

  it('undo logs a retraction and returns the record to the queue; a changed vote re-opens a settled record', async () => {
    const recordId = records[1]!; // advanced (include/include)
    const undo = await bob.api('POST', `${base}/stages/title-abstract/decisions/undo`, { recordId });
    expect(undo.status).toBe(200);
    await waitUntil(
      async () => (await stageStatus(app.rt.db, recordId, 'title-abstract')) === 'awaiting-votes',
      20_000,
      're-open',
    );
    await bob.api('POST', `${base}/stages/title-abstract/decisions`, {
      recordId,
      vote: 'exclude',
      reasons: ['not-qi'],
    });
    await waitUntil(
      async () => (await stageStatus(app.rt.db, recordId, 'title-abstract')) === 'conflict',
      20_000,
      'conflict after change',
    );
    const csv = await lead.api<string>('GET', `/reviews/screen-api/decisions.csv`);
    expect(csv.status).toBe(200);
    expect(csv.body.split('\n')[0]).toBe(
      'seq,at,kind,stage,record_id,record_title,actor,role,vote,previous,reasons,note',
    );
    expect(csv.body).toContain('retraction');
    expect(csv.body).toContain('not-qi');
  });

  it('validates votes: unknown reasons and unassigned records say what is wrong', async () => {
    const bad = await ann.api<{ error: { code: string; message: string } }>(
      'POST',
      `${base}/stages/title-abstract/decisions`,
      {
        recordId: records[20],
        vote: 'exclude',
        reasons: ['nonsense'],
      },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/Unknown exclusion reason "nonsense"/);
    const notMine = await cat.api('POST', `${base}/stages/title-abstract/decisions`, {
      recordId: records[20],
      vote: 'include',
    });
    expect(notMine.status).toBe(404);
  });
});
