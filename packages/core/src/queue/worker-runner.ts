import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { WinnowConfig } from '../config/config.ts';
import type { Db } from '../db/db.types.ts';
import { describeLocation, isPermanent, WinnowError } from '../errors/winnow-error.ts';
import type { Logger } from '../logger.ts';
import type { JobQueue } from './job-queue.ts';
import { QUEUE_NAME } from './job-queue.ts';
import type { JobRegistry } from './job-registry.ts';
import { updateJob } from './jobs.repository.ts';
import { createWorkerRedis } from './redis-connection.ts';

export interface WorkerRunnerOptions {
  config: WinnowConfig;
  db: Db;
  registry: JobRegistry;
  queue: JobQueue;
  log: Logger;
  concurrency?: number;
}

export interface WorkerRunner {
  /** Stops taking jobs and waits for running ones, at most `timeoutMs`, then force-closes. */
  close(timeoutMs?: number): Promise<void>;
}

function messageOf(error: unknown): string {
  if (error instanceof WinnowError) {
    const where = describeLocation(error.details?.location);
    return where ? `${where}: ${error.message}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** How long a job runs before the jobs mirror shows it as 'active' (see process below). */
const ACTIVE_AFTER_MS = 200;

export function startWorkers(opts: WorkerRunnerOptions): WorkerRunner {
  const { config, db, registry, queue, log } = opts;
  const connection = createWorkerRedis(config.redisUrl);
  connection.on('error', (e) => log.debug('worker redis error', { error: e.message }));

  const process = async (job: Job) => {
    const jobId = job.id ?? '';
    let def;
    try {
      def = registry.get(job.name);
    } catch (e) {
      throw new UnrecoverableError((e as Error).message);
    }
    const parsed = def.schema.safeParse(job.data);
    if (!parsed.success) {
      const msg = `Bad payload for ${job.name}: ${parsed.error.issues[0]?.message}`;
      await updateJob(db, jobId, { state: 'failed', error: msg });
      throw new UnrecoverableError(msg);
    }
    const attempt = job.attemptsMade + 1;
    // Most jobs (a reconciliation per vote) finish in milliseconds: writing 'active' for them is one
    // more commit per job that nobody sees. The mirror says 'active' once a job has run for
    // ACTIVE_AFTER_MS or reports progress; the final state is written either way, after any
    // 'active' write in flight (so it can never land last).
    let active: Promise<void> | undefined;
    const markActive = () =>
      (active ??= updateJob(db, jobId, { state: 'active', attempts: attempt, error: null }));
    const timer = setTimeout(() => void markActive().catch(() => {}), ACTIVE_AFTER_MS);
    const settle = async () => {
      clearTimeout(timer);
      await active?.catch(() => {});
    };
    try {
      const result = await def.handler(parsed.data, {
        db,
        config,
        log,
        jobId,
        attempt,
        enqueue: (name, payload, o) => queue.enqueue(name, payload, o),
        progress: async (fraction, message) => {
          const p = Math.max(0, Math.min(1, fraction));
          await markActive();
          await updateJob(db, jobId, { progress: p, message: message ?? null });
          await job.updateProgress(Math.round(p * 100));
        },
      });
      await settle();
      await updateJob(db, jobId, {
        state: 'completed',
        progress: 1,
        attempts: attempt,
        error: null,
        result: result ?? null,
      });
      return result ?? null;
    } catch (error) {
      await settle();
      const msg = messageOf(error);
      const last = attempt >= (job.opts.attempts ?? 1);
      const permanent = isPermanent(error);
      await updateJob(db, jobId, {
        state: permanent || last ? 'failed' : 'retrying',
        attempts: attempt,
        error: msg,
      }).catch(() => {});
      log.error(`job ${job.name} ${jobId} ${permanent ? 'failed' : 'will retry'}`, { error: msg, attempt });
      if (permanent) throw new UnrecoverableError(msg);
      throw error instanceof Error ? error : new Error(msg);
    }
  };

  const worker = new Worker(QUEUE_NAME, process, {
    connection,
    prefix: config.queuePrefix,
    concurrency: opts.concurrency ?? 2,
  });
  worker.on('error', (e) => log.debug('worker error', { error: e.message }));

  return {
    async close(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      // worker.close() has no timeout of its own; a stuck handler must not hang shutdown.
      const outcome = await Promise.race([worker.close().then(() => 'closed' as const), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') await worker.close(true);
      connection.disconnect();
    },
  };
}
