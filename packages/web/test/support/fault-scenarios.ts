import { expect } from 'vitest';
import type { Review } from '@winnow/core';
import { seedRecords, stageStatus, waitUntil } from '../screening-fixtures.ts';
import type { PrivateRedis } from './private-services.ts';
import { startTestApp, type TestApp, type TestUser } from './test-app.ts';

/**
 * Redis goes away for `outageMs` while reviewers keep voting. While it is down, calls that need the
 * queue answer 503 quickly and the rest of the API works; every vote that reached the database is
 * kept; after Redis returns, retried votes are reconciled and workers take new jobs.
 */
export async function redisOutageScenario(redis: PrivateRedis, outageMs: number): Promise<void> {
  let app: TestApp | undefined;
  try {
    app = await startTestApp({ workers: true, config: { redisUrl: redis.url } });
    const review: Review = await app.review('redis-outage');
    const base = '/reviews/redis-outage';
    const lead = await app.user('Lead', review, ['lead']);
    const ann: TestUser = await app.user('Ann', review, ['reviewer']);
    const bob: TestUser = await app.user('Bob', review, ['reviewer']);
    const records = await seedRecords(app.rt.db, review.id, 6);
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    expect(routed.status).toBeLessThan(300);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);

    // Each vote attempt is its own event, kept even when the answer was 503; count them all.
    let attempts = 0;
    const vote = (who: TestUser, recordId: string) => {
      attempts++;
      return who.api<{ error?: { code: string } }>('POST', `${base}/stages/title-abstract/decisions`, {
        recordId,
        vote: 'include',
      });
    };
    expect((await vote(ann, records[0]!)).status).toBe(201);

    await redis.stop('SIGKILL');
    const downAt = Date.now();
    const during: { status: number; ms: number; code?: string }[] = [];
    const timed = async (call: () => Promise<{ status: number; body: { error?: { code: string } } }>) => {
      const t = performance.now();
      const r = await call();
      during.push({ status: r.status, ms: performance.now() - t, code: r.body?.error?.code });
      return r;
    };
    // A vote reconciles in its own transaction: one that queues nothing is taken while Redis is down.
    const quiet = await timed(() => vote(ann, records[1]!));
    expect(quiet.status).toBe(201);
    during.length = 0;
    // A vote that must queue routing (the record reached full text) answers 503, quickly, but the
    // vote and the outcome it decided are in the database; so does routing asked for by the lead.
    await timed(() => vote(bob, records[0]!));
    await timed(() => lead.api('POST', `${base}/stages/title-abstract/route`));
    for (const r of during) {
      expect(r.status).toBe(503);
      expect(r.code).toBe('UNAVAILABLE');
      expect(r.ms).toBeLessThan(3_000);
    }
    expect(await stageStatus(app.rt.db, records[0]!, 'title-abstract')).toBe('advanced');
    // Routes that only read the database keep working.
    expect((await lead.api('GET', `${base}/status`)).status).toBe(200);
    expect((await ann.api('GET', `${base}/stages/title-abstract/my-decisions`)).status).toBe(200);
    const inDb = await app.rt.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM decisions WHERE review_id = $1',
      [review.id],
    );
    expect(inDb.rows[0]!.n).toBe(3);

    await new Promise((r) => setTimeout(r, Math.max(0, outageMs - (Date.now() - downAt))));
    await redis.start();

    // Clients retry what failed; the producer reconnects on its own within a couple of seconds.
    // A vote that queues nothing no longer shows the producer is back: wait on a request that queues.
    const requeued = await waitUntil(
      async () =>
        (await lead.api('POST', `${base}/stages/title-abstract/route`)).status < 300 ? true : null,
      15_000,
      'the API to queue jobs again',
    );
    expect(requeued).toBe(true);
    expect((await vote(bob, records[0]!)).status).toBe(201);
    expect((await vote(ann, records[1]!)).status).toBe(201);
    expect((await vote(bob, records[1]!)).status).toBe(201);
    await waitUntil(
      async () => {
        const s = await Promise.all(
          records.slice(0, 2).map((r) => stageStatus(app!.rt.db, r, 'title-abstract')),
        );
        return s.every((x) => x === 'advanced');
      },
      30_000,
      'workers to reconcile after Redis came back',
    );
    // Workers take new jobs again.
    const again = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    expect(again.status).toBeLessThan(300);
    await app.rt.queue.waitFor(again.body.jobId, 30_000);

    // No vote lost, every event kept: one decision and one decision.cast per attempt.
    const { rows } = await app.rt.db.query<{ decisions: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM decisions WHERE review_id = $1) AS decisions,
              (SELECT count(*)::int FROM events WHERE review_id = $1 AND type = 'decision.cast') AS events`,
      [review.id],
    );
    const stuck = await app.rt.db.query<{ id: string }>(
      `SELECT id FROM jobs WHERE review_id = $1 AND state = 'queued'`,
      [review.id],
    );
    if (stuck.rows.length)
      console.warn(
        `jobs mirror: ${stuck.rows.length} job row(s) left 'queued' for enqueues that failed with 503`,
      );
    expect(attempts).toBeGreaterThanOrEqual(6);
    expect(rows[0]!.decisions).toBe(attempts);
    expect(rows[0]!.events).toBe(attempts);
  } finally {
    await app?.close();
  }
}
