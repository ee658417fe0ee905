import { afterAll, beforeAll, describe, it } from 'vitest';
import { redisOutageScenario } from './support/fault-scenarios.ts';
import { HAS_REDIS_SERVER, startPrivateRedis, type PrivateRedis } from './support/private-services.ts';

if (!HAS_REDIS_SERVER) console.warn('faults-redis.stress: redis-server is not installed; skipped');

describe.skipIf(!HAS_REDIS_SERVER)('Redis stopped for 10 s and restarted', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis({ persist: true });
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('answers 503 fast while down, keeps every vote, and workers resume', { timeout: 180_000 }, async () => {
    await redisOutageScenario(redis, 10_000);
  });
});
