// A large review for the records library bench: the dedup bench's generated collection (titles,
// authors, journals, years, duplicates across three databases) with abstracts, stored as three
// imports, deduplicated, screened at title/abstract by three reviewers two to a record (votes,
// undos, agreements, conflicts, resolutions), partly advanced to full text, tagged and ranked.
// Written straight into the tables in bulk (100k records through the API would take hours); the
// vote rows go through the same INSERT the vote path uses, so the database keeps what it derives.
import type { Db } from '@winnow/core';
import { addRecordSearchWords, addSearchWords, generateCollection } from '@winnow/ingest';

const TOPIC = [
  'quality improvement',
  'lean',
  'six sigma',
  'hospital',
  'ward',
  'nurse',
  'leadership',
  'safety culture',
  'audit and feedback',
  'primary care',
  'surgery',
  'pediatric',
  'intensive care',
  'staffing',
  'patient involvement',
  'co-design',
  'run chart',
  'collaborative',
  'training',
  'skills',
  'system',
  'network',
  'governance',
  'cost',
  'evaluation',
  'randomised trial',
  'cohort',
  'data for improvement',
];

/** Made-up words, so the abstracts have a vocabulary of some thousands of words like real ones. */
const VOCABULARY = Array.from({ length: 4000 }, (_, i) => {
  let x = (i + 1) * 2246822519;
  let w = '';
  for (let k = 0; k < 4 + (i % 7); k++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    w += 'abcdefghiklmnoprstuvy'[x % 21];
  }
  return w;
});

/**
 * An abstract of `n` words, one in eight from the topic words and phrases: each is in about
 * two fifths of the records, so the searches below match thousands (harder than real text).
 */
function abstract(seed: number, n: number): string {
  let x = (seed * 2654435761) >>> 0;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(x % 8 === 0 ? TOPIC[(x >>> 3) % TOPIC.length]! : VOCABULARY[(x >>> 3) % VOCABULARY.length]!);
  }
  return out.join(' ');
}

export interface SeededReview {
  records: number;
  /** Records in title/abstract screening (the kept and unique ones). */
  screened: number;
  recordIds: string[];
}

/**
 * Seeds `n` records into `reviewId`. `reviewers` are three member ids (two votes a record),
 * `adjudicator` resolves a third of the conflicts.
 */
export async function seedLibraryReview(
  db: Db,
  reviewId: string,
  n: number,
  reviewers: readonly [string, string, string],
  adjudicator: string,
): Promise<SeededReview> {
  const { inputs, reportOf } = generateCollection(n, 42);
  const imports = new Map<string, string>();
  for (const source of ['medline', 'embase', 'scopus', 'wos']) {
    const { rows } = await db.query<{ id: string }>(
      `WITH s AS (INSERT INTO searches (review_id, source_name) VALUES ($1, $2) RETURNING id)
       INSERT INTO imports (review_id, search_id, file_name, content_hash, status, format)
       SELECT $1, s.id, $3, $3, 'complete', 'ris' FROM s RETURNING id`,
      [reviewId, source === 'medline' ? 'MEDLINE (Ovid)' : source, `${source}.ris`],
    );
    imports.set(source, rows[0]!.id);
  }
  for (let start = 0; start < inputs.length; start += 2000) {
    const part = inputs.slice(start, start + 2000);
    await db.query(
      `INSERT INTO records (review_id, import_id, source_index, title, year, data, raw)
       SELECT $1, imp, i, t, y, d::jsonb, '' FROM unnest($2::uuid[], $3::int[], $4::text[], $5::int[], $6::text[])
         AS v(imp, i, t, y, d)`,
      [
        reviewId,
        part.map((x) => imports.get(x.source ?? 'medline')),
        part.map((_, k) => start + k + 1),
        part.map((x) => x.record.title ?? ''),
        part.map((x) => x.record.year ?? null),
        part.map((x, k) =>
          JSON.stringify({ ...x.record, abstract: abstract(start + k, 120), source: { format: 'ris' } }),
        ),
      ],
    );
  }
  // The records' words, as their imports would have listed them (searches ending in `*`).
  const words = new Set<string>();
  inputs.forEach((x, k) => addRecordSearchWords(words, { ...x.record, abstract: abstract(k, 120) }));
  await db.transaction((tx) => addSearchWords(tx, reviewId, words));
  // Duplicates: each generated report's first record is kept, its other records point at it.
  const { rows: recs } = await db.query<{ id: string; source_index: number }>(
    `SELECT id, source_index FROM records WHERE review_id = $1 ORDER BY source_index`,
    [reviewId],
  );
  const idAt = recs.map((r) => r.id);
  const groups = new Map<number, string[]>();
  inputs.forEach((x, i) => {
    const g = reportOf.get(x.id)!;
    groups.set(g, [...(groups.get(g) ?? []), idAt[i]!]);
  });
  const members: { id: string; group: number; kept: boolean; of: string | null }[] = [];
  for (const [g, ids] of groups)
    if (ids.length > 1)
      ids.forEach((id, k) => members.push({ id, group: g, kept: k === 0, of: k === 0 ? null : ids[0]! }));
  for (let i = 0; i < members.length; i += 5000) {
    const part = members.slice(i, i + 5000);
    await db.query(
      `INSERT INTO dedup_members (review_id, record_id, group_id, kept, tier, score, reason)
       SELECT $1, r, g, k, 'certain', 1, 'generated' FROM unnest($2::uuid[], $3::text[], $4::boolean[]) AS v(r, g, k)`,
      [reviewId, part.map((m) => m.id), part.map((m) => `g${m.group}`), part.map((m) => m.kept)],
    );
    await db.query(
      `UPDATE records r SET duplicate_of = v.of FROM unnest($1::uuid[], $2::uuid[]) AS v(id, of)
        WHERE r.id = v.id AND v.of IS NOT NULL`,
      [part.map((m) => m.id), part.map((m) => m.of)],
    );
  }
  await screen(db, reviewId, reviewers, adjudicator);
  const { rows: count } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM stage_records WHERE review_id = $1 AND stage = 'title-abstract'`,
    [reviewId],
  );
  await db.query(
    `INSERT INTO record_tags (review_id, record_id, name)
     SELECT $1, id, CASE WHEN source_index % 3 = 0 THEN 'check later' ELSE 'background' END
       FROM records WHERE review_id = $1 AND source_index % 37 = 0`,
    [reviewId],
  );
  // A shared prioritisation ranking over every screened record, as the retrain job stores it.
  await db.query(
    `WITH m AS (INSERT INTO prioritisation_models (review_id, stage, basis_seq, classifier, records, labelled, relevant)
                VALUES ($1, 'title-abstract', 1, 'nb', 0, 0, 0) RETURNING id)
     INSERT INTO prioritisation_rankings (model_id, reviewer_id, scores)
     SELECT m.id, NULL, (SELECT jsonb_object_agg(s.record_id, ((s.record_id::text < '8') :: int + random())::real)
                           FROM stage_records s WHERE s.review_id = $1 AND s.stage = 'title-abstract')
       FROM m`,
    [reviewId],
  );
  return { records: n, screened: count[0]!.n, recordIds: idAt };
}

/** Records planned per statement of votes (see screen). */
const VOTE_BATCH = 500;

/** The votes of planned records from..to (bench_plan's k), in the order reviewers cast them. */
async function castVotes(
  db: Db,
  reviewId: string,
  reviewers: readonly [string, string, string],
  from: number,
  to: number,
): Promise<void> {
  await db.query(
    `INSERT INTO decisions (review_id, record_id, stage, reviewer_id, role, vote, reasons, previous_vote)
     SELECT $1, record_id, 'title-abstract', who, 'reviewer', vote, reasons, prev FROM (
       SELECT p.record_id, ($2::uuid[])[1 + (p.k + slot) % 3] AS who, step, p.k, slot,
              CASE WHEN step = 0 THEN 'include' WHEN step = 1 THEN 'retract'
                   WHEN p.k % 10 <= 2 THEN 'include' WHEN p.k % 10 <= 4 THEN 'exclude'
                   WHEN p.k % 10 = 5 THEN CASE slot WHEN 0 THEN 'include' ELSE 'exclude' END
                   ELSE 'exclude' END AS vote,
              CASE WHEN step = 2 AND (p.k % 10 IN (3, 4) OR (p.k % 10 IN (5, 6) AND slot = 1) OR p.k % 10 = 6)
                   THEN CASE WHEN p.k % 7 = 0 THEN '["design"]' ELSE '["setting"]' END::jsonb
                   ELSE '[]'::jsonb END AS reasons,
              CASE WHEN step = 1 THEN 'include' END AS prev
         FROM bench_plan p, generate_series(0, 1) AS slot, generate_series(0, 2) AS step
        WHERE p.k BETWEEN $3 AND $4 AND (p.k % 10 <= 5 OR (p.k % 10 = 6 AND slot = 0)) AND (step = 2 OR p.k % 25 = 0)) v
      ORDER BY k, slot, step`,
    [reviewId, reviewers, from, to],
  );
}

/**
 * Title/abstract screening in bulk. Record k (kept and unique records in order) is assigned to two
 * of the three reviewers; by k % 10: 0-2 both include, 3-4 both exclude, 5 disagree, 6 one vote,
 * 7-9 not yet voted. Every 25th voter undid a first vote and voted again. A third of the
 * disagreements are resolved. Outcomes are what reconciliation derives from those votes.
 */
async function screen(
  db: Db,
  reviewId: string,
  reviewers: readonly [string, string, string],
  adjudicator: string,
): Promise<void> {
  await db.query(
    `INSERT INTO stage_records (review_id, record_id, stage)
     SELECT review_id, id, 'title-abstract' FROM records WHERE review_id = $1 AND duplicate_of IS NULL`,
    [reviewId],
  );
  await db.query(
    `CREATE TEMP TABLE bench_plan AS
     SELECT s.record_id, (row_number() OVER (ORDER BY r.source_index))::int AS k
       FROM stage_records s JOIN records r ON r.id = s.record_id WHERE s.review_id = $1`,
    [reviewId],
  );
  await db.query(
    `INSERT INTO assignments (review_id, record_id, stage, reviewer_id, position, state)
     SELECT $1, p.record_id, 'title-abstract', ($2::uuid[])[1 + (p.k + slot) % 3], p.k,
            CASE WHEN p.k % 10 <= 5 OR (p.k % 10 = 6 AND slot = 0) THEN 'done' ELSE 'open' END
       FROM bench_plan p, generate_series(0, 1) AS slot`,
    [reviewId, reviewers],
  );
  // The votes in the order a reviewer casts them: an undone first vote, its retraction, the vote.
  // A few hundred records a statement, each its own transaction, as votes arrive in a real review:
  // one statement of 70,000 votes left every row version its triggers wrote in one transaction
  // (nothing can be pruned until it ends), a state no review reaches.
  const { rows: planned } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM bench_plan`);
  for (let from = 1; from <= planned[0]!.n; from += VOTE_BATCH)
    await castVotes(db, reviewId, reviewers, from, from + VOTE_BATCH - 1);
  await db.query(
    `UPDATE stage_records s SET status = o.status, outcome = o.outcome, updated_at = now() FROM (
       SELECT record_id,
              CASE WHEN k % 10 <= 2 THEN 'advanced' WHEN k % 10 <= 4 THEN 'excluded'
                   WHEN k % 10 = 5 AND k % 3 = 0 THEN 'advanced' WHEN k % 10 = 5 THEN 'conflict'
                   ELSE 'awaiting-votes' END AS status,
              CASE WHEN k % 10 <= 2 THEN '{"status":"advanced","to":"full-text","by":"agreement"}'
                   WHEN k % 10 <= 4 THEN jsonb_build_object('status', 'excluded', 'by', 'agreement', 'reasons',
                     CASE WHEN k % 7 = 0 THEN '["design"]' ELSE '["setting"]' END::jsonb)::text
                   WHEN k % 10 = 5 AND k % 3 = 0 THEN '{"status":"advanced","to":"full-text","by":"adjudication"}'
                   WHEN k % 10 = 5 THEN '{"status":"conflict","kind":"disagreement"}'
                   WHEN k % 10 = 6 THEN '{"status":"awaiting-votes","have":1,"need":2}'
                   ELSE NULL END::jsonb AS outcome
         FROM bench_plan) o
      WHERE s.record_id = o.record_id AND s.stage = 'title-abstract'`,
  );
  await db.query(
    `INSERT INTO conflicts (review_id, record_id, stage, kind, status, opened_basis_seq)
     SELECT $1, record_id, 'title-abstract', 'disagreement', CASE WHEN k % 3 = 0 THEN 'resolved' ELSE 'open' END, 0
       FROM bench_plan WHERE k % 10 = 5`,
    [reviewId],
  );
  await db.query(
    `INSERT INTO resolutions (conflict_id, review_id, record_id, stage, adjudicator_id, vote)
     SELECT c.id, $1, c.record_id, 'title-abstract', $2, 'include' FROM conflicts c
      WHERE c.review_id = $1 AND c.status = 'resolved'`,
    [reviewId, adjudicator],
  );
  await db.query(
    `INSERT INTO reports (review_id, record_id, title)
     SELECT $1, s.record_id, r.title FROM stage_records s JOIN records r ON r.id = s.record_id
      WHERE s.review_id = $1 AND s.status = 'advanced'`,
    [reviewId],
  );
  await db.query(
    `INSERT INTO stage_records (review_id, record_id, stage)
     SELECT $1, record_id, 'full-text' FROM stage_records WHERE review_id = $1 AND status = 'advanced'`,
    [reviewId],
  );
  await db.query(`DROP TABLE bench_plan`);
}
