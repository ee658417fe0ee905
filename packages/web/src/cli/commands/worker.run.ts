import { checkRedisPolicy, closeOnSignals } from '../../app/lifecycle.ts';
import type { CommandContext } from '../command.ts';

export async function runWorker({ rt, opts }: CommandContext) {
  await checkRedisPolicy(rt.config.redisUrl);
  closeOnSignals(rt);
  // run-cli has checked --concurrency and started the workers with it (default 2).
  const concurrency = typeof opts.concurrency === 'string' ? Number(opts.concurrency) : 2;
  process.stderr.write(
    `winnow worker running ${rt.registry.names().length} job types, concurrency ${concurrency}\n`,
  );
  return { concurrency };
}
