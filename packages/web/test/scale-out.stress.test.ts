import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addMember, createApiToken, createReview, createUser } from '@winnow/core';
import { createTestDatabase } from '@winnow/core/testing';
import { exportOf } from '../bench/load.bench.ts';
import { seedRecords, waitUntil } from './screening-fixtures.ts';
import { startServe, startWorker, type ServeProcess } from './support/serve-process.ts';
import { startRoundRobinProxy, type RoundRobinProxy } from './support/round-robin-proxy.ts';

/**
 * Scaling out: two web processes behind a loopback round-robin proxy and two worker processes share
 * one PostgreSQL and one Redis while 50 reviewers screen and a 100k-record import and its dedup run.
 * The same workload then runs on one process (web and workers together). Every vote is decided by
 * the record alone, so both runs must end in the same state: no acknowledged vote lost, no job
 * applied twice (the event log's counts by type are equal), and equal PRISMA counts.
 */
const REVIEWERS = 50;
const SCREEN_RECORDS = 1_000;
const IMPORT_RECORDS = 100_000;
/**
 * Events whose number depends on timing, not on what was decided: retrains happen when due, and one
 * assignment event covers a routing round, whose size depends on when reviewers ask for records.
 * What those rounds must add up to is checked on the votes themselves (two reviewers per record).
 */
const TIMING_EVENTS = new Set(['prioritisation.retrained', 'prioritisation.ranked', 'assignment.created']);

interface RunResult {
  acknowledged: number;
  errors: string[];
  votesStored: number;
  recordsWithoutTwoVotes: number;
  importedRecords: number;
  eventsByType: Record<string, number>;
  duplicateEffects: string[];
  prisma: { screen: unknown; imports: unknown };
  connections: number[];
  failedJobs: string[];
}

async function run(scaled: boolean): Promise<RunResult> {
  const database = await createTestDatabase('postgres');
  const db = database.db;
  const env = {
    DATABASE_URL: database.url,
    WINNOW_QUEUE_PREFIX: `scale-${scaled ? 'out' : 'one'}-${Date.now().toString(36)}`,
    WINNOW_START_REDIS: 'never',
    WINNOW_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'winnow-scale-')),
    WINNOW_UPLOAD_MAX_BYTES: String(512 * 1024 * 1024),
  };
  const processes: ServeProcess[] = [];
  let proxy: RoundRobinProxy | null = null;
  try {
    if (scaled) {
      const webs = await Promise.all([startServe(env, ['--no-workers']), startServe(env, ['--no-workers'])]);
      const workers = await Promise.all([startWorker(env), startWorker(env)]);
      processes.push(...webs, ...workers);
      proxy = await startRoundRobinProxy(webs.map((w) => w.url));
    } else {
      processes.push(await startServe(env));
    }
    const base = proxy ? proxy.url : processes[0]!.url;

    const lead = await createUser(db, { email: 'lead@scale.test', name: 'Lead', password: 'scale test pw' });
    const leadToken = (await createApiToken(db, lead.id, 'scale')).token;
    const screen = await createReview(db, { slug: 'scale-screen', title: 'Scale: screening' });
    const imports = await createReview(db, { slug: 'scale-import', title: 'Scale: import and dedup' });
    for (const r of [screen, imports]) await addMember(db, { reviewId: r.id, userId: lead.id, role: 'lead' });
    const tokens: string[] = [];
    for (let i = 0; i < REVIEWERS; i++) {
      const u = await createUser(db, {
        email: `r${i}@scale.test`,
        name: `Reviewer ${i}`,
        password: 'scale test pw',
      });
      await addMember(db, { reviewId: screen.id, userId: u.id, role: 'reviewer' });
      tokens.push((await createApiToken(db, u.id, 'scale')).token);
    }
    await seedRecords(db, screen.id, SCREEN_RECORDS);
    const { rows: parts } = await db.query<{ id: string; source_index: number }>(
      'SELECT id, source_index FROM records WHERE review_id = $1',
      [screen.id],
    );
    const partOf = new Map(parts.map((p) => [p.id, p.source_index]));

    const errors: string[] = [];
    const call = async (token: string, method: string, p: string, body?: unknown) => {
      const res = await fetch(`${base}/api${p}`, {
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
      if (res.status >= 400 && errors.length < 10)
        errors.push(`${method} ${p} -> ${res.status} ${text.slice(0, 160)}`);
      return { status: res.status, text };
    };

    const routed = await call(leadToken, 'POST', '/reviews/scale-screen/stages/title-abstract/route');
    const { jobId: routeJob } = JSON.parse(routed.text) as { jobId: string };
    await waitUntil(
      async () =>
        (await db.query<{ state: string }>('SELECT state FROM jobs WHERE id = $1', [routeJob])).rows[0]
          ?.state === 'completed',
      120_000,
      'routing',
    );

    const up = await call(
      leadToken,
      'POST',
      '/reviews/scale-import/imports?fileName=scale.ris',
      exportOf(IMPORT_RECORDS),
    );
    expect(up.status).toBe(202);

    // Each vote is a function of the record alone, so outcomes do not depend on who got which record.
    let acknowledged = 0;
    const reviewer = async (token: string) => {
      for (;;) {
        const next = await call(token, 'GET', '/reviews/scale-screen/stages/title-abstract/next');
        if (next.status === 204) return;
        if (next.status !== 200) throw new Error(`next answered ${next.status}: ${next.text.slice(0, 200)}`);
        const { record } = JSON.parse(next.text) as { record: { recordId: string } };
        const part = partOf.get(record.recordId)!;
        const v = await call(token, 'POST', '/reviews/scale-screen/stages/title-abstract/decisions', {
          recordId: record.recordId,
          vote: part % 4 === 0 ? 'exclude' : 'include',
        });
        if (v.status === 201) acknowledged++;
        else throw new Error(`vote answered ${v.status}: ${v.text.slice(0, 200)}`);
      }
    };
    await Promise.all(tokens.map((t) => reviewer(t)));

    // Every job the workload queued (import, dedup, reconciliations, retrains) has run to its end.
    await waitUntil(
      async () => {
        const { rows } = await db.query<{ busy: string; dedup: string }>(
          `SELECT count(*) FILTER (WHERE state NOT IN ('completed', 'failed')) AS busy,
                  count(*) FILTER (WHERE name = 'dedup.run' AND state = 'completed' AND review_id = $1) AS dedup
             FROM jobs`,
          [imports.id],
        );
        return Number(rows[0]!.busy) === 0 && Number(rows[0]!.dedup) > 0;
      },
      600_000,
      'the import, its dedup and every other job to finish',
    );

    const count = async (sql: string, params: unknown[]) =>
      Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);
    const { rows: typeRows } = await db.query<{ type: string; n: string }>(
      'SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY type',
    );
    const eventsByType = Object.fromEntries(
      typeRows.filter((r) => !TIMING_EVENTS.has(r.type)).map((r) => [r.type, Number(r.n)]),
    );
    // An effect applied twice shows as two events of one type about one entity where one is expected.
    const { rows: doubled } = await db.query<{ type: string; entity_id: string; n: string }>(
      `SELECT type, entity_id, count(*) AS n FROM events
        WHERE type IN ('record.reconciled', 'conflict.opened', 'import.completed', 'dedup.completed')
        GROUP BY type, entity_id, data->>'stage' HAVING count(*) > 1`,
    );
    const prisma = async (slug: string) =>
      (JSON.parse((await call(leadToken, 'GET', `/reviews/${slug}/prisma`)).text) as { counts: unknown })
        .counts;
    const { rows: failed } = await db.query<{ name: string; error: string | null }>(
      `SELECT name, error FROM jobs WHERE state = 'failed'`,
    );
    return {
      acknowledged,
      errors,
      votesStored: await count(
        'SELECT count(*) AS n FROM decisions d JOIN records r ON r.id = d.record_id WHERE r.review_id = $1',
        [screen.id],
      ),
      recordsWithoutTwoVotes: await count(
        `SELECT count(*) AS n FROM records r WHERE r.review_id = $1
            AND (SELECT count(*) <> 2 OR count(DISTINCT d.reviewer_id) <> 2 FROM decisions d WHERE d.record_id = r.id)`,
        [screen.id],
      ),
      importedRecords: await count('SELECT count(*) AS n FROM records WHERE review_id = $1', [imports.id]),
      eventsByType,
      duplicateEffects: doubled.map((d) => `${d.type} ${d.entity_id} x${d.n}`),
      prisma: { screen: await prisma('scale-screen'), imports: await prisma('scale-import') },
      connections: proxy ? [...proxy.connections] : [],
      failedJobs: failed.map((f) => `${f.name}: ${f.error ?? ''}`),
    };
  } finally {
    await proxy?.close();
    await Promise.all(processes.map((p) => p.kill()));
    await database.drop();
  }
}

/** What the stress record shows of the two runs: a table of their figures, and whether they agree. */
function scaleOutReport(scaled: RunResult, single: RunResult): string {
  const same = (a: unknown, b: unknown) => (JSON.stringify(a) === JSON.stringify(b) ? 'yes' : 'no');
  const row = (name: string, r: RunResult) =>
    `| ${name} | ${r.acknowledged} | ${r.votesStored} | ${r.recordsWithoutTwoVotes} | ${r.importedRecords} | ${r.duplicateEffects.length} | ${r.failedJobs.length} | ${r.errors.length} | ${r.connections.join(' / ') || '-'} |`;
  return [
    '### Scale-out: two web and two worker processes, then one process, on the same workload',
    '',
    '| run | votes acknowledged | votes stored | records without two votes | records imported | effects applied twice | failed jobs | request errors | reviewer connections per web process |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    row('2 web (round-robin proxy) + 2 workers', scaled),
    row('1 process', single),
    '',
    `Events by type equal (routing rounds and retrains aside): ${same(scaled.eventsByType, single.eventsByType)}. PRISMA counts of both reviews equal: ${same(scaled.prisma, single.prisma)}.`,
  ].join('\n');
}

describe('scale-out: two web and two worker processes on one PostgreSQL and one Redis', () => {
  it(
    'loses no vote, applies no job twice, and ends with the PRISMA counts of a single-process run',
    { timeout: 1_800_000 },
    async () => {
      const scaled = await run(true);
      const single = await run(false);
      console.log(scaleOutReport(scaled, single));
      for (const r of [scaled, single]) {
        expect(r.errors).toEqual([]);
        expect(r.failedJobs).toEqual([]);
        expect(r.acknowledged).toBe(2 * SCREEN_RECORDS);
        expect(r.votesStored).toBe(r.acknowledged);
        expect(r.recordsWithoutTwoVotes).toBe(0);
        expect(r.duplicateEffects).toEqual([]);
      }
      // Both web processes took reviewers' connections.
      expect(scaled.connections.length).toBe(2);
      expect(Math.min(...scaled.connections)).toBeGreaterThan(0);
      expect(scaled.importedRecords).toBe(single.importedRecords);
      expect(scaled.eventsByType).toEqual(single.eventsByType);
      expect(scaled.prisma).toEqual(single.prisma);
    },
  );
});
