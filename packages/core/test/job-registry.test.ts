import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createJobQueue,
  createLogger,
  defineJob,
  getJob,
  JobRegistry,
  startWorkers,
  WinnowError,
  type JobQueue,
  type WorkerRunner,
} from '../src/index.ts';
import { createTestDatabase, testConfig, type TestDatabase } from '../src/testing/index.ts';

describe('job registry against real Redis', () => {
  let t: TestDatabase;
  let queue: JobQueue;
  let workers: WorkerRunner;
  const runs = new Map<string, number>();
  const config = testConfig();

  const echo = defineJob({
    name: 'test.echo',
    schema: z.object({ n: z.number().int() }),
    jobId: (p) => `echo-${p.n}`,
    reviewId: () => null,
    handler: async (p) => {
      runs.set(`echo-${p.n}`, (runs.get(`echo-${p.n}`) ?? 0) + 1);
      return { doubled: p.n * 2 };
    },
  });
  const flaky = defineJob({
    name: 'test.flaky',
    schema: z.object({ id: z.string() }),
    jobId: (p) => `flaky-${p.id}`,
    reviewId: () => null,
    attempts: 3,
    handler: async (p, ctx) => {
      if (ctx.attempt < 2) throw new Error('transient');
      return { id: p.id, attempt: ctx.attempt };
    },
  });
  const bad = defineJob({
    name: 'test.bad-input',
    schema: z.object({ id: z.string() }),
    jobId: (p) => `bad-${p.id}`,
    reviewId: () => null,
    attempts: 5,
    handler: async (p) => {
      runs.set(`bad-${p.id}`, (runs.get(`bad-${p.id}`) ?? 0) + 1);
      throw new WinnowError('PARSE_ERROR', 'cannot read', { location: { file: 'x.ris', line: 3 } });
    },
  });

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    const registry = new JobRegistry([echo, flaky, bad]);
    queue = createJobQueue(config, t.db, registry);
    workers = startWorkers({ config, db: t.db, registry, queue, log: createLogger('silent') });
  });
  afterAll(async () => {
    await workers.close();
    await queue.close();
    await t.drop();
  });

  it('runs a job once and returns its result; a re-sent job with the same id is deduplicated', async () => {
    const a = await queue.enqueue('test.echo', { n: 21 });
    const b = await queue.enqueue('test.echo', { n: 21 });
    expect(a.jobId).toBe(b.jobId);
    expect(await queue.waitFor(a.jobId)).toEqual({ doubled: 42 });
    await new Promise((r) => setTimeout(r, 300));
    expect(runs.get('echo-21')).toBe(1);
    expect(await getJob(t.db, a.jobId)).toMatchObject({ state: 'completed', progress: 1 });
  });

  it('retries transient faults with backoff', async () => {
    const { jobId } = await queue.enqueue('test.flaky', { id: 'f1' });
    expect(await queue.waitFor(jobId)).toEqual({ id: 'f1', attempt: 2 });
  });

  it('fails bad input at once without retrying, with the location in the message', async () => {
    const { jobId } = await queue.enqueue('test.bad-input', { id: 'b1' });
    await expect(queue.waitFor(jobId)).rejects.toThrow(/x\.ris, line 3: cannot read/);
    expect(runs.get('bad-b1')).toBe(1);
    expect(await getJob(t.db, jobId)).toMatchObject({ state: 'failed' });
  });

  it('runs a job re-sent after it failed for good again, as the jobs mirror says (queued, then failed)', async () => {
    const { jobId } = await queue.enqueue('test.bad-input', { id: 'b2' });
    await expect(queue.waitFor(jobId)).rejects.toThrow(/cannot read/);
    expect(runs.get('bad-b2')).toBe(1);
    await queue.enqueue('test.bad-input', { id: 'b2' });
    await expect(queue.waitFor(jobId)).rejects.toThrow(/cannot read/);
    expect(runs.get('bad-b2')).toBe(2);
    expect(await getJob(t.db, jobId)).toMatchObject({ state: 'failed' });
  });

  it('ends a wait at its timeout with UNAVAILABLE, and waits leave no timers or listeners behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await queue.waitFor((await queue.enqueue('test.echo', { n: 1 })).jobId); // opens the event stream
    const before = timers();
    for (let n = 2; n < 12; n++) {
      const { jobId } = await queue.enqueue('test.echo', { n });
      expect(await queue.waitFor(jobId, 60_000)).toEqual({ doubled: n * 2 });
    }
    expect(timers()).toBeLessThanOrEqual(before + 1);
    const { jobId } = await queue.enqueue('test.echo', { n: 99 }, { delayMs: 60_000 });
    const started = Date.now();
    await expect(queue.waitFor(jobId, 300)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects an unknown job name and a payload that does not fit the schema before queueing', async () => {
    await expect(queue.enqueue('test.nope', {})).rejects.toThrow(/No handler/);
    await expect(queue.enqueue('test.echo', { n: 'x' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
