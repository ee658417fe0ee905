import { Queue } from 'bullmq';
import type { RunConfig } from '../config/config.ts';
import { QUEUE_NAME } from '../queue/job-queue.ts';
import { createWorkerRedis } from '../queue/redis-connection.ts';

/** Jobs not finished yet, by BullMQ state: waiting, running, delayed (retry backoff or a later run). */
interface QueueBacklog {
  waiting: number;
  active: number;
  delayed: number;
}

/**
 * Waits until the test's queue holds no job that is waiting, running or delayed: every job queued so
 * far, and every job those queued in turn, has finished. A handler queues its follow-ups before it
 * finishes, so the queue is never empty while work is left.
 */
export async function waitForQueueIdle(
  config: Pick<RunConfig, 'redisUrl' | 'queuePrefix'>,
  timeoutMs = 30_000,
): Promise<void> {
  const connection = createWorkerRedis(config.redisUrl);
  const queue = new Queue(QUEUE_NAME, { connection, prefix: config.queuePrefix });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const backlog = await queueBacklog(queue);
      if (backlog.waiting + backlog.active + backlog.delayed === 0) return;
      if (Date.now() > deadline)
        throw new Error(`The queue did not drain within ${timeoutMs} ms: ${JSON.stringify(backlog)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

async function queueBacklog(queue: Queue): Promise<QueueBacklog> {
  const c = await queue.getJobCounts('wait', 'prioritized', 'waiting-children', 'active', 'delayed');
  return {
    waiting: (c.wait ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
    active: c.active ?? 0,
    delayed: c.delayed ?? 0,
  };
}
