// Vote-to-next-record latency with 50 reviewers screening at once over loopback HTTP: a real
// `winnow serve --no-workers` process, a second `winnow serve` process running the job workers
// (reconciliation), a fresh PostgreSQL database and the local Redis. This process plays the reviewers.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { addMember, createApiToken, createReview, createUser } from '@winnow/core';
import { createTestDatabase, waitForQueueIdle } from '@winnow/core/testing';
import { seedRecords } from '../test/screening-fixtures.ts';
import { startServe } from '../test/support/serve-process.ts';

const REVIEWERS = 50;
const RECORDS = 1000; // two votes each: 40 assignments per reviewer
const VOTES_PER_REVIEWER = 30; // with no think time
const PACED_VOTES = 10; // then at a reviewer's pace: one vote every 2-10 s each

/**
 * CPU time (ms) per process group from /proc (Linux; empty elsewhere): the loop is CPU-bound on a
 * small machine, so where the CPU goes per vote says more than the latency alone.
 */
function cpuMs(
  groups: {
    name: string;
    match: (pid: number, cmd: string) => boolean;
    /** Also count the process's exited children (cutime + cstime): backends that ended between readings. */
    exitedChildren?: (cmd: string) => boolean;
  }[],
): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync('/proc/self/stat')) return out;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const group = groups.find((g) => g.match(Number(entry), cmd));
      // utime + stime (and cutime + cstime of exited children where asked), in clock ticks of
      // 10 ms (USER_HZ is 100 on Linux).
      if (group) {
        const children = group.exitedChildren?.(cmd) ? Number(fields[13]) + Number(fields[14]) : 0;
        out.set(
          group.name,
          (out.get(group.name) ?? 0) + (Number(fields[11]) + Number(fields[12]) + children) * 10,
        );
      }
    } catch {
      // The process ended while being read.
    }
  }
  return out;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export default async function (): Promise<string> {
  const database = await createTestDatabase('postgres');
  const env = {
    DATABASE_URL: database.url,
    WINNOW_QUEUE_PREFIX: `bench-screen-${Date.now().toString(36)}`,
    WINNOW_START_REDIS: 'never',
    WINNOW_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'winnow-bench-')),
    WINNOW_LOG: 'error',
  };
  const web = await startServe(env, ['--no-workers']);
  const workers = await startServe(env, ['--concurrency', '4']);
  // node:http with one keep-alive connection per reviewer: this process shares the machine's cores
  // with the servers it measures, and fetch() spends several times the CPU per request.
  let agent = new http.Agent({ keepAlive: true, maxSockets: REVIEWERS + 1 });
  try {
    const db = database.db;
    const review = await createReview(db, { slug: 'bench-screening', title: 'Bench' });
    const lead = await createUser(db, { email: 'lead@bench.test', name: 'Lead', password: 'bench pw long' });
    await addMember(db, { reviewId: review.id, userId: lead.id, role: 'lead' });
    const leadToken = (await createApiToken(db, lead.id, 'bench')).token;
    const tokens: string[] = [];
    for (let i = 0; i < REVIEWERS; i++) {
      const u = await createUser(db, { email: `r${i}@bench.test`, name: `R${i}`, password: 'bench pw long' });
      await addMember(db, { reviewId: review.id, userId: u.id, role: 'reviewer' });
      tokens.push((await createApiToken(db, u.id, 'bench')).token);
    }
    await seedRecords(db, review.id, RECORDS);
    const call = <T>(token: string, method: string, p: string, body?: unknown) =>
      new Promise<{ status: number; body: T }>((resolve, reject) => {
        const payload = body ? JSON.stringify(body) : undefined;
        const req = http.request(
          `${web.url}/api${p}`,
          {
            method,
            agent,
            headers: {
              authorization: `Bearer ${token}`,
              ...(payload
                ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
                : {}),
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => {
              try {
                resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T });
              } catch (e) {
                reject(e as Error);
              }
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    const routeStart = performance.now();
    const routed = await call<{ jobId: string }>(
      leadToken,
      'POST',
      '/reviews/bench-screening/stages/title-abstract/route',
    );
    for (;;) {
      const { rows } = await db.query<{ state: string }>('SELECT state FROM jobs WHERE id = $1', [
        routed.body.jobId,
      ]);
      if (rows[0]?.state === 'completed') break;
      if (rows[0]?.state === 'failed') throw new Error('routing failed');
      await new Promise((r) => setTimeout(r, 100));
    }
    const routeMs = performance.now() - routeStart;

    const base = '/reviews/bench-screening/stages/title-abstract';
    const groups = [
      { name: 'web', match: (pid: number) => pid === web.child.pid },
      { name: 'worker', match: (pid: number) => pid === workers.child.pid },
      // Every PostgreSQL process (backends, WAL writer, checkpointer, the postmaster), and on the
      // postmaster the CPU of backends that exited: a paced reviewer's connection ends between
      // readings, and counting live backends of this database only gave a negative figure.
      // Other databases on the server are idle during the run.
      {
        name: 'PostgreSQL',
        match: (_: number, cmd: string) => cmd.startsWith('postgres:') || /\/bin\/postgres\b/.test(cmd),
        exitedChildren: (cmd: string) => /\/bin\/postgres\b/.test(cmd),
      },
      { name: 'Redis', match: (_: number, cmd: string) => cmd.startsWith('redis-server') },
      { name: 'client', match: (pid: number) => pid === process.pid },
    ];
    const countVotes = async () =>
      (
        await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM decisions WHERE review_id = $1`, [
          review.id,
        ])
      ).rows[0]!.n;
    // The work queued beside the votes: retrains (models saved, and how long each took) and routing runs.
    const background = async () =>
      (
        await db.query<{ models: number; busyMs: number; routed: number }>(
          `SELECT (SELECT count(*)::int FROM prioritisation_models WHERE review_id = $1) AS models,
                  (SELECT coalesce(sum(busy_ms), 0)::int FROM prioritisation_models WHERE review_id = $1) AS "busyMs",
                  (SELECT count(*)::int FROM jobs WHERE review_id = $1 AND name = 'screening.route') AS routed`,
          [review.id],
        )
      ).rows[0]!;
    // One run: every reviewer votes `each` times, waiting `think()` ms before each vote.
    const run = async (each: number, think: () => number) => {
      const voteToNext: number[] = [];
      const nextOnly: number[] = [];
      const votesBefore = await countVotes();
      const backgroundBefore = await background();
      const cpuBefore = cpuMs(groups);
      const started = performance.now();
      await Promise.all(
        tokens.map(async (token, k) => {
          let t = performance.now();
          let next = await call<{ record: { recordId: string } }>(token, 'GET', `${base}/next`);
          nextOnly.push(performance.now() - t);
          for (let i = 0; i < each && next.status === 200; i++) {
            const pause = think();
            if (pause > 0) await new Promise((r) => setTimeout(r, pause));
            t = performance.now();
            const vote = (i + k) % 4 === 0 ? 'exclude' : 'include';
            const cast = await call(token, 'POST', `${base}/decisions`, {
              recordId: next.body.record.recordId,
              vote,
            });
            if (cast.status !== 201)
              throw new Error(`vote failed: ${cast.status} ${JSON.stringify(cast.body)}`);
            next = await call(token, 'GET', `${base}/next`);
            voteToNext.push(performance.now() - t);
          }
        }),
      );
      const wallS = (performance.now() - started) / 1000;
      // Let queued follow-ups (routing, retrains, delayed ones too) finish so their CPU is counted
      // in this phase, then a moment for the processes to settle.
      await waitForQueueIdle(
        { redisUrl: 'redis://127.0.0.1:6379', queuePrefix: env.WINNOW_QUEUE_PREFIX },
        120_000,
      );
      await new Promise((r) => setTimeout(r, 1000));
      const cpuAfter = cpuMs(groups);
      const votes = (await countVotes()) - votesBefore;
      const backgroundAfter = await background();
      const retrains = backgroundAfter.models - backgroundBefore.models;
      const retrainMs = retrains ? (backgroundAfter.busyMs - backgroundBefore.busyMs) / retrains : 0;
      const routingJobs = backgroundAfter.routed - backgroundBefore.routed;
      const perVote = groups
        .filter((g) => cpuAfter.has(g.name))
        .map((g) => ({ name: g.name, ms: (cpuAfter.get(g.name)! - (cpuBefore.get(g.name) ?? 0)) / votes }));
      const servers = perVote.filter((g) => g.name !== 'client').reduce((a, g) => a + g.ms, 0);
      return {
        s: [...voteToNext].sort((a, b) => a - b),
        n: [...nextOnly].sort((a, b) => a - b),
        votes,
        wallS,
        perVote,
        servers,
        retrains,
        retrainMs,
        routingJobs,
      };
    };
    const busy = await run(VOTES_PER_REVIEWER, () => 0);
    // At a pace, connections idle longer than the server's keep-alive timeout (5 s) and it closes them:
    // a new connection per request, as a browser would open after such a pause.
    agent.destroy();
    agent = new http.Agent({ keepAlive: false });
    const paced = await run(PACED_VOTES, () => 2000 + Math.random() * 8000);
    const f = (x: number) => x.toFixed(1);
    const row = (label: string, x: number[]) =>
      `| ${label} | ${x.length} | ${f(pct(x, 50))} | ${f(pct(x, 95))} | ${f(pct(x, 99))} | ${f(x[x.length - 1]!)} |`;
    const cpuOf = (r: typeof busy) =>
      r.perVote.length
        ? `${r.perVote.map((g) => `${g.name} ${g.ms.toFixed(2)}`).join(', ')}; web + worker + PostgreSQL + Redis **${r.servers.toFixed(2)} ms**`
        : 'not measured (no /proc)';
    return `## Screening: vote-to-next-record latency, ${REVIEWERS} concurrent reviewers

${REVIEWERS} reviewers (one bearer token and one keep-alive connection each) vote over loopback HTTP at the same time:
\`POST …/decisions\` then \`GET …/next\`, against \`winnow serve --no-workers\`, with a second \`winnow serve\`
process running the job workers, on PostgreSQL and Redis. ${RECORDS} records × 2 votes are routed first (queued job).
A vote is reconciled in its own transaction (the lean vote path); only routing of the records that reached full text
(one run for all that advanced in the same half second, started half a second after it) and retrains (paced: the next waits until the
model is ten times as old as its retrain took) are queued, and their CPU is counted below. First ${VOTES_PER_REVIEWER} votes each with no think time, then ${PACED_VOTES} each at a reviewer's pace
(a pause of 2–10 s, uniform, before each vote; a new connection per request, as idle ones outlive the server's keep-alive). The screening page prefetches the next records, so what a
reviewer sees after a key press does not wait for this round trip; this table is the server round trip that prefetch hides.

| measure | samples | p50 ms | p95 ms | p99 ms | max ms |
|---|---:|---:|---:|---:|---:|
${row('vote + next, no think time', busy.s)}
${row('vote + next, one vote every 2–10 s each', paced.s)}
${row('first GET next (cold)', busy.n)}

No think time: ${busy.votes} votes in ${busy.wallS.toFixed(1)} s (${(busy.votes / busy.wallS).toFixed(0)} votes/s). At a pace: ${paced.votes} votes in ${paced.wallS.toFixed(1)} s. Routing ${RECORDS} records × 2 over ${REVIEWERS} reviewers: ${(routeMs / 1000).toFixed(1)} s.

CPU per vote + next (ms, utime + stime from /proc/<pid>/stat before the phase and after it, once the queue is idle, delayed jobs included; whole machine ${os.cpus().length} cores; PostgreSQL is every server process plus backends that exited in between, from the postmaster's cutime + cstime; client is this bench process):
- no think time: ${cpuOf(busy)}
- at a pace: ${cpuOf(paced)}

Queued beside the votes: no think time ${busy.retrains} retrains (${busy.retrainMs.toFixed(0)} ms each on average, wall) and ${busy.routingJobs} routing jobs; at a pace ${paced.retrains} retrains (${paced.retrainMs.toFixed(0)} ms each) and ${paced.routingJobs} routing jobs.

Reproduce: \`pnpm bench screening-latency\` (needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379).
`;
  } finally {
    agent.destroy();
    await web.kill();
    await workers.kill();
    await database.drop();
  }
}
