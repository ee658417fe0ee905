// The records library on a review of 100,000 records (issue 16): p50/p95 of
// GET /api/reviews/:review/records (a page of 50 with every facet count) for a mix of searches and
// filters, and of a record's page, through the real HTTP server on PostgreSQL and on embedded PGlite.
// The server runs in this process (PGlite is single-process), so the figures include the client's
// share of the two cores.
import os from 'node:os';
import type { Db } from '@winnow/core';
import type { Engine } from '@winnow/core/testing';
import { startTestApp, type TestUser } from '../test/support/test-app.ts';
import { seedLibraryReview } from './records-library.bench-data.ts';

const N = Number(process.env.BENCH_LIBRARY_RECORDS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_LIBRARY_ROUNDS ?? 3);
const PAGES = 30;

const MIX: { label: string; query: string }[] = [
  {
    label: 'the issue example, not excluded, 2000-2020',
    query: `q=${encodeURIComponent('"quality improvement" AND (lean OR "six sigma") NOT pediatric*')}&state=unscreened&state=awaiting-second-vote&state=conflict&state=included&yearFrom=2000&yearTo=2020`,
  },
  { label: 'first page, no search, no filter', query: '' },
  { label: 'excluded as not a healthcare setting', query: 'reason=setting' },
  { label: 'sorted by year', query: 'sort=year' },
  { label: 'sorted by title, page 100', query: 'sort=title&offset=4950' },
  { label: 'one word, tag "background"', query: 'q=staffing&tag=background' },
];

/**
 * Searches with no filter, sorted by relevance (a reviewer typing a word): every match is ranked
 * and counted. Reported beside the mix, not in it, so the mix stays the one measured since issue 16.
 */
const BROAD: { label: string; query: string }[] = [
  { label: 'one word, no filter (outside the mix)', query: 'q=staffing' },
  {
    label: 'four words OR-ed, no filter (outside the mix)',
    query: `q=${encodeURIComponent('quality OR improvement OR staffing OR lean')}`,
  },
];

function pct(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed(user: TestUser, path: string): Promise<{ ms: number; total: number }> {
  const s = performance.now();
  const r = await user.api<{ total?: number }>('GET', path);
  const ms = performance.now() - s;
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return { ms, total: r.body.total ?? 0 };
}

/**
 * Planner statistics as each engine would have them for a review built over weeks. PostgreSQL:
 * ANALYZE now, rather than whenever autovacuum gets to the bulk-written tables (perhaps during the
 * measurement). PGlite has no autovacuum: the bench waits for its own (pglite-analyze.ts) to run
 * after the seed, as it would once the lead stopped typing.
 */
async function statistics(db: Db, engine: Engine): Promise<void> {
  if (engine === 'postgres') {
    await db.query('ANALYZE');
    return;
  }
  const seeded = new Date();
  const until = Date.now() + 5 * 60_000;
  for (;;) {
    const { rows } = await db.query<{ at: Date | null }>(
      `SELECT last_analyze AS at FROM pg_stat_user_tables WHERE relname = 'library_records'`,
    );
    const at = rows[0]?.at;
    if (at && new Date(at) >= seeded) return;
    if (Date.now() > until) throw new Error('PGlite gathered no statistics within 5 minutes of the seed');
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

async function measure(engine: Engine): Promise<string[]> {
  const app = await startTestApp({ engine, workers: false });
  try {
    const review = await app.review(`bench-library-${engine}`, 'Bench library');
    const lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    const cat = await app.user('Cat', review, ['reviewer']);
    const adj = await app.user('Adj', review, ['adjudicator']);
    const base = `/reviews/bench-library-${engine}`;
    const cfg = await lead.api('PUT', `${base}/stages/title-abstract/config`, {
      blind: true,
      exclusionReasons: [
        { code: 'setting', label: 'Not a healthcare setting' },
        { code: 'design', label: 'Not a primary study' },
      ],
    });
    if (cfg.status !== 200) throw new Error(`stage config: ${JSON.stringify(cfg.body)}`);
    const started = Date.now();
    process.stderr.write(`seeding ${N} records on ${engine}\n`);
    const seeded = await seedLibraryReview(app.rt.db, review.id, N, [ann.id, bob.id, cat.id], adj.id);
    const seedS = (Date.now() - started) / 1000;
    await statistics(app.rt.db, engine);
    // What one ANALYZE of the whole seeded database costs (on PGlite it holds the database's one thread).
    const analyzeStarted = performance.now();
    await app.rt.db.query('ANALYZE');
    const analyzeS = (performance.now() - analyzeStarted) / 1000;
    const rows: string[] = [];
    const all: number[] = [];
    // Warm the caches once per query and viewer, as a reviewer's second search would find them.
    for (const v of [lead, ann]) for (const m of MIX) await timed(v, `${base}/records?${m.query}`);
    // Each query ROUNDS times as each viewer: its row of the table, and its times.
    const run = async (m: { label: string; query: string }): Promise<number[]> => {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < ROUNDS; i++)
        for (const v of [lead, ann]) {
          const r = await timed(v, `${base}/records?${m.query}`);
          times.push(r.ms);
          if (v === lead) total = r.total;
        }
      times.sort((a, b) => a - b);
      rows.push(
        `| ${engine} | ${m.label} | ${total.toLocaleString('en')} | ${times.length} | ${Math.round(pct(times, 50))} ms | ${Math.round(pct(times, 95))} ms |`,
      );
      return times;
    };
    for (const m of MIX) all.push(...(await run(m)));
    all.sort((a, b) => a - b);
    rows.push(
      `| ${engine} | **the whole mix** | | ${all.length} | **${Math.round(pct(all, 50))} ms** | **${Math.round(pct(all, 95))} ms** |`,
    );
    // A reviewer finding a title they remember: its first three words as a phrase (one record).
    const { rows: firstTitle } = await app.rt.db.query<{ title: string }>(
      `SELECT title FROM records WHERE review_id = $1 ORDER BY id LIMIT 1`,
      [review.id],
    );
    const words = firstTitle[0]!.title.split(/\s+/).slice(0, 3).join(' ');
    const narrow = [
      {
        label: "a title's first three words as a phrase (outside the mix)",
        query: `q=${encodeURIComponent(`"${words}"`)}`,
      },
    ];
    for (const v of [lead, ann])
      for (const m of [...BROAD, ...narrow]) await timed(v, `${base}/records?${m.query}`);
    for (const m of [...BROAD, ...narrow]) await run(m);
    // A record's page as the browser opens it: the page, then its PRISMA box (asked apart).
    const pages: number[] = [];
    const boxes: number[] = [];
    for (let i = 0; i < PAGES + 2; i++) {
      const id = seeded.recordIds[(i * 7919) % seeded.recordIds.length]!;
      const who = i % 2 ? lead : ann;
      const r = await timed(who, `${base}/records/${id}`);
      const b = await timed(who, `${base}/records/${id}/prisma-box`);
      if (i >= 2) pages.push(r.ms);
      if (i >= 2) boxes.push(b.ms);
    }
    for (const [label, times] of [
      ['record page (GET …/records/:recordId)', pages],
      ['record page PRISMA box (GET …/records/:recordId/prisma-box)', boxes],
    ] as const) {
      times.sort((a, b) => a - b);
      rows.push(
        `| ${engine} | ${label} | | ${times.length} | ${Math.round(pct(times, 50))} ms | ${Math.round(pct(times, 95))} ms |`,
      );
    }
    rows.push(
      `| ${engine} | (seeding ${seeded.records.toLocaleString('en')} records, ${seeded.screened.toLocaleString('en')} in screening) | | | ${seedS.toFixed(0)} s | |`,
      `| ${engine} | (one ANALYZE of the seeded database) | | | ${analyzeS.toFixed(1)} s | |`,
    );
    process.stderr.write(`${rows.join('\n')}\n`);
    return rows;
  } finally {
    await app.close();
  }
}

export default async function bench(): Promise<string> {
  const loadBefore = os.loadavg().map((x) => x.toFixed(2));
  const engines = (process.env.BENCH_LIBRARY_ENGINES ?? 'pglite,postgres').split(',') as Engine[];
  const rows: string[] = [];
  for (const e of engines) rows.push(...(await measure(e)));
  const loadAfter = os.loadavg().map((x) => x.toFixed(2));
  return [
    '## Records library: search, filters and facet counts at 100,000 records (issue 16)',
    '',
    `Through the real HTTP server (in this process) on each engine: \`GET /api/reviews/:review/records\`, one`,
    'page of 50 with all seven facet counts, alternately as the lead and as a blinded reviewer (Ann), after one',
    'warm-up request per query and viewer. The review: the dedup bench generator (seed 42) with 120-word',
    'abstracts of made-up words from a 4,000-word vocabulary, one word in eight a topic word or phrase',
    '("quality improvement", "six sigma", "staffing"…, each in some two fifths of the records: harder than real text),',
    'three imports, its duplicates removed, title/abstract screening by three reviewers two to a',
    'record (30% included, 20% excluded with a reason, 10% disagreements, a third of those resolved, 10% one',
    'vote, 30% unvoted; every 25th voter undid and voted again), included records at full text, 3% tagged, a',
    'prioritisation ranking. Planner statistics: ANALYZE after the seed on PostgreSQL (autovacuum would run it);',
    "on PGlite, which has no autovacuum, the bench waits for Winnow's own ANALYZE of the embedded database to",
    'run after the seed. Targets: p95 under 200 ms (PostgreSQL) and 600 ms (PGlite) for searches, under',
    '100 ms for a record page. Three searches with no filter are timed after the mix and reported apart from it:',
    'two rank and count nearly half or nine tenths of the review, one finds a single title by three of its words.',
    'Until commit 7945216 the seed ran ANALYZE on both engines, so the PGlite rows showed statistics a real',
    'embedded review never had. Run without it on that code (2026-12-06, this machine), PGlite took p50 4,586 ms',
    'and p95 7,912 ms to filter by the exclusion reason, the mix p95 6,767 ms, a record page p50 88 ms.',
    `Load average (1/5/15 min) before: ${loadBefore.join(' / ')}, after: ${loadAfter.join(' / ')}, on ${os.cpus().length} CPUs.`,
    '',
    '| engine | request | matches | requests | p50 | p95 |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
