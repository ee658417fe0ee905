import { checkRedisPolicy, closeOnSignals } from '../../app/lifecycle.ts';
import { command } from '../command.ts';

export const workerCommand = command({
  name: 'worker',
  summary: 'Run job workers only (add machines: many workers against one PostgreSQL and one Redis)',
  options: { concurrency: { type: 'string', description: 'Jobs run at once (default 2)' } },
  needs: 'workers',
  longRunning: true,
  mayStartRedis: false,
  async run({ rt, opts }) {
    await checkRedisPolicy(rt.config.redisUrl);
    closeOnSignals(rt);
    // run-cli has checked --concurrency and started the workers with it (default 2).
    const concurrency = typeof opts.concurrency === 'string' ? Number(opts.concurrency) : 2;
    process.stderr.write(
      `winnow worker running ${rt.registry.names().length} job types, concurrency ${concurrency}\n`,
    );
    return { concurrency };
  },
});
