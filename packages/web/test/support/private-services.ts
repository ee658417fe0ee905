import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Private Redis and PostgreSQL servers for fault tests. Fault tests stop and restart their
 * servers, so they must never touch the shared ones on 6379/5432 that other test files use.
 */

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not come up within ${ms} ms`);
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

export interface PrivateRedis {
  port: number;
  url: string;
  /** Stops the server (SIGKILL by default: no goodbye to clients, like a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port (empty: it keeps no data on disk). */
  start(): Promise<void>;
  running(): boolean;
  close(): Promise<void>;
}

export const HAS_REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0;

/**
 * A redis-server on a free loopback port. With `persist`, an append-only file fsynced on every
 * write (as a production Redis for queues should be), so queued jobs survive a crash and restart.
 */
export async function startPrivateRedis(opts: { persist?: boolean } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-redis-'));
  const persistence = opts.persist
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]
    : ['--appendonly', 'no', '--dir', dir];
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--protected-mode',
        'yes',
        ...persistence,
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => portOpen(port), `redis-server on ${port}`);
  };
  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const c = child;
    child = undefined;
    if (!c) return;
    c.kill(signal);
    await exited(c);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    running: () => child !== undefined,
    async close() {
      await stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgres {
  port: number;
  /** Connection string of the `postgres` database (trust auth, loopback only). */
  url: string;
  /** pg_ctl stop -m immediate by default: like a crash, recovery on the next start. */
  stop(mode?: 'immediate' | 'fast'): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function pgBin(name: string): string | undefined {
  const root = '/usr/lib/postgresql';
  try {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    return versions.length ? path.join(root, versions[0]!, 'bin', name) : undefined;
  } catch {
    return undefined;
  }
}

const AS_POSTGRES = process.getuid?.() === 0;
export const HAS_POSTGRES_BINARIES = pgBin('initdb') !== undefined;

function run(cmd: string, args: string[]): void {
  const [bin, argv] = AS_POSTGRES ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(bin, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
}

/** A throw-away PostgreSQL cluster in a temp dir on a free port (run as user postgres when root). */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const initdb = pgBin('initdb')!;
  const pgCtl = pgBin('pg_ctl')!;
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  if (AS_POSTGRES) spawnSync('chown', ['postgres', dir]);
  run(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = async () => {
    run(pgCtl, ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
    await waitFor(() => portOpen(port), `postgres on ${port}`);
  };
  const stop = async (mode: 'immediate' | 'fast' = 'immediate') => {
    run(pgCtl, ['-D', data, '-m', mode, '-w', 'stop']);
  };
  await start();
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async close() {
      try {
        await stop('fast');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
