import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import { seedRecords, waitUntil } from './screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const N = 8;
const STAGE = 'title-abstract';

/**
 * Two reviewers change their votes while an adjudicator resolves the conflict they opened, all at
 * the same instant on the same records. Whatever order the database serialises them in, each record
 * ends with one outcome (re-running reconciliation changes nothing) and every act is in the log.
 */
describe('two reviewers and an adjudicator acting on one record at once', () => {
  let app: TestApp;
  let review: Review;
  let ann: TestUser;
  let bob: TestUser;
  let cat: TestUser;
  let records: string[];
  const base = '/reviews/race';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('race');
    const lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    cat = await app.user('Cat', review, ['adjudicator']);
    records = await seedRecords(app.rt.db, review.id, N);
    const r = await lead.api<{ jobId: string }>('POST', `${base}/stages/${STAGE}/route`);
    await app.rt.queue.waitFor(r.body.jobId, 20_000);
  });
  afterAll(async () => {
    await app?.close();
  });

  const statuses = async () => {
    const { rows } = await app.rt.db.query<{ recordId: string; status: string }>(
      `SELECT record_id AS "recordId", status FROM stage_records WHERE record_id = ANY($1::uuid[]) AND stage = $2 ORDER BY record_id`,
      [records, STAGE],
    );
    return rows;
  };
  const quiet = () =>
    waitUntil(
      async () => {
        const { rows } = await app.rt.db.query<{ n: number }>(
          // Every job in this file's own database (job rows do not all carry a review id).
          `SELECT count(*)::int AS n FROM jobs WHERE state IN ('queued', 'active', 'retrying')`,
        );
        return rows[0]!.n === 0;
      },
      30_000,
      'jobs to settle',
    );
  const vote = (who: TestUser, recordId: string, v: 'include' | 'exclude') =>
    who.api('POST', `${base}/stages/${STAGE}/decisions`, { recordId, vote: v });

  it('ends each record with one outcome and keeps every decision and resolution in the log', async () => {
    for (const recordId of records) {
      expect((await vote(ann, recordId, 'include')).status).toBe(201);
      expect((await vote(bob, recordId, 'exclude')).status).toBe(201);
    }
    await waitUntil(
      async () => (await statuses()).every((s) => s.status === 'conflict'),
      20_000,
      'conflicts to open',
    );
    const open = await cat.api<{ conflicts: { id: string; recordId: string }[] }>(
      'GET',
      `${base}/conflicts?stage=${STAGE}`,
    );
    expect(open.body.conflicts).toHaveLength(N);

    // All at once: the adjudicator resolves while both reviewers change their minds.
    const answers = await Promise.all(
      open.body.conflicts.flatMap((c) => [
        cat.api('POST', `${base}/conflicts/${c.id}/resolve`, { vote: 'include' }),
        vote(ann, c.recordId, 'exclude'),
        vote(bob, c.recordId, 'include'),
      ]),
    );
    const unexpected = answers.filter((a) => ![200, 201, 409].includes(a.status));
    expect(unexpected).toEqual([]);
    await quiet();

    const { rows: counts } = await app.rt.db.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM decisions WHERE review_id = $1) AS decisions,
              (SELECT count(*)::int FROM events WHERE review_id = $1 AND type = 'decision.cast') AS "decisionEvents",
              (SELECT count(*)::int FROM resolutions WHERE review_id = $1) AS resolutions,
              (SELECT count(*)::int FROM events WHERE review_id = $1 AND type = 'conflict.resolution-cast') AS "resolutionEvents",
              (SELECT count(*)::int FROM (SELECT record_id FROM conflicts WHERE review_id = $1 AND status = 'open'
                 GROUP BY record_id HAVING count(*) > 1) x) AS "doubleOpen"`,
      [review.id],
    );
    const c = counts[0]!;
    // Every accepted act is one row and one event; nothing overwritten, nothing dropped.
    expect(c.decisions).toBe(4 * N);
    expect(c.decisionEvents).toBe(c.decisions);
    const accepted = answers.filter((a, i) => i % 3 === 0 && a.status === 200).length;
    expect(c.resolutions).toBe(accepted);
    expect(c.resolutionEvents).toBe(c.resolutions);
    expect(c.doubleOpen).toBe(0);

    // One outcome: reconciling again from the full log changes nothing.
    const settled = await statuses();
    const before = await app.rt.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM reconciliations WHERE review_id = $1',
      [review.id],
    );
    for (const [i, recordId] of records.entries()) {
      const { jobId } = await app.rt.queue.enqueue('screening.reconcile', {
        reviewId: review.id,
        recordId,
        stage: STAGE,
        seq: 1_000_000_000 + i,
      });
      await app.rt.queue.waitFor(jobId, 20_000);
    }
    await quiet();
    expect(await statuses()).toEqual(settled);
    const after = await app.rt.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM reconciliations WHERE review_id = $1',
      [review.id],
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});
