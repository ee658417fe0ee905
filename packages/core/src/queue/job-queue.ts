import { Queue, QueueEvents, Job } from 'bullmq';
import type { WinnowConfig } from '../config/config.ts';
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
export function createJobQueue(config: WinnowConfig, db: Db, registry: JobRegistry): JobQueue {
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
      const job = await Job.fromId(queue, jobId);
      if (!job) throw new WinnowError('NOT_FOUND', `Job ${jobId} is not in the queue`);
      // QueueEvents starts reading its stream at '$' only once its first XREAD runs, after
      // waitUntilReady() has resolved: a job that finishes in that gap sends an event nobody
      // reads, and waitUntilFinished() would wait for the whole timeout. A slow poll of the job's
      // state closes that gap.
      const poll = { stop: false };
      try {
        return await Promise.race([
          job.waitUntilFinished(events, timeoutMs),
          pollUntilFinished(queue, jobId, poll),
        ]);
      } catch (error) {
        const message = (error as Error).message;
        throw new WinnowError(message.startsWith('Job wait') ? 'UNAVAILABLE' : 'BAD_REQUEST', message);
      } finally {
        poll.stop = true;
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

/** Resolves with the job's result once it has completed, rejects once it has failed for good. */
async function pollUntilFinished(queue: Queue, jobId: string, poll: { stop: boolean }): Promise<unknown> {
  while (!poll.stop) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    if (poll.stop) break;
    const state = await queue.getJobState(jobId).catch(() => 'unknown');
    if (state !== 'completed' && state !== 'failed') continue;
    // A Redis hiccup here, or a job already removed, leaves the answer to the next poll or the event.
    const job = await Job.fromId(queue, jobId).catch(() => undefined);
    if (!job) continue;
    if (state === 'completed') return job.returnvalue;
    throw new Error(job.failedReason || `Job ${jobId} failed`);
  }
  // The other side of the race settled first; this promise is no longer observed.
  return new Promise(() => {});
}
