import v8 from 'node:v8';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RunConfig } from '../config/config.ts';
import type { Db } from '../db/db.types.ts';
import { describeLocation, isPermanent, WinnowError } from '../errors/winnow-error.ts';
import type { Logger } from '../logger.ts';
import type { JobQueue } from './job-queue.ts';
import { QUEUE_NAME } from './job-queue.ts';
import type { JobRegistry } from './job-registry.ts';
import { markJobStalled, updateJob } from './jobs.repository.ts';
import { createWorkerRedis } from './redis-connection.ts';

export interface WorkerRunnerOptions {
  config: RunConfig;
  db: Db;
  registry: JobRegistry;
  queue: JobQueue;
  log: Logger;
  concurrency?: number;
  /**
   * BullMQ's lock and stalled-check timing (defaults 30 s each). Tests shorten them to see a stall
   * in seconds; production keeps the defaults.
   */
  timing?: { lockDurationMs?: number; stalledIntervalMs?: number };
}

export interface WorkerRunner {
  /** Stops taking jobs and waits for running ones, at most `timeoutMs`, then force-closes. */
  close(timeoutMs?: number): Promise<void>;
}

function messageOf(error: unknown): string {
  if (error instanceof WinnowError) {
    const loc = error.details?.location;
    // A message that already names its file ("x.json: format not recognised…") is not told it twice.
    const named = !!loc?.file && error.message.startsWith(`${loc.file}:`);
    const where = describeLocation(named ? { ...loc, file: undefined } : loc);
    return where ? `${where}: ${error.message}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** How long a job runs before the jobs mirror shows it as 'active' (see process below). */
const ACTIVE_AFTER_MS = 200;

/**
 * A job whose worker stopped under it (the process died, was killed, ran out of memory, or its event
 * loop was blocked past the lock) is delivered again once: a restart or deploy must not lose work.
 * If it stops a worker a second time it is failed for good rather than retried into the same
 * crash (BullMQ's maxStalledCount; the failure reaches the jobs table through the 'failed' event).
 */
export const MAX_STALLS = 1;

/** The share of the heap limit a job may use, checked when it reports progress, before it is stopped. */
const HEAP_SHARE = 0.85;

const STALLED_AGAIN =
  'Stopped: this job took down the worker running it twice (the process ended, for instance out of memory, ' +
  'or was busy too long to keep its lock), so it is not run again';
const STALLED_ONCE = 'The worker running this job stopped before it finished; it will run again';

/** Throws when the process is close to its heap limit, so a job fails before it takes the worker down. */
function checkHeap(): void {
  const { used_heap_size: used, heap_size_limit: limit } = v8.getHeapStatistics();
  if (used > HEAP_SHARE * limit)
    throw new WinnowError(
      'PAYLOAD_TOO_LARGE',
      `Stopped: this job used ${Math.round(used / 2 ** 20)} MiB, close to the worker's memory limit of ${Math.round(limit / 2 ** 20)} MiB`,
    );
}

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
          checkHeap();
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
      if (permanent || last) await failed(job, msg);
      if (permanent) throw new UnrecoverableError(msg);
      throw error instanceof Error ? error : new Error(msg);
    }
  };

  /** The definition's own clean-up for a job failed for good (an import marked failed, ...). */
  const failed = async (job: Job, reason: string): Promise<void> => {
    const def = registry.names().includes(job.name) ? registry.get(job.name) : undefined;
    const parsed = def?.schema.safeParse(job.data);
    if (!def?.onFailed || !parsed?.success) return;
    await def
      .onFailed(parsed.data, { db, log, reason })
      .catch((e: Error) =>
        log.error(`job ${job.name} ${job.id}: clean-up after failure failed`, { error: e.message }),
      );
  };

  const worker = new Worker(QUEUE_NAME, process, {
    connection,
    prefix: config.queuePrefix,
    concurrency: opts.concurrency ?? 2,
    maxStalledCount: MAX_STALLS,
    // Only when given: BullMQ takes an explicit `undefined` over its default and refuses it.
    ...(opts.timing?.lockDurationMs ? { lockDuration: opts.timing.lockDurationMs } : {}),
    ...(opts.timing?.stalledIntervalMs ? { stalledInterval: opts.timing.stalledIntervalMs } : {}),
  });
  worker.on('error', (e) => log.debug('worker error', { error: e.message }));
  // A stalled job goes back to the queue (the mirror says so), and past MAX_STALLS BullMQ fails it
  // the next time a worker takes it, without calling process above: only this event tells the mirror.
  worker.on('stalled', (jobId) => {
    void markJobStalled(db, jobId, STALLED_ONCE).catch(() => {});
    log.error(`job ${jobId} stalled: its worker stopped before it finished`);
  });
  worker.on('failed', (job, error) => {
    if (!job?.id || !job.deferredFailure) return;
    void (async () => {
      await updateJob(db, job.id!, { state: 'failed', error: STALLED_AGAIN });
      await failed(job, STALLED_AGAIN);
      log.error(`job ${job.name} ${job.id} failed: stalled more than ${MAX_STALLS} time(s)`, {
        error: error.message,
      });
    })().catch(() => {});
  });

  return {
    async close(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      // worker.close() has no timeout of its own; a stuck handler must not hang shutdown.
      const outcome = await Promise.race([worker.close().then(() => 'closed' as const), timeout]);
      clearTimeout(timer);
      // BullMQ's close(true) hands back the graceful close already under way, so it cannot cut a
      // stuck handler short. Dropping the connection stops the job's lock renewals instead: it
      // stalls to another worker as if this process had died.
      if (outcome === 'timeout') void worker.close(true).catch(() => {});
      connection.disconnect();
    },
  };
}
