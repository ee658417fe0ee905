// Child process for screening-worker-kill.test.ts: runs the routing job's handler against a
// database until the parent kills it with SIGKILL.
import { createJobQueue, JobRegistry, loadConfig, openDatabase, runConfig } from '@winnow/core';
import { routeJob } from '@winnow/screening';

const [databaseUrl, reviewId] = process.argv.slice(2);
const loaded = loadConfig({ DATABASE_URL: databaseUrl, WINNOW_START_REDIS: 'never', WINNOW_LOG: 'error' });
const db = await openDatabase(loaded);
const config = await runConfig(loaded, db);
const queue = createJobQueue(config, db, new JobRegistry([routeJob]));
await routeJob.handler(
  { reviewId: reviewId!, stage: 'title-abstract', trigger: 'child' },
  {
    db,
    config,
    log: { debug() {}, info() {}, warn() {}, error() {} } as never,
    jobId: 'child',
    attempt: 1,
    progress: async () => {},
    enqueue: queue.enqueue,
  },
);
await queue.close();
await db.close();
