import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import { waitUntil } from './screening-fixtures.ts';
import { CLI_MAIN, REPO_ROOT } from './support/cli.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const N = 20_000;

/** An export with a known duplicate structure: every 5th record repeats the one 3 places before. */
function exportWithDuplicates(n: number): string {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) {
    const k = i % 5 === 0 ? i - 3 : i;
    out.push(
      `TY  - JOUR\nTI  - Worker kill study ${k}: nurse staffing and ${k % 7 === 0 ? 'falls' : 'pressure ulcers'} in ward ${k}\nAU  - Author${k % 97}, A.\nAU  - Second${k % 31}, B.\nPY  - ${2000 + (k % 24)}\nJO  - Journal of Kill Tests ${k % 13}\nVL  - ${k % 40}\nSP  - ${k}\nEP  - ${k + 9}\nDO  - 10.5555/kill.${k}\nER  - \n`,
    );
  }
  return out.join('\n');
}

/**
 * `winnow worker` processes are SIGKILLed in the middle of an import, a dedup run and a routing
 * job. BullMQ re-delivers each stalled job once its lock expires (30 s) to the worker started after
 * the kill; the job then completes once, with no duplicate or missing rows.
 */
describe('worker killed (SIGKILL) mid-job, then restarted', () => {
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  const children: ChildProcess[] = [];
  const base = '/reviews/kill';

  // `winnow worker` exits right after it starts (reported); `winnow serve` runs the same workers in
  // a process that stays up, so it stands in as the worker process here.
  const startWorker = (): ChildProcess => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI_MAIN, 'serve', '--port', '0', '--concurrency', '1'],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATABASE_URL: app.database.url,
          REDIS_URL: app.config.redisUrl,
          WINNOW_QUEUE_PREFIX: app.config.queuePrefix,
          WINNOW_START_REDIS: 'never',
          WINNOW_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'winnow-kill-')),
          WINNOW_LOG: 'error',
        },
        stdio: 'ignore',
      },
    );
    children.push(child);
    return child;
  };
  const kill = async (child: ChildProcess) => {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  };
  const job = async (name: string) => {
    const { rows } = await app.rt.db.query<{ id: string; state: string; attempts: number; progress: number }>(
      `SELECT id, state, attempts, progress FROM jobs WHERE review_id = $1 AND name = $2 ORDER BY created_at DESC LIMIT 1`,
      [review.id, name],
    );
    return rows[0];
  };
  const count = async (sql: string) => (await app.rt.db.query<{ n: number }>(sql, [review.id])).rows[0]!.n;

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    review = await app.review('kill');
    lead = await app.user('Lead', review, ['lead']);
    for (const name of ['Ann', 'Bob', 'Cy']) await app.user(name, review, ['reviewer']);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await app?.close();
  });

  it(
    'mid-import: the import completes once with every record exactly once',
    { timeout: 300_000 },
    async () => {
      const up = await lead.api<{ importId: string; jobId: string }>(
        'POST',
        `${base}/imports?fileName=kill.ris`,
        exportWithDuplicates(N),
      );
      expect(up.status).toBe(202);
      const first = startWorker();
      const atKill = await waitUntil(
        async () => {
          const n = await count('SELECT count(*)::int AS n FROM records WHERE review_id = $1');
          return n > 0 ? n : null;
        },
        120_000,
        'the first records',
      );
      await kill(first);
      const afterKill = await count('SELECT count(*)::int AS n FROM records WHERE review_id = $1');
      if (afterKill >= N) console.warn('the import finished before the kill; the checks below still hold');
      console.log(`import: worker killed with ${atKill}..${afterKill} of ${N} records written`);
      startWorker();
      const done = await waitUntil(
        async () => {
          const j = await job('ingest.import');
          return j?.state === 'completed' ? j : null;
        },
        200_000,
        'the re-delivered import to complete',
      );
      // (A stalled job goes back to the queue without counting as a failed attempt.)
      expect(done.state).toBe('completed');
      const { rows } = await app.rt.db.query<Record<string, number>>(
        `SELECT count(*)::int AS records, count(DISTINCT source_index)::int AS positions,
              min(source_index)::int AS first, max(source_index)::int AS last,
              (SELECT count(*)::int FROM events WHERE review_id = $1 AND type = 'import.completed') AS completed,
              (SELECT record_count::int FROM imports WHERE review_id = $1) AS "recordCount"
       FROM records WHERE review_id = $1`,
        [review.id],
      );
      expect(rows[0]).toEqual({ records: N, positions: N, first: 1, last: N, completed: 1, recordCount: N });
    },
  );

  it(
    'mid-dedup: the run completes once and its groups equal a clean re-run',
    { timeout: 300_000 },
    async () => {
      // The completed import enqueued dedup.run; the worker from the test above may have it already.
      for (const c of children) await kill(c);
      await app.rt.db.query(
        `DELETE FROM jobs WHERE review_id = $1 AND name = 'dedup.run' AND state = 'completed'`,
        [review.id],
      );
      const { jobId } = await app.rt.queue.enqueue('dedup.run', {
        reviewId: review.id,
        trigger: 'kill-test',
      });
      const first = startWorker();
      await waitUntil(
        async () => {
          const { rows } = await app.rt.db.query<{ state: string }>('SELECT state FROM jobs WHERE id = $1', [
            jobId,
          ]);
          return rows[0]?.state === 'active' || rows[0]?.state === 'completed' ? true : null;
        },
        120_000,
        'dedup to start',
      );
      await new Promise((r) => setTimeout(r, 1_500));
      await kill(first);
      startWorker();
      await app.rt.queue.waitFor(jobId, 200_000);
      const groups = async () =>
        (
          await app.rt.db.query<{ id: string; dup: string | null }>(
            `SELECT source_index::text AS id, (SELECT source_index::text FROM records k WHERE k.id = r.duplicate_of) AS dup
           FROM records r WHERE review_id = $1 ORDER BY source_index`,
            [review.id],
          )
        ).rows;
      const afterKill = await groups();
      // No chains: a kept record is never itself a duplicate.
      const dupOf = new Map(afterKill.map((r) => [r.id, r.dup]));
      expect(afterKill.filter((r) => r.dup !== null && dupOf.get(r.dup) !== null)).toEqual([]);
      // The planted duplicates were found.
      expect(afterKill.filter((r) => r.dup !== null).length).toBeGreaterThanOrEqual(N / 5 - 10);
      const again = await app.rt.queue.enqueue('dedup.run', {
        reviewId: review.id,
        trigger: 'kill-test-clean',
      });
      await app.rt.queue.waitFor(again.jobId, 200_000);
      expect(await groups()).toEqual(afterKill);
    },
  );

  it('mid-routing: every kept record ends with exactly two reviewers', { timeout: 300_000 }, async () => {
    for (const c of children) await kill(c);
    const first = startWorker();
    const r = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    expect(r.status).toBeLessThan(300);
    await waitUntil(
      async () =>
        (await count('SELECT count(*)::int AS n FROM assignments WHERE review_id = $1')) > 0 ? true : null,
      120_000,
      'the first assignments',
    );
    await kill(first);
    startWorker();
    await app.rt.queue.waitFor(r.body.jobId, 200_000);
    const kept = await count(
      'SELECT count(*)::int AS n FROM records WHERE review_id = $1 AND duplicate_of IS NULL',
    );
    const { rows } = await app.rt.db.query<{ records: number; over: number; under: number }>(
      `SELECT count(*)::int AS records,
              count(*) FILTER (WHERE n > 2)::int AS over, count(*) FILTER (WHERE n < 2)::int AS under
       FROM (SELECT record_id, count(*) AS n FROM assignments WHERE review_id = $1 GROUP BY record_id) x`,
      [review.id],
    );
    expect(rows[0]).toEqual({ records: kept, over: 0, under: 0 });
  });
});
