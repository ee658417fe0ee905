import { Redis } from 'ioredis';
import { WinnowError } from '../errors/winnow-error.ts';

/** Workers block on Redis and must never give up on a request (BullMQ requires this). */
export function createWorkerRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/** Producers on the request path fail fast while Redis is down, so the API can answer 503. */
export function createProducerRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
}

export async function canReachRedis(url: string, timeoutMs = 1_500): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  r.on('error', () => {});
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/**
 * BullMQ loses jobs silently when Redis evicts keys. Refuse to start unless the policy is noeviction.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  let policy: string | undefined;
  try {
    const res = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
    policy = res[1];
  } catch {
    const info = await redis.info('memory');
    policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  }
  if (policy && policy !== 'noeviction') {
    throw new WinnowError(
      'UNAVAILABLE',
      `Redis maxmemory-policy is "${policy}"; Winnow needs "noeviction" so queued work is never dropped. ` +
        'Run: redis-cli CONFIG SET maxmemory-policy noeviction',
    );
  }
}
