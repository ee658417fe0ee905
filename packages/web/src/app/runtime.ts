import {
  createJobQueue,
  createLogger,
  JobRegistry,
  openDatabase,
  runConfig,
  startWorkers,
  type Db,
  type JobQueue,
  type Logger,
  type RunConfig,
  type WinnowConfig,
  type WorkerRunner,
} from '@winnow/core';
import { startBlobSweep } from './blob-sweep.ts';
import { JOB_CATALOG } from './job-catalog.ts';

/** Everything a process needs: database, job registry, queue producer and (optionally) workers. */
export interface Runtime {
  /** The configuration given, with the queue prefix resolved (see WinnowConfig.queuePrefix). */
  config: RunConfig;
  db: Db;
  registry: JobRegistry;
  queue: JobQueue;
  log: Logger;
  workers: WorkerRunner | undefined;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Run job workers in this process (serve, worker, CLI commands that wait for jobs). */
  workers?: boolean;
  concurrency?: number;
  /** Use this database instead of opening one from the config (tests). */
  db?: Db;
}

export async function createRuntime(given: WinnowConfig, opts: RuntimeOptions = {}): Promise<Runtime> {
  const log = createLogger(given.log);
  const db = opts.db ?? (await openDatabase(given));
  const config = await runConfig(given, db);
  const registry = new JobRegistry(JOB_CATALOG);
  const queue = createJobQueue(config, db, registry);
  const workers = opts.workers
    ? startWorkers({ config, db, registry, queue, log, concurrency: opts.concurrency })
    : undefined;
  // Worker processes also clean up after crashed uploads; HTTP-only processes leave it to them.
  const blobSweep = opts.workers ? startBlobSweep(db, log) : undefined;
  let closed = false;
  return {
    config,
    db,
    registry,
    queue,
    log,
    workers,
    async close() {
      if (closed) return;
      closed = true;
      await blobSweep?.stop();
      await workers?.close();
      await queue.close();
      if (!opts.db) await db.close();
    },
  };
}
