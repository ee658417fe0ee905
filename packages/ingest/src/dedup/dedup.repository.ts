import { appendEvent, appendEvents, listEvents, WinnowError, type Sql } from '@winnow/core';
import type { NormalisedRecord } from '../record.types.ts';
import type {
  DedupResult,
  ManualDecision,
  PairCovers,
  PreviousGroup,
  QuestionParts,
} from './dedupe.types.ts';
import { joinedByReviewer } from './dedup-plan.ts';
import { DEDUP_MEMBERS, DEDUP_PAIRS, writeReviewRows } from './review-rows.repository.ts';

/** Event types dedup writes; `data.manual` tells reviewers' decisions from the rule's. */
export const DEDUP_EVENTS = {
  merged: 'dedup.merged',
  distinct: 'dedup.marked-distinct',
  split: 'dedup.split',
  inherited: 'dedup.inherited',
  completed: 'dedup.completed',
} as const;

/** Manual decisions in the order they were made: the input that makes them survive re-runs. */
export async function loadManualDecisions(db: Sql, reviewId: string): Promise<ManualDecision[]> {
  const events = await listEvents(db, {
    reviewId,
    types: [DEDUP_EVENTS.merged, DEDUP_EVENTS.distinct, DEDUP_EVENTS.split],
    limit: 1_000_000,
  });
  const out: ManualDecision[] = [];
  for (const e of events) {
    const d = e.data as { manual?: boolean; a?: string; b?: string; parts?: string[][]; covers?: PairCovers };
    if (!d.manual) continue;
    if (e.type === DEDUP_EVENTS.split && d.parts) out.push({ kind: 'split', parts: d.parts });
    else if (d.a && d.b)
      out.push({
        kind: e.type === DEDUP_EVENTS.merged ? 'same' : 'different',
        a: d.a,
        b: d.b,
        ...(d.covers ? { covers: d.covers } : {}),
        ...(d.parts ? { parts: d.parts } : {}),
      });
  }
  return out;
}

export async function loadPreviousGroups(db: Sql, reviewId: string): Promise<PreviousGroup[]> {
  const { rows } = await db.query<{ id: string; keptId: string; recordIds: string[] }>(
    `SELECT g.group_id AS id, g.kept_id AS "keptId", array_agg(m.record_id ORDER BY m.record_id) AS "recordIds"
       FROM dedup_groups g JOIN dedup_members m ON m.review_id = g.review_id AND m.group_id = g.group_id
      WHERE g.review_id = $1
      GROUP BY g.group_id, g.kept_id`,
    [reviewId],
  );
  return rows;
}

/** A reviewer's or lead's decision, as an event (the only place it is stored). */
export async function recordManualDecision(
  tx: Sql,
  reviewId: string,
  actorId: string,
  decision:
    | {
        kind: 'same' | 'different';
        a: string;
        b: string;
        /** For every group of the question ("all one report" / "all different reports"), not only the pair shown. */
        all?: boolean;
      }
    | { kind: 'split'; groupId: string; parts: string[][] },
): Promise<void> {
  // The event is written only when the records (or the group) are this review's, checked in the
  // insert itself ($7 is what the condition checks): nothing of another review enters this log.
  const appendIfOwned = async (
    e: { type: string; entityType: string; entityId: string; data: unknown },
    owned: { condition: string; value: unknown },
  ) => {
    const { rows } = await tx.query(
      `INSERT INTO events (review_id, type, actor_id, entity_type, entity_id, data)
       SELECT $1, $2, $3, $4, $5, $6 WHERE ${owned.condition} RETURNING id`,
      [reviewId, e.type, actorId, e.entityType, e.entityId, JSON.stringify(e.data), owned.value],
    );
    if (rows.length === 0) throw new WinnowError('NOT_FOUND', 'No such records in this review');
  };
  if (decision.kind === 'split') {
    await appendIfOwned(
      {
        type: DEDUP_EVENTS.split,
        entityType: 'dedup-group',
        entityId: decision.groupId,
        data: { manual: true, parts: decision.parts },
      },
      {
        condition: 'EXISTS (SELECT 1 FROM dedup_groups WHERE review_id = $1 AND group_id = $7)',
        value: decision.groupId,
      },
    );
    return;
  }
  const [a, b] = decision.a < decision.b ? [decision.a, decision.b] : [decision.b, decision.a];
  const { covers, parts: questionParts } = await questionGroups(tx, reviewId, a, b);
  const parts = decision.all ? questionParts : undefined;
  const sides: QuestionParts = parts ?? [covers.a, covers.b];
  const records = sides.reduce((n, p) => n + p.length, 0);
  await appendIfOwned(
    {
      type: decision.kind === 'same' ? DEDUP_EVENTS.merged : DEDUP_EVENTS.distinct,
      entityType: 'record-pair',
      entityId: `${a}|${b}`,
      // The answer settles every record pair across the two groups of the pair asked about, or,
      // answered for all, across every group of the question.
      data: {
        manual: true,
        a,
        b,
        covers,
        ...(parts ? { parts } : {}),
        records,
        pairs: (records * records - sides.reduce((n, p) => n + p.length * p.length, 0)) / 2,
      },
    },
    {
      condition: '(SELECT count(*) FROM records WHERE review_id = $1 AND id = ANY($7::uuid[])) = 2',
      value: [a, b],
    },
  );
  await tx.query(`DELETE FROM dedup_review_pairs WHERE review_id = $1 AND record_a = $2 AND record_b = $3`, [
    reviewId,
    a,
    b,
  ]);
  // Until the re-run the answer queues, the pair export already reads the answer on every pair it
  // covers (pairs within one group are merged, never pending, so "both in the answer" is enough).
  if (parts)
    await tx.query(
      `UPDATE dedup_pairs SET status = $3 WHERE review_id = $1 AND status = 'pending'
          AND record_a = ANY($2::uuid[]) AND record_b = ANY($2::uuid[])`,
      [reviewId, parts.flat(), decision.kind],
    );
  else
    await tx.query(
      `UPDATE dedup_pairs SET status = $4 WHERE review_id = $1
          AND ((record_a = ANY($2::uuid[]) AND record_b = ANY($3::uuid[])) OR (record_a = ANY($3::uuid[]) AND record_b = ANY($2::uuid[])))`,
      [reviewId, covers.a, covers.b, decision.kind],
    );
}

/**
 * The groups the pending question shown as (a, b) covers, `a`'s side first, and every group of
 * the question when it links more than two; a pair asked about outside the queue (or queued
 * before questions named their groups) covers itself.
 */
async function questionGroups(
  tx: Sql,
  reviewId: string,
  a: string,
  b: string,
): Promise<{ covers: PairCovers; parts?: string[][] }> {
  const { rows } = await tx.query<{ coversA: string[]; coversB: string[]; parts: string[][] | null }>(
    `SELECT covers_a AS "coversA", covers_b AS "coversB", parts FROM dedup_review_pairs
      WHERE review_id = $1 AND record_a = $2 AND record_b = $3`,
    [reviewId, a, b],
  );
  const row = rows[0];
  if (!row || !row.coversA.includes(a) || !row.coversB.includes(b)) return { covers: { a: [a], b: [b] } };
  return { covers: { a: row.coversA, b: row.coversB }, ...(row.parts ? { parts: row.parts } : {}) };
}

/**
 * Completed imports whose records no dedup run has read yet. Read before the records are, so every
 * record of each import listed is among the records the run compares.
 */
export async function importsAwaitingDedup(db: Sql, reviewId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM imports WHERE review_id = $1 AND status = 'complete' AND awaiting_dedup`,
    [reviewId],
  );
  return rows.map((r) => r.id);
}

/** Lets routing take these imports' records: the run being saved has compared them all. */
export async function markImportsDeduplicated(tx: Sql, importIds: readonly string[]): Promise<void> {
  if (importIds.length === 0) return;
  await tx.query(`UPDATE imports SET awaiting_dedup = false WHERE id = ANY($1::uuid[])`, [importIds]);
}

/**
 * Replaces the review's dedup state with `result`, maintains `records.duplicate_of` and appends
 * the merge/split events of the diff, all in the caller's transaction. Keyed on `runKey` so a
 * retried job writes its events once.
 */
export async function saveDedupResult(
  tx: Sql,
  reviewId: string,
  result: DedupResult,
  runKey: string,
): Promise<void> {
  // Two runs for one review (two imports finishing together) must not interleave their replace.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('dedup:' || $1::text))`, [reviewId]);
  // Groups and review questions are few: replaced whole. Members and pairs, one or more a record,
  // are written as the difference from what the last run stored.
  await tx.query(`DELETE FROM dedup_groups WHERE review_id = $1`, [reviewId]);
  await tx.query(`DELETE FROM dedup_review_pairs WHERE review_id = $1`, [reviewId]);
  const members = result.groups.flatMap((g) => g.members.map((m) => ({ ...m, groupId: g.id })));
  for (let i = 0; i < result.groups.length; i += 5000) {
    const part = result.groups.slice(i, i + 5000);
    await tx.query(
      `INSERT INTO dedup_groups (review_id, group_id, kept_id, canonical, provenance, sources)
       SELECT $1, g, k, c::jsonb, p::jsonb, s::jsonb FROM unnest($2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[]) AS v(g, k, c, p, s)`,
      [
        reviewId,
        part.map((g) => g.id),
        part.map((g) => g.keptId),
        part.map((g) => JSON.stringify({ ...g.canonical.record, raw: undefined })),
        part.map((g) => JSON.stringify(g.canonical.provenance)),
        part.map((g) => JSON.stringify(g.sources)),
      ],
    );
  }
  await writeReviewRows(tx, reviewId, DEDUP_MEMBERS, members, [
    (m) => m.recordId,
    (m) => m.groupId,
    (m) => m.kept,
    (m) => m.tier,
    (m) => m.score,
    (m) => m.reason,
  ]);
  for (let i = 0; i < result.review.length; i += 5000) {
    const part = result.review
      .slice(i, i + 5000)
      .map((p) => (p.a < p.b ? p : { ...p, a: p.b, b: p.a, covers: { a: p.covers.b, b: p.covers.a } }));
    // Arrays of arrays do not pass through unnest row by row: each side travels as one text.
    await tx.query(
      `INSERT INTO dedup_review_pairs (review_id, record_a, record_b, score, reason, covers_a, covers_b, parts)
       SELECT $1, a, b, s, x, ca::uuid[], cb::uuid[], pa::jsonb
         FROM unnest($2::uuid[], $3::uuid[], $4::real[], $5::text[], $6::text[], $7::text[], $8::text[]) AS v(a, b, s, x, ca, cb, pa)
       ON CONFLICT DO NOTHING`,
      [
        reviewId,
        part.map((p) => p.a),
        part.map((p) => p.b),
        part.map((p) => p.score),
        part.map((p) => p.reason),
        part.map((p) => `{${p.covers.a.join(',')}}`),
        part.map((p) => `{${p.covers.b.join(',')}}`),
        part.map((p) => (p.parts ? JSON.stringify(p.parts) : null)),
      ],
    );
  }
  // Each pair once: the plan's pair set never holds one twice, so no ON CONFLICT, whose speculative
  // insertion cost 2.2-2.4 s against 1.4 s for 465,277 pairs of 54,642 real records (PostgreSQL,
  // in-sample).
  await writeReviewRows(tx, reviewId, DEDUP_PAIRS, result.pairs, [
    (p) => p.a,
    (p) => p.b,
    (p) => p.status,
    (p) => p.score,
    (p) => p.reason,
  ]);
  const duplicates = members.filter((m) => !m.kept);
  const keptOf = new Map(result.groups.map((g) => [g.id, g.keptId]));
  await tx.query(
    `UPDATE records SET duplicate_of = NULL WHERE review_id = $1 AND duplicate_of IS NOT NULL AND NOT (id = ANY($2::uuid[]))`,
    [reviewId, duplicates.map((m) => m.recordId)],
  );
  // In parts, as the inserts above: on PGlite a statement holds this process's only thread, and
  // one over 50,674 records held it for 5-7 s, longer than anything else a run does.
  for (let i = 0; i < duplicates.length; i += 5000) {
    const part = duplicates.slice(i, i + 5000);
    await tx.query(
      `UPDATE records r SET duplicate_of = v.k FROM unnest($1::uuid[], $2::uuid[]) AS v(id, k)
        WHERE r.id = v.id AND r.duplicate_of IS DISTINCT FROM v.k`,
      [part.map((m) => m.recordId), part.map((m) => keptOf.get(m.groupId)!)],
    );
  }
  const byId = new Map(result.groups.map((g) => [g.id, g]));
  const changed = [
    ...result.diff.created.map((id) => ({
      id,
      added: byId.get(id)!.members.map((m) => m.recordId),
      removed: [] as string[],
    })),
    ...result.diff.changed,
  ];
  // One statement per thousand events, not a round trip each (a large import makes a group each).
  await appendEvents(tx, [
    ...changed.map((c) => {
      const g = byId.get(c.id)!;
      return {
        reviewId,
        type: DEDUP_EVENTS.merged,
        entityType: 'dedup-group',
        entityId: g.id,
        data: {
          manual: false,
          keptId: g.keptId,
          recordIds: g.members.map((m) => m.recordId),
          added: c.added,
          removed: c.removed,
        },
        idempotencyKey: `dedup:${runKey}:${g.id}:merged`,
      };
    }),
    ...result.diff.dissolved.map((id) => ({
      reviewId,
      type: DEDUP_EVENTS.split,
      entityType: 'dedup-group',
      entityId: id,
      data: { manual: false },
      idempotencyKey: `dedup:${runKey}:${id}:split`,
    })),
    ...result.inherits.map((inh) => ({
      reviewId,
      type: DEDUP_EVENTS.inherited,
      entityType: 'record',
      entityId: inh.recordId,
      data: { fromRecordId: inh.fromRecordId },
      idempotencyKey: `dedup:inherit:${inh.recordId}:${inh.fromRecordId}`,
    })),
  ]);
  await tx.query(`INSERT INTO dedup_runs (review_id, job_id, stats) VALUES ($1, $2, $3)`, [
    reviewId,
    runKey,
    JSON.stringify(result.stats),
  ]);
  await appendEvent(tx, {
    reviewId,
    type: DEDUP_EVENTS.completed,
    entityType: 'review',
    entityId: reviewId,
    data: { ...result.stats },
    idempotencyKey: `dedup:${runKey}:done`,
  });
}

/** One row per record for `winnow export duplicates`: singletons included, kept = true. */
export interface DuplicateRow {
  group_id: string;
  record_id: string;
  source_file: string;
  source_index: number;
  kept: boolean;
  tier: string;
  score: number | '';
  reason: string;
}

export async function listDuplicateRows(db: Sql, reviewId: string): Promise<DuplicateRow[]> {
  const { rows } = await db.query<DuplicateRow>(
    `SELECT COALESCE(m.group_id, 'r-' || r.id::text) AS group_id, r.id AS record_id, i.file_name AS source_file,
            r.source_index, COALESCE(m.kept, true) AS kept, COALESCE(m.tier, 'distinct') AS tier,
            m.score, COALESCE(m.reason, 'no duplicate found') AS reason
       FROM records r JOIN imports i ON i.id = r.import_id
       LEFT JOIN dedup_members m ON m.record_id = r.id
      WHERE r.review_id = $1
      ORDER BY COALESCE(m.group_id, 'r-' || r.id::text), COALESCE(m.kept, true) DESC, i.file_name, r.source_index`,
    [reviewId],
  );
  return rows.map((r) => ({
    ...r,
    score: r.score === null ? '' : Math.round(Number(r.score) * 1000) / 1000,
  }));
}

/** One row per candidate pair for `winnow export duplicate-pairs`. */
export interface DuplicatePairRow {
  record_a: string;
  record_b: string;
  source_file_a: string;
  source_index_a: number;
  source_file_b: string;
  source_index_b: number;
  status: string;
  score: number;
  reason: string;
}

export async function listDuplicatePairRows(db: Sql, reviewId: string): Promise<DuplicatePairRow[]> {
  const { rows } = await db.query<DuplicatePairRow>(
    `SELECT p.record_a, p.record_b, ia.file_name AS source_file_a, a.source_index AS source_index_a,
            ib.file_name AS source_file_b, b.source_index AS source_index_b, p.status, p.score, p.reason
       FROM dedup_pairs p
       JOIN records a ON a.id = p.record_a JOIN imports ia ON ia.id = a.import_id
       JOIN records b ON b.id = p.record_b JOIN imports ib ON ib.id = b.import_id
      WHERE p.review_id = $1
      ORDER BY ia.file_name, a.source_index, ib.file_name, b.source_index`,
    [reviewId],
  );
  return rows.map((r) => ({ ...r, score: Math.round(Number(r.score) * 1000) / 1000 }));
}

export interface PairSide {
  id: string;
  sourceFile: string;
  sourceIndex: number;
  record: NormalisedRecord;
}

export interface ReviewQueuePair {
  a: PairSide;
  b: PairSide;
  score: number;
  reason: string;
  /** What one answer settles: the records of `a`'s group and of `b`'s group, and the record pairs across them. */
  covers: { aRecords: number; bRecords: number; records: number; pairs: number };
  /**
   * When the question links more than two groups: how many, their records and the record pairs
   * across them (what an answer for all settles), and one record of each other group.
   */
  all?: { groups: number; records: number; pairs: number; others: OtherRecord[] };
}

/** One record of another group of a question, enough to recognise it. */
export interface OtherRecord {
  id: string;
  sourceFile: string;
  sourceIndex: number;
  groupRecords: number;
  title: string;
  year?: number;
  journal?: string;
  volume?: string;
  pages?: string;
}

/**
 * The questions still to answer, best first, with both records for side-by-side display: one per
 * pair of groups. `total` counts questions, `pendingPairs` the candidate pairs they cover (as the
 * pair export counts them).
 */
export async function listReviewQueue(
  db: Sql,
  reviewId: string,
  limit = 50,
): Promise<{ total: number; pendingPairs: number; pairs: ReviewQueuePair[] }> {
  const total = await db.query<{ n: number; pending: number }>(
    `SELECT (SELECT count(*)::int FROM dedup_review_pairs WHERE review_id = $1) AS n,
            (SELECT count(*)::int FROM dedup_pairs WHERE review_id = $1 AND status = 'pending') AS pending`,
    [reviewId],
  );
  const { rows } = await db.query<{
    score: number;
    reason: string;
    aId: string;
    aFile: string;
    aIndex: number;
    aData: NormalisedRecord;
    bId: string;
    bFile: string;
    bIndex: number;
    bData: NormalisedRecord;
    aRecords: number;
    bRecords: number;
    parts: string[][] | null;
  }>(
    `SELECT p.score, p.reason,
            greatest(cardinality(p.covers_a), 1) AS "aRecords", greatest(cardinality(p.covers_b), 1) AS "bRecords", p.parts,
            a.id AS "aId", ia.file_name AS "aFile", a.source_index AS "aIndex", a.data AS "aData",
            b.id AS "bId", ib.file_name AS "bFile", b.source_index AS "bIndex", b.data AS "bData"
       FROM dedup_review_pairs p
       JOIN records a ON a.id = p.record_a JOIN imports ia ON ia.id = a.import_id
       JOIN records b ON b.id = p.record_b JOIN imports ib ON ib.id = b.import_id
      WHERE p.review_id = $1
      ORDER BY p.score DESC, p.record_a, p.record_b
      LIMIT $2`,
    [reviewId, limit],
  );
  const strip = (r: NormalisedRecord): NormalisedRecord => ({ ...r, raw: '' });
  const othersOf = (r: (typeof rows)[number]) =>
    (r.parts ?? []).filter((p) => !p.includes(r.aId) && !p.includes(r.bId));
  const others = await otherRecords(
    db,
    rows.flatMap((r) => othersOf(r)),
  );
  return {
    total: total.rows[0]?.n ?? 0,
    pendingPairs: total.rows[0]?.pending ?? 0,
    pairs: rows.map((r) => ({
      score: Number(r.score),
      reason: r.reason,
      covers: {
        aRecords: r.aRecords,
        bRecords: r.bRecords,
        records: r.aRecords + r.bRecords,
        pairs: r.aRecords * r.bRecords,
      },
      a: { id: r.aId, sourceFile: r.aFile, sourceIndex: r.aIndex, record: strip(r.aData) },
      b: { id: r.bId, sourceFile: r.bFile, sourceIndex: r.bIndex, record: strip(r.bData) },
      ...(r.parts
        ? {
            all: allOf(
              r.parts,
              othersOf(r).flatMap((p) => others.get(p[0]!) ?? []),
            ),
          }
        : {}),
    })),
  };
}

function allOf(parts: readonly string[][], others: OtherRecord[]): NonNullable<ReviewQueuePair['all']> {
  const records = parts.reduce((n, p) => n + p.length, 0);
  const within = parts.reduce((n, p) => n + p.length * p.length, 0);
  return { groups: parts.length, records, pairs: (records * records - within) / 2, others };
}

/** The first record of each group, for showing the other groups of a question. */
async function otherRecords(db: Sql, parts: readonly string[][]): Promise<Map<string, OtherRecord>> {
  const size = new Map(parts.map((p) => [p[0]!, p.length]));
  if (size.size === 0) return new Map();
  const { rows } = await db.query<{
    id: string;
    sourceFile: string;
    sourceIndex: number;
    data: NormalisedRecord;
  }>(
    `SELECT r.id, i.file_name AS "sourceFile", r.source_index AS "sourceIndex", r.data
       FROM records r JOIN imports i ON i.id = r.import_id WHERE r.id = ANY($1::uuid[])`,
    [[...size.keys()]],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        sourceFile: r.sourceFile,
        sourceIndex: r.sourceIndex,
        groupRecords: size.get(r.id) ?? 1,
        title: r.data.title,
        ...(r.data.year !== undefined ? { year: r.data.year } : {}),
        ...(r.data.journal ? { journal: r.data.journal } : {}),
        ...(r.data.volume ? { volume: r.data.volume } : {}),
        ...(r.data.pages?.asWritten ? { pages: r.data.pages.asWritten } : {}),
      },
    ]),
  );
}

export interface StoredGroup {
  id: string;
  keptId: string;
  sources: Record<string, number>;
  canonical: NormalisedRecord;
  provenance: Record<string, string>;
  members: {
    recordId: string;
    kept: boolean;
    tier: string;
    score: number;
    reason: string;
    /** A reviewer said it is the same report (its tier reads `certain`, as the rule's merges do). */
    byReviewer: boolean;
    sourceFile: string;
    sourceIndex: number;
  }[];
}

export async function listGroups(
  db: Sql,
  reviewId: string,
  opts: { groupId?: string; limit?: number; offset?: number } = {},
): Promise<StoredGroup[]> {
  const { rows: groups } = await db.query<{
    id: string;
    keptId: string;
    sources: Record<string, number>;
    canonical: NormalisedRecord;
    provenance: Record<string, string>;
  }>(
    `SELECT group_id AS id, kept_id AS "keptId", sources, canonical, provenance FROM dedup_groups
      WHERE review_id = $1 AND ($2::text IS NULL OR group_id = $2) ORDER BY group_id LIMIT $3 OFFSET $4`,
    [reviewId, opts.groupId ?? null, opts.limit ?? 100, opts.offset ?? 0],
  );
  if (groups.length === 0) return [];
  const { rows: members } = await db.query<
    Omit<StoredGroup['members'][number], 'byReviewer'> & { groupId: string }
  >(
    `SELECT m.group_id AS "groupId", m.record_id AS "recordId", m.kept, m.tier, m.score, m.reason,
            i.file_name AS "sourceFile", r.source_index AS "sourceIndex"
       FROM dedup_members m JOIN records r ON r.id = m.record_id JOIN imports i ON i.id = r.import_id
      WHERE m.review_id = $1 AND m.group_id = ANY($2::text[])
      ORDER BY m.kept DESC, i.file_name, r.source_index`,
    [reviewId, groups.map((g) => g.id)],
  );
  return groups.map((g) => ({
    ...g,
    members: members
      .filter((m) => m.groupId === g.id)
      .map(({ groupId: _g, ...m }) => ({
        ...m,
        score: Number(m.score),
        byReviewer: joinedByReviewer(m.reason),
      })),
  }));
}

/** How many duplicate groups the review has (listGroups pages through them). */
export async function countGroups(db: Sql, reviewId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM dedup_groups WHERE review_id = $1',
    [reviewId],
  );
  return rows[0]?.n ?? 0;
}

/** Records that belong to this review, so a decision cannot name another review's records. */
export async function assertRecordsInReview(
  db: Sql,
  reviewId: string,
  ids: readonly string[],
): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM records WHERE review_id = $1 AND id = ANY($2::uuid[])`,
    [reviewId, [...new Set(ids)]],
  );
  return (rows[0]?.n ?? 0) === new Set(ids).size;
}
