import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addMember, createApiToken, createReview, createUser } from '@winnow/core';
import { createTestDatabase } from '@winnow/core/testing';
import { seedRecords } from '../test/screening-fixtures.ts';
import { CLI_MAIN, REPO_ROOT } from '../test/support/cli.ts';
import { startServe } from '../test/support/serve-process.ts';

export interface LoadOptions {
  reviewers: number;
  /** Records in the export imported (then de-duplicated) while reviewers vote. */
  importRecords: number;
  /** Records the reviewers screen. */
  screenRecords: number;
  /** Stop voting after this long even if the jobs are still running. */
  maxSeconds: number;
}

export interface LoadResult {
  options: LoadOptions;
  requests: number;
  votes: number;
  errors: number;
  errorSamples: string[];
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Seconds from upload to import completed, and to dedup completed (null: did not finish). */
  importSeconds: number | null;
  dedupSeconds: number | null;
  /** Jobs that stalled: re-delivered after losing their lock (attempts > 1), or failed. */
  stalled: string[];
  /** Longest time an active job went without a progress update, per job name (s). */
  quietSeconds: Record<string, number>;
  seconds: number;
}

/** Seeded words so titles differ the way real ones do (near-identical titles would make every record a candidate pair). */
function words(seed: number): () => string {
  let x = seed >>> 0;
  const rnd = () => (x = (Math.imul(x ^ (x >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32;
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const vocab = Array.from({ length: 8000 }, () =>
    Array.from({ length: 3 + Math.floor(rnd() * 8) }, () => letters[Math.floor(rnd() * 26)]).join(''),
  );
  return () => vocab[Math.floor(rnd() * vocab.length)]!;
}

export function exportOf(n: number): string {
  const word = words(20261122);
  const made: string[] = [];
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) {
    // A quarter are the same report exported again (same DOI, same text) two records later.
    if (i % 4 === 0 && made[i - 3]) {
      parts.push(made[i - 3]!);
      continue;
    }
    const title = Array.from({ length: 7 + (i % 9) }, word).join(' ');
    const authors = Array.from(
      { length: 1 + (i % 5) },
      () => `AU  - ${word()}, ${word()[0]!.toUpperCase()}.`,
    ).join('\n');
    const rec = `TY  - JOUR\nTI  - ${title}\n${authors}\nPY  - ${1995 + (i % 30)}\nJO  - Journal of ${word()} ${word()}\nVL  - ${i % 50}\nSP  - ${i % 900}\nDO  - 10.7777/load.${i}\nER  - \n`;
    made[i - 1] = rec;
    parts.push(rec);
  }
  return parts.join('\n');
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;

/**
 * `winnow serve --no-workers` and one `winnow worker` as child processes on a fresh PostgreSQL
 * database and the local Redis; this process plays the reviewers over loopback HTTP.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const database = await createTestDatabase('postgres');
  const db = database.db;
  const prefix = `load-${Date.now().toString(36)}`;
  const env = {
    DATABASE_URL: database.url,
    WINNOW_QUEUE_PREFIX: prefix,
    WINNOW_START_REDIS: 'never',
    WINNOW_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'winnow-load-')),
    WINNOW_LOG: 'error',
    WINNOW_UPLOAD_MAX_BYTES: String(512 * 1024 * 1024),
  };
  const children: ChildProcess[] = [];
  const serve = await startServe(env, ['--no-workers']);
  // `winnow worker` exits right after it starts (reported); a second `winnow serve` runs the workers.
  const worker = spawn(
    process.execPath,
    ['--import', 'tsx', CLI_MAIN, 'serve', '--port', '0', '--concurrency', '3'],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: 'ignore',
    },
  );
  children.push(serve.child, worker);
  try {
    const lead = await createUser(db, { email: 'lead@load.test', name: 'Lead', password: 'load test pw' });
    const leadToken = (await createApiToken(db, lead.id, 'load')).token;
    const screen = await createReview(db, { slug: 'load-screen', title: 'Load: screening' });
    const imports = await createReview(db, { slug: 'load-import', title: 'Load: import and dedup' });
    for (const r of [screen, imports]) await addMember(db, { reviewId: r.id, userId: lead.id, role: 'lead' });
    const tokens: string[] = [];
    for (let i = 0; i < options.reviewers; i++) {
      const u = await createUser(db, {
        email: `r${i}@load.test`,
        name: `Reviewer ${i}`,
        password: 'load test pw',
      });
      await addMember(db, { reviewId: screen.id, userId: u.id, role: 'reviewer' });
      tokens.push((await createApiToken(db, u.id, 'load')).token);
    }
    await seedRecords(db, screen.id, options.screenRecords);

    const call = async (token: string, method: string, p: string, body?: unknown) => {
      const res = await fetch(`${serve.url}/api${p}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined
            ? {}
            : { 'content-type': typeof body === 'string' ? 'application/octet-stream' : 'application/json' }),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text };
    };
    const routed = await call(leadToken, 'POST', '/reviews/load-screen/stages/title-abstract/route');
    if (routed.status >= 300) throw new Error(`route: ${routed.status} ${routed.text}`);
    const { jobId: routeJob } = JSON.parse(routed.text) as { jobId: string };
    for (;;) {
      const { rows } = await db.query<{ state: string }>('SELECT state FROM jobs WHERE id = $1', [routeJob]);
      if (rows[0]?.state === 'completed') break;
      if (rows[0]?.state === 'failed') throw new Error('routing failed');
      await new Promise((r) => setTimeout(r, 200));
    }

    // The import starts; reviewers start voting at once.
    const started = Date.now();
    const up = await call(
      leadToken,
      'POST',
      '/reviews/load-import/imports?fileName=load.ris',
      exportOf(options.importRecords),
    );
    if (up.status !== 202) throw new Error(`upload: ${up.status} ${up.text}`);
    let importSeconds: number | null = null;
    let dedupSeconds: number | null = null;
    const stalled = new Set<string>();
    const lastProgress = new Map<string, { progress: number; at: number }>();
    const quiet: Record<string, number> = {};
    let stop = false;
    const monitor = (async () => {
      while (!stop) {
        const { rows } = await db.query<{
          id: string;
          name: string;
          state: string;
          attempts: number;
          progress: number;
        }>(`SELECT id, name, state, attempts, progress FROM jobs WHERE review_id = $1`, [imports.id]);
        for (const j of rows) {
          if (j.attempts > 1) stalled.add(`${j.name} re-delivered (attempt ${j.attempts})`);
          if (j.state === 'active') {
            const last = lastProgress.get(j.id);
            if (!last || last.progress !== j.progress)
              lastProgress.set(j.id, { progress: j.progress, at: Date.now() });
            else quiet[j.name] = Math.max(quiet[j.name] ?? 0, (Date.now() - last.at) / 1000);
          }
          if (j.name === 'ingest.import' && j.state === 'completed' && importSeconds === null)
            importSeconds = (Date.now() - started) / 1000;
          if (j.name === 'dedup.run' && j.state === 'completed' && dedupSeconds === null)
            dedupSeconds = (Date.now() - started) / 1000;
          if (j.state === 'failed') stalled.add(`${j.name} failed`);
        }
        if (dedupSeconds !== null || Date.now() - started > options.maxSeconds * 1000) stop = true;
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    const latencies: number[] = [];
    const errorSamples: string[] = [];
    let errors = 0;
    let votes = 0;
    const timed = async (token: string, method: string, p: string, body?: unknown) => {
      const t = performance.now();
      const r = await call(token, method, p, body).catch((e: Error) => ({ status: 0, text: e.message }));
      latencies.push(performance.now() - t);
      if (r.status === 0 || r.status >= 400) {
        errors++;
        if (errorSamples.length < 5)
          errorSamples.push(`${method} ${p} -> ${r.status} ${r.text.slice(0, 120)}`);
      }
      return r;
    };
    const reviewer = async (token: string, i: number) => {
      let n = 0;
      while (!stop) {
        const next = await timed(token, 'GET', '/reviews/load-screen/stages/title-abstract/next');
        if (next.status === 204) break;
        if (next.status !== 200) continue;
        const { record } = JSON.parse(next.text) as { record: { recordId: string } };
        // A reviewer reads for a moment; this keeps 50 reviewers realistic rather than a flood.
        await new Promise((r) => setTimeout(r, 50 + ((i * 37 + n) % 100)));
        const v = await timed(token, 'POST', '/reviews/load-screen/stages/title-abstract/decisions', {
          recordId: record.recordId,
          vote: (i + n) % 3 === 0 ? 'exclude' : 'include',
        });
        if (v.status === 201) votes++;
        n++;
      }
    };
    await Promise.all(tokens.map((t, i) => reviewer(t, i)));
    await monitor;
    const sorted = latencies.sort((a, b) => a - b);
    return {
      options,
      requests: latencies.length,
      votes,
      errors,
      errorSamples,
      p50: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      p99: quantile(sorted, 0.99),
      max: sorted[sorted.length - 1] ?? NaN,
      importSeconds,
      dedupSeconds,
      stalled: [...stalled],
      quietSeconds: quiet,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(
      children.map(
        (c) =>
          new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r))),
      ),
    );
    await database.drop();
  }
}

export function loadMarkdown(r: LoadResult): string {
  const f = (x: number) => x.toFixed(1);
  return `## Load: ${r.options.reviewers} reviewers voting during a ${r.options.importRecords.toLocaleString('en')}-record import and dedup

\`winnow serve --no-workers\` and a worker process (\`winnow serve --concurrency 3\`) as child processes on PostgreSQL and
Redis over loopback. Each reviewer loops: GET next record, pause 50-150 ms, POST a vote. Voting runs from
the upload until dedup completes (cap ${r.options.maxSeconds} s). Latency is per request, seen by the client.
A job counts as stalled when BullMQ re-delivers it (its lock was lost) or it fails.

| reviewers | requests | votes | errors | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | import done (s) | dedup done (s) | stalled jobs | longest gap between progress updates |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|
| ${r.options.reviewers} | ${r.requests} | ${r.votes} | ${r.errors} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.max)} | ${r.importSeconds === null ? 'not finished' : f(r.importSeconds)} | ${r.dedupSeconds === null ? 'not finished' : f(r.dedupSeconds)} | ${r.stalled.length ? r.stalled.join('; ') : 'none'} | ${
    Object.entries(r.quietSeconds)
      .map(([k, v]) => `${k} ${v.toFixed(0)} s`)
      .join(', ') || '-'
  } |
${r.errorSamples.length ? `\nFirst errors: ${r.errorSamples.map((e) => `\`${e}\``).join(', ')}\n` : ''}
Reproduce: \`pnpm bench load\` (needs PostgreSQL on 5432 and Redis on 6379).`;
}

export default async function (): Promise<string> {
  const r = await runLoad({ reviewers: 50, importRecords: 100_000, screenRecords: 20_000, maxSeconds: 480 });
  return loadMarkdown(r);
}
