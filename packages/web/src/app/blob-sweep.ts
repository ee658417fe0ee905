import { ABANDONED_UPLOAD_MS, deleteAbandonedBlobs, type Db, type Logger } from '@winnow/core';

/** How often a worker process looks for uploads abandoned by a crash. */
export const BLOB_SWEEP_EVERY_MS = 15 * 60 * 1000;

/**
 * Deletes uploads a crashed process left incomplete: once when a worker process starts, then every
 * 15 minutes. Every worker process runs it; the DELETE is idempotent, so several at once are fine.
 */
export function startBlobSweep(
  db: Db,
  log: Logger,
  opts: { everyMs?: number; idleMs?: number } = {},
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = deleteAbandonedBlobs(db, opts.idleMs ?? ABANDONED_UPLOAD_MS)
      .then((n) => {
        if (n > 0) log.info('deleted uploads abandoned by a crash', { blobs: n });
      })
      .catch((error: unknown) => log.error('blob sweep failed', { error: (error as Error).message }));
  };
  sweep();
  const timer = setInterval(sweep, opts.everyMs ?? BLOB_SWEEP_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      // Let a sweep in flight finish before the database closes under it.
      await running;
    },
  };
}
