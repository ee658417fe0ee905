import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertNoEviction,
  canReachRedis,
  createLogger,
  createWorkerRedis,
  ensureRedis,
} from '../src/index.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const log = createLogger('silent');

describe('Redis at startup', () => {
  it('starts a private redis-server with append-only files under the data directory when none answers', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'winnow-redis-'));
    expect(await canReachRedis(url, 300)).toBe(false);
    const handle = await ensureRedis(url, dataDir, true, log);
    try {
      expect(handle.stop).toBeDefined();
      const r = createWorkerRedis(url);
      const aof = (await r.call('CONFIG', 'GET', 'appendonly')) as string[];
      const dir = (await r.call('CONFIG', 'GET', 'dir')) as string[];
      expect(aof[1]).toBe('yes');
      expect(dir[1]).toBe(path.join(dataDir, 'redis'));
      await assertNoEviction(r);
      r.disconnect();
    } finally {
      await handle.stop?.();
    }
  });

  it('says how to get Redis when none answers and it may not start one', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(ensureRedis(url, os.tmpdir(), false, log)).rejects.toThrow(
      /No Redis answers at .*apt-get install redis-server/,
    );
  });

  it('refuses a Redis that may evict keys', async () => {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--maxmemory-policy', 'allkeys-lru'],
      {
        stdio: 'ignore',
      },
    );
    try {
      for (let i = 0; i < 50 && !(await canReachRedis(`redis://127.0.0.1:${port}`, 200)); i++)
        await new Promise((r) => setTimeout(r, 100));
      const r = createWorkerRedis(`redis://127.0.0.1:${port}`);
      await expect(assertNoEviction(r)).rejects.toThrow(/noeviction/);
      r.disconnect();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
