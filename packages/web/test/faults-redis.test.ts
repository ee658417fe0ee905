import { afterAll, beforeAll, describe, it } from 'vitest';
import { redisOutageScenario } from './support/fault-scenarios.ts';
import { HAS_REDIS_SERVER, startPrivateRedis, type PrivateRedis } from './support/private-services.ts';

if (!HAS_REDIS_SERVER) console.warn('faults-redis: redis-server is not installed; skipped');

// A private Redis: this test kills it, and other test files share the one on 6379.
describe.skipIf(!HAS_REDIS_SERVER)(
  'Redis down for a moment (quick variant; 10 s in faults-redis.stress)',
  () => {
    let redis: PrivateRedis;
    beforeAll(async () => {
      redis = await startPrivateRedis({ persist: true });
    });
    afterAll(async () => {
      await redis?.close();
    });

    it('answers 503 fast while down, keeps every vote, and resumes', { timeout: 90_000 }, async () => {
      await redisOutageScenario(redis, 2_000);
    });
  },
);
