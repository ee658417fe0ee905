import {
  createLogger,
  createWorkerRedis,
  getJob,
  JobRegistry,
  listJobs,
  startWorkers,
  type Review,
  type WorkerRunner,
} from '@winnow/core';
import { getImport, ingestImportJob, requestImport, runImport } from '@winnow/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failingDb } from './support/failing-db.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

// BullMQ's lock and stall check shortened from 30 s so two stalls take seconds.
const TIMING = { lockDurationMs: 1_000, stalledIntervalMs: 400 };

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let app: TestApp;
let review: Review;
let lead: TestUser;
const runners: WorkerRunner[] = [];

beforeAll(async () => {
  app = await startTestApp({ workers: false });
  review = await app.review('stall-review');
  lead = await app.user('Lead', review, ['lead']);
});
afterAll(async () => {
  for (const r of runners) await r.close(0).catch(() => {});
  await app.close();
});

describe('a job that takes its worker down twice', () => {
  it('is marked failed in the jobs table with a reason, its import failed, and it is not run again', async () => {
    const { db, queue, config, registry } = app.rt;
    const log = createLogger('silent');
    const imp = await requestImport(db, {
      reviewId: review.id,
      fileName: 'stall.ris',
      source: (async function* () {
        yield Buffer.from('TY  - JOUR\nTI  - A record\nER  - \n');
      })(),
      maxBytes: 1e6,
    });
    const { jobId } = await queue.enqueue('ingest.import', { importId: imp.id, reviewId: review.id });
    const redis = createWorkerRedis(config.redisUrl);
    const key = `${config.queuePrefix}:jobs:${jobId}`;
    try {
      // A worker that dies while running the job: its handler never returns and it stops renewing
      // the lock (as a process killed or out of memory does).
      const hanging = new JobRegistry([{ ...ingestImportJob, handler: () => new Promise<never>(() => {}) }]);
      const dyingWorker = async (stalls: string | null): Promise<void> => {
        const runner = startWorkers({ config, db, registry: hanging, queue, log, timing: TIMING });
        runners.push(runner);
        await until(
          'the job to be taken',
          async () => (await redis.hget(key, 'stc')) === stalls && (await redis.exists(`${key}:lock`)) === 1,
        );
        await runner.close(0);
      };
      await dyingWorker(null);
      // The next worker's stall check sends the job back once (a deploy or a kill must not lose work)
      // and it takes it again, and dies with it again.
      await dyingWorker('1');

      // The real worker finds it stalled a second time: BullMQ fails it without running it.
      runners.push(startWorkers({ config, db, registry, queue, log, timing: TIMING }));
      const row = await until('the jobs row to say failed', async () => {
        const j = await getJob(db, jobId);
        return j?.state === 'failed' ? j : undefined;
      });
      expect(row.error).toMatch(/took down the worker running it twice.*not run again/);
      await expect(queue.waitFor(jobId, 5_000)).rejects.toThrow(/stalled more than allowable limit/);
      const after = await until('the import to be failed', async () => {
        const i = await getImport(db, imp.id);
        return i?.status === 'failed' ? i : undefined;
      });
      expect(after.recordCount).toBe(0);
      // Not retried into the same crash: still failed a few stall checks later, and no dedup followed.
      await new Promise((r) => setTimeout(r, 3 * TIMING.stalledIntervalMs));
      expect((await getJob(db, jobId))!.state).toBe('failed');
      expect((await listJobs(db, review.id)).map((j) => j.name)).toEqual(['ingest.import']);
    } finally {
      redis.disconnect();
    }
  });
});

describe('/status while an import is incomplete', () => {
  it('counts no record of an import cut off mid-file until the import completes', async () => {
    const { db } = app.rt;
    const text = Array.from(
      { length: 1500 },
      (_, i) => `TY  - JOUR\nTI  - Status record ${i + 1}\nPY  - 2021\nER  - \n`,
    ).join('\n');
    const imp = await requestImport(db, {
      reviewId: review.id,
      fileName: 'partial.ris',
      source: (async function* () {
        yield Buffer.from(text);
      })(),
      maxBytes: 1e8,
    });
    const records = async (): Promise<number> => {
      const r = await lead.api<{ identification: { records: number; unique: number } }>(
        'GET',
        '/reviews/stall-review/status',
      );
      expect(r.status).toBe(200);
      return r.body.identification.records;
    };
    const before = await records();
    // The worker dies in its second batch, after the first is written (as after kill -9 mid-import).
    const frozen = failingDb(db, 2, 'hang');
    void runImport(frozen, imp.id, { progress: async () => {}, batchSize: 500, writers: 1 });
    await frozen.reached;
    const written = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM records WHERE import_id = $1',
      [imp.id],
    );
    expect(written.rows[0]!.n).toBe(500);
    expect(await records()).toBe(before);

    await runImport(db, imp.id, { progress: async () => {} });
    expect(await records()).toBe(before + 1500);
  });
});
