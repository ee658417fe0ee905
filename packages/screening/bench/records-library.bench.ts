// The records library on a large review: how long a page of results takes (with every facet
// count) for the searches and filters a reviewer uses, on PostgreSQL and on embedded PGlite.
import os from 'node:os';
import { createReview, createUser, type Db } from '@winnow/core';
import { createTestDatabase, type Engine } from '@winnow/core/testing';
import { searchRecords, type LibraryQuery } from '../src/index.ts';

const WORDS = (
  'quality improvement lean six sigma hospital ward nurse leadership safety culture audit feedback ' +
  'primary care surgery pediatric intensive outcome staffing patient involvement design data run chart ' +
  'collaborative training skills system network governance cost evaluation randomised trial cohort'
).split(' ');

/** Deterministic pseudo-random words, so both engines get the same records. */
function text(seed: number, n: number): string {
  let x = seed * 2654435761;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(WORDS[x % WORDS.length]!);
  }
  return out.join(' ');
}

async function seed(db: Db, reviewId: string, n: number): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO imports (review_id, file_name, content_hash, status) VALUES ($1, 'bench.ris', 'bench', 'complete') RETURNING id`,
    [reviewId],
  );
  for (let start = 0; start < n; start += 2000) {
    const batch = Array.from({ length: Math.min(2000, n - start) }, (_, k) => start + k);
    await db.query(
      `INSERT INTO records (review_id, import_id, source_index, title, year, data, raw)
       SELECT $1, $2, i, t, y, jsonb_build_object('title', t, 'abstract', a, 'year', y, 'authors', '[]'::jsonb,
              'keywords', '[]'::jsonb, 'mesh', '[]'::jsonb, 'source', jsonb_build_object('format', 'ris'), 'raw', ''), ''
         FROM unnest($3::int[], $4::text[], $5::text[], $6::int[]) AS v(i, t, a, y)`,
      [
        reviewId,
        rows[0]!.id,
        batch.map((i) => i + 1),
        batch.map((i) => text(i, 10)),
        batch.map((i) => text(i + n, 120)),
        batch.map((i) => 1990 + (i % 35)),
      ],
    );
  }
  // Half the records are in title/abstract screening, a tenth of those excluded with a reason.
  await db.query(
    `INSERT INTO stage_records (review_id, record_id, stage, status, outcome)
     SELECT review_id, id, 'title-abstract',
            CASE WHEN source_index % 20 = 0 THEN 'excluded' ELSE 'awaiting-votes' END,
            CASE WHEN source_index % 20 = 0 THEN '{"status":"excluded","reasons":["setting"],"by":"agreement"}'::jsonb END
       FROM records WHERE review_id = $1 AND source_index % 2 = 0`,
    [reviewId],
  );
}

const QUERIES: { label: string; query: Partial<LibraryQuery> }[] = [
  { label: 'first page, no search', query: {} },
  { label: 'one word', query: { q: 'staffing' } },
  {
    label: 'the issue example',
    query: { q: '"quality improvement" AND (lean OR "six sigma") NOT pediatric*' },
  },
  { label: 'excluded for a reason, 2010-2020', query: { reason: 'setting', yearFrom: 2010, yearTo: 2020 } },
  { label: 'sorted by title, page 100', query: { sort: 'title', offset: 4950 } },
];

async function measure(engine: Engine, n: number): Promise<string[]> {
  const t = await createTestDatabase(engine);
  try {
    const review = await createReview(t.db, { slug: `bench-library-${engine}`, title: 'Bench library' });
    const user = await createUser(t.db, {
      email: `lead-${engine}@bench.winnow`,
      name: 'Lead',
      password: 'x'.repeat(12),
    });
    const started = Date.now();
    await seed(t.db, review.id, n);
    const seedS = (Date.now() - started) / 1000;
    const viewer = { reviewId: review.id, userId: user.id, roles: ['lead' as const] };
    const rows: string[] = [];
    for (const { label, query } of QUERIES) {
      const q: LibraryQuery = { stage: 'title-abstract', sort: 'relevance', offset: 0, limit: 50, ...query };
      const times: number[] = [];
      let total = 0;
      for (let run = 0; run < 5; run++) {
        const s = performance.now();
        total = (await searchRecords(t.db, viewer, q)).total;
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      rows.push(
        `| ${engine} | ${n.toLocaleString('en')} | ${label} | ${total.toLocaleString('en')} | ${Math.round(times[2]!)} ms |`,
      );
    }
    rows.push(
      `| ${engine} | ${n.toLocaleString('en')} | (inserting the records, search vectors included) | | ${seedS.toFixed(1)} s |`,
    );
    return rows;
  } finally {
    await t.drop();
  }
}

export default async function bench(): Promise<string> {
  const rows = [...(await measure('postgres', 100_000)), ...(await measure('pglite', 20_000))];
  const load1 = os.loadavg()[0]!;
  return [
    '## Records library: search, filters and facet counts (issue 16)',
    '',
    'One page of 50 results with all seven facet counts (the page asks for them together), median of 5 runs,',
    'as a lead (the blinding rules run in the same SQL for every viewer). Generated records: 10-word titles and',
    '120-word abstracts from a 40-word vocabulary (so common words match tens of thousands of records: harder',
    `than real text); half in title/abstract screening. Load average ${load1.toFixed(2)} on ${os.cpus().length} CPUs.`,
    '',
    '| engine | records | search | matches | time |',
    '|---|---:|---|---:|---:|',
    ...rows,
  ].join('\n');
}
