import { Queue, QueueEvents, Job } from 'bullmq';
import type { RunConfig } from '../config/config.ts';
import type { Db } from '../db/db.types.ts';
import { WinnowError } from '../errors/winnow-error.ts';
import type { EnqueueOptions } from './job-definition.ts';
import type { JobRegistry } from './job-registry.ts';
import { recordJobQueued } from './jobs.repository.ts';
import { createProducerRedis, createWorkerRedis } from './redis-connection.ts';

export const QUEUE_NAME = 'jobs';

export interface JobQueue {
  enqueue(name: string, payload: unknown, opts?: EnqueueOptions): Promise<{ jobId: string }>;
  /** Waits for a job to finish; resolves with its result, rejects with its failure reason. */
  waitFor(jobId: string, timeoutMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * The producer side. Validates the payload against the registry before anything is queued, so bad
 * input fails the request, not a worker. While Redis is down, enqueue fails fast with UNAVAILABLE.
 */
export function createJobQueue(config: RunConfig, db: Db, registry: JobRegistry): JobQueue {
  const connection = createProducerRedis(config.redisUrl);
  connection.on('error', () => {});
  const queue = new Queue(QUEUE_NAME, { connection, prefix: config.queuePrefix });
  queue.on('error', () => {});
  let events: QueueEvents | undefined;

  return {
    async enqueue(name, payload, opts = {}) {
      const def = registry.get(name);
      const parsed = def.schema.safeParse(payload);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new WinnowError(
          'VALIDATION',
          `Job ${name}: ${issue?.path.join('.') || 'payload'}: ${issue?.message}`,
        );
      }
      const jobId = opts.jobId ?? def.jobId(parsed.data);
      if (jobId.includes(':')) throw new Error(`Job id ${jobId} contains ':'`);
      await recordJobQueued(db, {
        id: jobId,
        reviewId: def.reviewId(parsed.data),
        name,
        payload: parsed.data,
      });
      try {
        await queue.add(name, parsed.data, {
          jobId,
          attempts: def.attempts ?? 5,
          backoff: { type: 'exponential', delay: 1_000 },
          delay: opts.delayMs,
          removeOnComplete: { age: 3_600, count: 5_000 },
          removeOnFail: { age: 7 * 86_400 },
        });
        // BullMQ keeps a failed job (removeOnFail) and add() leaves it failed, while the mirror above
        // says a re-sent failed job is queued again: run it again, so the dashboard's "waiting" is true.
        if ((await queue.getJobState(jobId)) === 'failed')
          await (await Job.fromId(queue, jobId))?.retry('failed');
      } catch (error) {
        throw new WinnowError(
          'UNAVAILABLE',
          `The job queue (Redis at ${config.redisUrl}) is not reachable: ${(error as Error).message}`,
        );
      }
      return { jobId };
    },
    async waitFor(jobId, timeoutMs = 10 * 60_000) {
      if (!events) {
        events = new QueueEvents(QUEUE_NAME, {
          connection: createWorkerRedis(config.redisUrl),
          prefix: config.queuePrefix,
        });
        events.on('error', () => {});
        await events.waitUntilReady();
      }
      const ev = events;
      const job = await Job.fromId(queue, jobId);
      if (!job)
        throw new WinnowError(
          'NOT_FOUND',
          'This job is not in the queue (it finished long ago or never existed)',
        );
      // The job's state in Redis is the answer; queue events only wake the wait early. (QueueEvents
      // starts reading its stream at '$' only once its first XREAD runs, so an event can be missed
      // just after start-up; the state is read again every POLL_MS in any case.) The listeners are
      // removed however the wait ends, so many waits leave nothing behind.
      const deadline = Date.now() + timeoutMs;
      let wake: (() => void) | undefined;
      const onEvent = (e: { jobId: string }) => {
        if (e.jobId === jobId) wake?.();
      };
      ev.on('completed', onEvent);
      ev.on('failed', onEvent);
      try {
        for (;;) {
          const outcome = await finishedOutcome(queue, jobId);
          if (outcome?.state === 'completed') return outcome.value;
          if (outcome?.state === 'failed') throw new WinnowError('BAD_REQUEST', outcome.reason);
          const left = deadline - Date.now();
          if (left <= 0)
            throw new WinnowError('UNAVAILABLE', `Job ${jobId} did not finish within ${timeoutMs} ms`);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(POLL_MS, left));
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
      } finally {
        ev.off('completed', onEvent);
        ev.off('failed', onEvent);
      }
    },
    async close() {
      await events?.close();
      await queue.close();
      connection.disconnect();
    },
  };
}

const POLL_MS = 1_000;

type Outcome = { state: 'completed'; value: unknown } | { state: 'failed'; reason: string };

/** The job's result once it has completed, its reason once it has failed for good; else null. */
async function finishedOutcome(queue: Queue, jobId: string): Promise<Outcome | null> {
  // A Redis hiccup here, or a job already removed, leaves the answer to the next look.
  const state = await queue.getJobState(jobId).catch(() => 'unknown');
  if (state !== 'completed' && state !== 'failed') return null;
  const job = await Job.fromId(queue, jobId).catch(() => undefined);
  if (!job) return null;
  if (state === 'completed') return { state, value: job.returnvalue };
  return { state, reason: job.failedReason || `Job ${jobId} failed` };
}
