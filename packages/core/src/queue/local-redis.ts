import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { WinnowError } from '../errors/winnow-error.ts';
import type { Logger } from '../logger.ts';
import { canReachRedis } from './redis-connection.ts';

export interface RedisHandle {
  url: string;
  /** Set when this process started a private redis-server; stop it on shutdown. */
  stop?: () => Promise<void>;
}

function onPath(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Uses the Redis at `url` when it answers. Otherwise, when `redis-server` is on the PATH and the URL
 * points at loopback, starts a private one there with its files under the data directory
 * (append-only file on, noeviction), so the quick start needs no setup.
 */
export async function ensureRedis(
  url: string,
  dataDir: string,
  allowStart: boolean,
  log: Logger,
): Promise<RedisHandle> {
  if (await canReachRedis(url)) return { url };
  const parsed = new URL(url);
  const loopback = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(parsed.hostname);
  if (!allowStart || !loopback || !onPath('redis-server')) {
    throw new WinnowError(
      'UNAVAILABLE',
      `No Redis answers at ${url}. Install it (apt-get install redis-server) or set REDIS_URL to a reachable Redis.`,
    );
  }
  const dir = path.join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = parsed.port || '6379';
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      port,
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 50; i++) {
    if (await canReachRedis(url, 300)) {
      log.info(`started a private redis-server on 127.0.0.1:${port} (files in ${dir})`);
      return {
        url,
        stop: async () => {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new WinnowError('UNAVAILABLE', `Started redis-server on port ${port} but it did not answer.`);
}
