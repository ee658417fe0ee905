import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createJobQueue,
  createLogger,
  defineJob,
  JobRegistry,
  runConfig,
  startWorkers,
  type JobQueue,
  type RunConfig,
  type WinnowConfig,
  type WorkerRunner,
} from '../src/index.ts';
import { createTestDatabase, testConfig, type TestDatabase } from '../src/testing/index.ts';

/**
 * Two installations on one Redis, neither naming a queue prefix: each takes only its own jobs.
 * With one default prefix for all, the other installation's worker took a job and failed it
 * ("This import does not exist"), and the import it was for never ran.
 */
describe('installations sharing one Redis keep their queues apart by default', () => {
  const installations: {
    name: string;
    t: TestDatabase;
    config: RunConfig;
    queue: JobQueue;
    workers: WorkerRunner;
  }[] = [];
  const unset = (): WinnowConfig => ({ ...testConfig(), queuePrefix: null });

  beforeAll(async () => {
    for (const name of ['first', 'second']) {
      const t = await createTestDatabase(name === 'first' ? 'postgres' : 'pglite');
      const config = await runConfig(unset(), t.db);
      // The same job, named alike in both; each installation's handler says whose it is.
      const mark = defineJob({
        name: 'test.mark',
        schema: z.object({ n: z.number().int() }),
        jobId: (p) => `mark-${p.n}`,
        reviewId: () => null,
        handler: async (p) => ({ ranBy: name, n: p.n }),
      });
      const registry = new JobRegistry([mark]);
      const queue = createJobQueue(config, t.db, registry);
      const workers = startWorkers({ config, db: t.db, registry, queue, log: createLogger('silent') });
      installations.push({ name, t, config, queue, workers });
    }
  });
  afterAll(async () => {
    for (const i of installations) {
      await i.workers.close();
      await i.queue.close();
      await i.t.drop();
    }
  });

  it('derives the prefix from the database: the same for every process of it, another for another', async () => {
    const [a, b] = installations as [(typeof installations)[0], (typeof installations)[0]];
    expect(a.config.queuePrefix).toMatch(/^winnow-[0-9a-f]{12}$/);
    expect(b.config.queuePrefix).toMatch(/^winnow-[0-9a-f]{12}$/);
    expect(a.config.queuePrefix).not.toBe(b.config.queuePrefix);
    // A second process of the first installation (same database) shares its queue.
    expect((await runConfig(unset(), a.t.db)).queuePrefix).toBe(a.config.queuePrefix);
    // A prefix that is set is kept.
    expect((await runConfig({ ...unset(), queuePrefix: 'mine' }, a.t.db)).queuePrefix).toBe('mine');
  });

  it('runs each installation’s jobs on its own workers only', async () => {
    const sent = installations.flatMap((i) =>
      [1, 2, 3, 4, 5, 6].map(async (n) => {
        const { jobId } = await i.queue.enqueue('test.mark', { n });
        return { by: i.name, result: await i.queue.waitFor(jobId, 20_000) };
      }),
    );
    for (const { by, result } of await Promise.all(sent)) expect(result).toMatchObject({ ranBy: by });
  });
});
