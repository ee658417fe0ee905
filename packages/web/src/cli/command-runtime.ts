import { createLogger, ensureRedis, loadConfig, WinnowError, type WinnowConfig } from '@winnow/core';
import { createRuntime, type Runtime } from '../app/runtime.ts';
import type { CommandContext, CommandDef } from './command.ts';

/**
 * The configuration and, for a command that needs them, the database and queue (and job workers).
 * run-cli loads this module only when a command runs, so `--help` and argument errors answer
 * without loading the database and queue libraries.
 */
export async function openCommandRuntime(
  def: CommandDef,
  opts: CommandContext['opts'],
  env?: Record<string, string | undefined>,
): Promise<{ config: WinnowConfig; rt: Runtime | undefined }> {
  const config: WinnowConfig = loadConfig(env);
  if (def.needs === 'none') return { config, rt: undefined };
  const redis = await ensureRedis(
    config.redisUrl,
    config.dataDir,
    config.startRedis && def.longRunning === true && def.mayStartRedis !== false,
    createLogger(config.log),
  );
  const concurrency = typeof opts.concurrency === 'string' ? Number(opts.concurrency) : undefined;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new WinnowError('VALIDATION', '--concurrency must be a whole number >= 1');
  }
  const rt = await createRuntime(
    { ...config, redisUrl: redis.url },
    { workers: def.needs === 'workers' && opts['no-workers'] !== true, concurrency },
  );
  if (redis.stop) {
    const close = rt.close.bind(rt);
    rt.close = async () => {
      await close();
      await redis.stop?.();
    };
  }
  return { config, rt };
}
