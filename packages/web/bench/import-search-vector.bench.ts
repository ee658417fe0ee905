// What the records' search vector (computed by a records trigger into library_search, with a GIN
// index: migrations 0720, 0781) costs an import
// (issue 18): the same parsed real records written by the import's own batch insert into a fresh
// database as migrated, and into one where the vector is not computed (its function answers an empty vector)
// and its index is dropped, on PGlite and PostgreSQL. Insert only: no parse, no dedup. Reproduce:
// `nice -n 5 pnpm bench import-search-vector`.
import os from 'node:os';
import { createReview } from '@winnow/core';
import { createTestDatabase, type Engine } from '@winnow/core/testing';
import { insertRecords, parseText } from '@winnow/ingest';
import { realRisExports } from '../../ingest/bench/real-ris.bench-data.ts';

const BATCH = 2000;
const COPIES = 8;
/** Issue 18's end-to-end targets, records/s, and the cores each engine's database work can use. */
const TARGET = { pglite: 5_000, postgres: 10_000 } as const;
const CORES = { pglite: 1, postgres: os.cpus().length } as const;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-GB');

async function insertAll(
  engine: Engine,
  records: Awaited<ReturnType<typeof parseText>>['records'],
  vector: boolean,
) {
  const t = await createTestDatabase(engine);
  try {
    if (!vector) {
      await t.db.query('DROP INDEX library_search_vector');
      await t.db.query(
        `CREATE OR REPLACE FUNCTION library_search_vector(title text, data jsonb) RETURNS tsvector
           AS 'SELECT ''''::tsvector' LANGUAGE sql IMMUTABLE`,
      );
    }
    const review = await createReview(t.db, { slug: 'vector-bench', title: 'Vector bench' });
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO imports (review_id, file_name, content_hash) VALUES ($1, 'bench.ris', 'bench') RETURNING id`,
      [review.id],
    );
    const imp = { id: rows[0]!.id, reviewId: review.id };
    const started = performance.now();
    for (let i = 0; i < records.length; i += BATCH) {
      const part = records.slice(i, i + BATCH);
      await t.db.transaction((tx) => insertRecords(tx, imp, part));
    }
    return (performance.now() - started) / 1000;
  } finally {
    await t.drop();
  }
}

export default async function (): Promise<string> {
  const exports = realRisExports();
  if (!exports)
    return '## Ingest: what the search vector costs an import\n\nSkipped: ../shared/corpus is absent.\n';
  // Eight copies of every real export (10,408 records): enough that a fresh database's first
  // statements (plans, catalogue reads) are a small part of the time.
  const text = Buffer.concat(Array.from({ length: COPIES }, () => exports.map((e) => e.bytes)).flat());
  const { records } = await parseText(text);
  const rows: string[] = [];
  const budgets: string[] = [];
  const load = os.loadavg()[0]!.toFixed(1);
  for (const engine of ['pglite', 'postgres'] as const) {
    const withVector = await insertAll(engine, records, true);
    const without = await insertAll(engine, records, false);
    // Per record, what the vector adds (its computation and its index), and how many records a
    // second that alone allows on one core: the statements run one at a time, so the difference in
    // wall time is the database's own work.
    const perRecordUs = ((withVector - without) * 1e6) / records.length;
    const measured = perRecordUs > 0;
    rows.push(
      `| ${engine} | ${fmt(records.length)} | ${withVector.toFixed(2)} | ${fmt(records.length / withVector)} | ${without.toFixed(2)} | ${fmt(records.length / without)} | ${((1 - without / withVector) * 100).toFixed(0)}% | ${measured ? `${fmt(perRecordUs)} µs` : 'not measurable'} | ${measured ? fmt(1e6 / perRecordUs) : ''} |`,
    );
    // The CPU the target leaves each record for everything (upload, parse, write, dedup).
    const budgetUs = (CORES[engine] * 1e6) / TARGET[engine];
    budgets.push(
      `${engine}: ${fmt(TARGET[engine])} records/s on ${CORES[engine]} core${CORES[engine] > 1 ? 's' : ''} leaves ${fmt(budgetUs)} µs a record` +
        (measured
          ? `; the vector alone takes ${fmt(perRecordUs)} µs, ${perRecordUs >= budgetUs ? 'the whole of it or more' : `${Math.round((perRecordUs / budgetUs) * 100)}% of it`}`
          : ''),
    );
  }
  return `## Ingest: what the search vector costs an import (issue 18)

The corpus's real RIS exports, ${COPIES} times over (${fmt(records.length)} records, parsed beforehand), written by the import's batch insert
(\`insertRecords\`, ${BATCH} records a statement, one transaction each) into a freshly migrated database, and into one whose
search vector (a tsvector over title, keywords, MeSH, authors, journal and abstract, computed into its own table
by a records trigger, with its GIN index: migrations 0720, 0781) is not computed and has no index. Wall seconds in this process (PostgreSQL's own work is in its server process). Load average
(1 min) at the start: ${load} on 2 cores shared with other work.

| engine | records | with search vector s | records/s | without s | records/s | share of insert time in the vector | vector per record | records/s the vector alone allows on one core |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

What this means for the end-to-end targets (issue 18, the whole import with dedup; PGlite runs on one thread):
${budgets.map((b) => `- ${b}.`).join('\n')}

The vector's cost per record is measured with one statement at a time; the import pays it on every record it writes.

Reproduce: \`nice -n 5 pnpm bench import-search-vector\`
`;
}
