// Start-up cost of the production build (issue 18), measured against a bare `node -e 0` in the same
// run: `winnow --help` from the build and from the sources through tsx, alternating, and the built
// server's time from process start to its first answer on an existing PGlite data directory.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildServer, WEB_DIR } from '../../../scripts/build-server.ts';

const ROUNDS = 12;
const SERVER_STARTS = 5;
const ROOT = path.resolve(WEB_DIR, '../..');
const BUILT = path.join(WEB_DIR, 'bin/winnow.js');
const SOURCES = path.join(WEB_DIR, 'src/cli/main.ts');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const load = (): string =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

/** Wall time (ms) of one process from spawn to exit; fails on a non-zero exit. */
function timed(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Milliseconds from spawning `winnow serve` to its first successful answer to GET /api/setup. */
async function serverFirstAnswer(env: NodeJS.ProcessEnv): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BUILT, 'serve', '--port', String(port)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`winnow serve exited with ${child.exitCode}: ${stderr}`);
      // /api/setup reads the database: the answer needs the whole server up, not just the socket.
      const ok = await fetch(`http://127.0.0.1:${port}/api/setup`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export default async function startupBench(): Promise<string> {
  const loadBefore = load();
  const built = await buildServer();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'winnow-startup-'));
  const env = {
    ...process.env,
    WINNOW_DATA_DIR: dataDir,
    WINNOW_QUEUE_PREFIX: `startup-${process.pid}`,
    WINNOW_LOG: 'error',
  };
  try {
    // An existing data directory: migrated, with a review and 35 imported records.
    for (const args of [
      ['review', 'create', 'startup'],
      ['import', path.join(ROOT, 'fixtures/demo/medline-ovid.ris'), '--review', 'startup'],
    ]) {
      const r = spawnSync(process.execPath, [BUILT, ...args], { cwd: ROOT, env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`winnow ${args.join(' ')}: ${r.stderr}`);
    }
    const bare: number[] = [];
    const help: number[] = [];
    const helpTsx: number[] = [];
    const bareForServer: number[] = [];
    const server: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      bare.push(await timed(['-e', '0']));
      help.push(await timed([BUILT, '--help']));
      helpTsx.push(await timed(['--import', 'tsx', SOURCES, '--help']));
    }
    for (let i = 0; i < SERVER_STARTS; i++) {
      bareForServer.push(await timed(['-e', '0']));
      server.push(await serverFirstAnswer(env));
    }
    const b = median(bare);
    const s = (ms: number) => (ms / 1000).toFixed(3);
    const row = (what: string, xs: number[], base: number) =>
      `| ${what} | ${xs.length} | ${s(median(xs))} | ${s(Math.min(...xs))} | ${s(Math.max(...xs))} | ${s(median(xs) - base)} |`;
    const helpExtra = median(help) - b;
    const serverExtra = median(server) - median(bareForServer);
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const loadAfter = load();
    return `## Start-up: production build against \`node -e 0\` (issue 18)

\`pnpm build\` bundles the server, CLI and workers (${built.files} files in packages/web/dist/server); \`winnow\` runs
it through packages/web/bin/winnow.js with no TypeScript compiled at start. In one run, alternating, ${ROUNDS} times
each: \`node -e 0\`, the built \`winnow --help\` and \`winnow --help\` from the sources through tsx (\`pnpm winnow\`
without pnpm's own start). Then ${SERVER_STARTS} starts of the built \`winnow serve\` (workers included, as \`pnpm start\`
runs it) on an existing PGlite data directory (migrated, one review, 35 records), each after a \`node -e 0\`:
from spawning the process to the first successful answer to \`GET /api/setup\`, which reads the database.
Wall times in seconds.

| what | runs | median | min | max | median − \`node -e 0\` |
|---|---:|---:|---:|---:|---:|
${row('`node -e 0`', bare, b)}
${row('built `winnow --help`', help, b)}
${row('tsx `winnow --help` (sources)', helpTsx, b)}
${row('`node -e 0` (server rounds)', bareForServer, median(bareForServer))}
${row('built `winnow serve`: first answer', server, median(bareForServer))}

Targets: \`winnow --help\` under 0.3 s more than \`node -e 0\`: ${helpExtra < 300 ? 'met' : 'not met'} (${s(helpExtra)} s; tsx ${s(median(helpTsx) - b)} s).
Server's first answer within 2 s of start: ${median(server) < 2000 ? 'met' : 'not met'} (median ${s(median(server))} s, ${s(serverExtra)} s more than \`node -e 0\`).

Machine: ${os.cpus().length} × ${cpu}, shared with other work; load average (1, 5, 15 min) ${loadBefore} before, ${loadAfter} after.
Reproduce: \`nice -n 5 pnpm bench startup\` (needs Redis on 127.0.0.1:6379).
`;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
