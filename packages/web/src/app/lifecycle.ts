import { assertNoEviction, createWorkerRedis } from '@winnow/core';
import type { Runtime } from './runtime.ts';

export async function checkRedisPolicy(url: string): Promise<void> {
  const redis = createWorkerRedis(url);
  redis.on('error', () => {});
  try {
    await redis.ping();
    await assertNoEviction(redis);
  } finally {
    redis.disconnect();
  }
}

/** On SIGTERM/SIGINT: stop taking work, finish running jobs (bounded), close pools, exit 0. */
export function closeOnSignals(rt: Runtime, extra: () => Promise<void> = async () => {}): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    rt.log.info(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 45_000);
    force.unref();
    await extra().catch(() => {});
    await rt.close().catch((e) => rt.log.error('close failed', { error: (e as Error).message }));
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
