import { checkRedisPolicy, closeOnSignals } from '../../app/lifecycle.ts';
import { command } from '../command.ts';

export const workerCommand = command({
  name: 'worker',
  summary: 'Run job workers only (add machines: many workers against one PostgreSQL and one Redis)',
  options: { concurrency: { type: 'string', description: 'Jobs run at once (default 2)' } },
  needs: 'none',
  longRunning: true,
  async run({ config, opts }) {
    const { createRuntime } = await import('../../app/runtime.ts');
    const { ensureRedis, createLogger } = await import('@winnow/core');
    const redis = await ensureRedis(config.redisUrl, config.dataDir, false, createLogger(config.log));
    await checkRedisPolicy(redis.url);
    const concurrency = typeof opts.concurrency === 'string' ? Number(opts.concurrency) : 2;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error('--concurrency must be a whole number >= 1');
    const rt = await createRuntime(config, { workers: true, concurrency });
    closeOnSignals(rt);
    process.stderr.write(
      `winnow worker running ${rt.registry.names().length} job types, concurrency ${concurrency}\n`,
    );
    return { concurrency };
  },
});
