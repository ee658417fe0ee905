import { createHash } from 'node:crypto';
import { appendEvent, WinnowError, type Db, type Sql } from '@winnow/core';
import { getStageConfig } from '../stages/stage-config.repository.ts';
import type { StageConfig } from '../stages/stage-config.schema.ts';
import type { Stage } from '../stages/stage.types.ts';
import type { LiveRankings, LiveTrainingData } from './live-ranking.ts';
import {
  prioritisationSettingsSchema,
  type PrioritisationSettings,
} from './prioritisation-settings.schema.ts';
import { rankUnlabelled } from './ranking.ts';
import { seededRandom } from './rng.ts';
import type { StoppingResult } from './stopping-rule.ts';

export async function getPrioritisationSettings(
  db: Sql,
  reviewId: string,
  stage: Stage,
): Promise<PrioritisationSettings> {
  const { rows } = await db.query<{ settings: unknown }>(
    `SELECT settings FROM prioritisation_settings WHERE review_id = $1 AND stage = $2`,
    [reviewId, stage],
  );
  return settingsFrom(rows[0]?.settings);
}

/** A stage's stored prioritisation settings (absent: the defaults), as the schema reads them. */
function settingsFrom(stored: unknown): PrioritisationSettings {
  return prioritisationSettingsSchema.parse(stored ?? {});
}

export async function setPrioritisationSettings(
  db: Db,
  input: { reviewId: string; stage: Stage; settings: Partial<PrioritisationSettings>; actorId: string },
): Promise<PrioritisationSettings> {
  return db.transaction(async (tx) => {
    const merged = prioritisationSettingsSchema.parse({
      ...(await getPrioritisationSettings(tx, input.reviewId, input.stage)),
      ...input.settings,
    });
    await tx.query(
      `INSERT INTO prioritisation_settings (review_id, stage, settings) VALUES ($1, $2, $3)
       ON CONFLICT (review_id, stage) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()`,
      [input.reviewId, input.stage, JSON.stringify(merged)],
    );
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'prioritisation.configured',
      actorId: input.actorId,
      entityType: 'stage',
      entityId: input.stage,
      data: merged,
    });
    return merged;
  });
}

/** Highest decision or resolution id at the stage: the labels a model rests on. */
export async function votesBasis(
  db: Sql,
  reviewId: string,
  stage: Stage,
): Promise<{ basisSeq: number; votes: number }> {
  const { rows } = await db.query<{ basisSeq: number; votes: number }>(
    `SELECT greatest((SELECT coalesce(max(id), 0) FROM decisions WHERE review_id = $1 AND stage = $2),
                     (SELECT coalesce(max(id), 0) FROM resolutions WHERE review_id = $1 AND stage = $2))::bigint AS "basisSeq",
            ((SELECT count(*) FROM decisions WHERE review_id = $1 AND stage = $2) +
             (SELECT count(*) FROM resolutions WHERE review_id = $1 AND stage = $2))::int AS votes`,
    [reviewId, stage],
  );
  return rows[0] ?? { basisSeq: 0, votes: 0 };
}

const AUTOMATION = `coalesce(s.outcome->>'by', '') = 'automation'`;

/**
 * Records settled by people at the stage (automation exclusions are no labels): advanced is a
 * relevant label, excluded an irrelevant one. Every settled record has a settled reconciliation.
 */
const SETTLED = `s.review_id = $1 AND s.stage = $2 AND s.status IN ('advanced', 'excluded') AND NOT ${AUTOMATION}`;
/**
 * A settled record's first settled reconciliation (`s` is its stage row), read by the record's key.
 * Grouping the review's reconciliations instead let a planner that had not yet counted a new
 * review's rows (estimating one) group them again for every settled record: 610 x 305 rows, 65-100
 * ms a retrain at 1,000 records. Keyed by record, each is one index lookup whatever the estimate.
 */
const FIRST_SETTLED_RECONCILIATION = `SELECT min(c.id) AS first FROM reconciliations c
  WHERE c.record_id = s.record_id AND c.stage = s.stage AND c.outcome->>'status' IN ('advanced', 'excluded')`;

/** The settled labels a model rests on, counted. */
export interface SettledCounts {
  labelled: number;
  included: number;
  excluded: number;
}

/** The settled labels counted, and a key that changes whenever any of them does. */
export interface SettledLabels extends SettledCounts {
  /** md5 over "recordId:label" sorted by record id (labelsKey computes the same from a list). */
  key: string;
}

/** The key of a set of settled labels; equal keys mean the same records with the same labels. */
export function labelsKey(settled: readonly { recordId: string; label: 0 | 1 }[]): string {
  // Ids are uuids of one length, so sorting "id:label" sorts by id, in the order of COLLATE "C" below.
  const parts = settled.map((s) => `${s.recordId}:${s.label}`).sort();
  return createHash('md5').update(parts.join(',')).digest('hex');
}

// Keyed by the record alone (its review is the record's): with the review in it too, a planner that
// had not yet counted the rows of a new review's tables (estimating one) read the reconciliations by
// review for every settled record, 604 x 302 rows, 140-330 ms a vote at 1,000 records.
const SETTLED_WITH_RECONCILIATION = `${SETTLED} AND EXISTS (SELECT 1 FROM reconciliations c
  WHERE c.record_id = s.record_id AND c.stage = s.stage AND c.outcome->>'status' IN ('advanced', 'excluded'))`;
const SETTLED_COUNTS = `count(*)::int AS labelled,
            (count(*) FILTER (WHERE s.status = 'advanced'))::int AS included,
            (count(*) FILTER (WHERE s.status = 'excluded'))::int AS excluded`;

/**
 * The settled labels, counted, as SQL over stage rows `s` ($1 review, $2 stage); with `keyed`, also
 * their key. Deciding on a retrain after a vote needs the counts only. The key sorts and hashes every
 * settled record's id, on every vote that settles an outcome; a retrain is due only when more
 * records have settled than the latest model used, and then they differ from its labels whatever
 * the key would say.
 */
function settledSql(keyed: boolean): string {
  const key = keyed
    ? `, md5(coalesce(string_agg(s.record_id::text || ':' || CASE WHEN s.status = 'advanced' THEN '1' ELSE '0' END,
                                 ',' ORDER BY s.record_id::text COLLATE "C"), '')) AS key`
    : '';
  return `SELECT ${SETTLED_COUNTS}${key} FROM stage_records s WHERE ${SETTLED_WITH_RECONCILIATION}`;
}

export async function loadLiveTrainingData(
  db: Sql,
  reviewId: string,
  stage: Stage,
): Promise<LiveTrainingData> {
  const { rows: records } = await db.query<{
    id: string;
    title: string | null;
    abstract: string | null;
    keywords: unknown;
  }>(
    `SELECT r.id, r.title, r.data->>'abstract' AS abstract, r.data->'keywords' AS keywords
     FROM stage_records s JOIN records r ON r.id = s.record_id
     WHERE s.review_id = $1 AND s.stage = $2 AND NOT (s.status = 'excluded' AND ${AUTOMATION})
     ORDER BY r.id`,
    [reviewId, stage],
  );
  // Settled records in the order they first settled: the "screening order" the stopping test needs.
  const { rows: settled } = await db.query<{ recordId: string; status: string }>(
    `SELECT s.record_id AS "recordId", s.status
     FROM stage_records s CROSS JOIN LATERAL (${FIRST_SETTLED_RECONCILIATION}) f
     WHERE ${SETTLED} AND f.first IS NOT NULL
     ORDER BY f.first`,
    [reviewId, stage],
  );
  const { rows: votes } = await db.query<{ recordId: string; reviewerId: string; vote: string }>(
    `SELECT DISTINCT ON (d.record_id, d.reviewer_id) d.record_id AS "recordId", d.reviewer_id AS "reviewerId", d.vote
     FROM decisions d WHERE d.review_id = $1 AND d.stage = $2 AND d.role = 'reviewer'
     ORDER BY d.record_id, d.reviewer_id, d.id DESC`,
    [reviewId, stage],
  );
  const { rows: reviewers } = await db.query<{ reviewerId: string }>(
    `SELECT DISTINCT reviewer_id AS "reviewerId" FROM assignments WHERE review_id = $1 AND stage = $2 AND state = 'open' ORDER BY 1`,
    [reviewId, stage],
  );
  return {
    records: records.map((r) => ({
      id: r.id,
      title: r.title,
      abstract: r.abstract,
      keywords: Array.isArray(r.keywords) ? (r.keywords as string[]) : null,
    })),
    settled: settled.map((s) => ({ recordId: s.recordId, label: s.status === 'advanced' ? 1 : 0 })),
    votes: votes
      .filter((v) => v.vote === 'include' || v.vote === 'exclude')
      .map((v) => ({ recordId: v.recordId, reviewerId: v.reviewerId, label: v.vote === 'include' ? 1 : 0 })),
    reviewers: reviewers.map((r) => r.reviewerId),
  };
}

/**
 * Stores a model and its shared ranking in one transaction, then moves each reviewer's open
 * assignments into their new score order, one reviewer a statement (its own transaction). Returns
 * null when another model was saved since the caller decided to train (`after`, the latest model it saw: two retrains
 * that ran side by side keep the first), or when the latest model rests on the same settled labels
 * with the same classifier (a re-run job).
 *
 * The reorders are apart because they lock the queue's rows: a reviewer's vote marks its assignment
 * done and waited for the whole save (50 reviewers' rankings and queues, 150-250 ms), the slowest
 * votes of a review being screened at a reviewer's pace. Each reorder takes the save's lock again
 * and gives way to a newer model, so a queue never goes back to an older model's order. The queues
 * are read once, before the reorders: until the next retrain, a record routing appends meanwhile
 * keeps its place after the others, one moved in by load balancing keeps its position, and one voted
 * on or moved out is skipped. A crash between them leaves the queues not yet reordered in the
 * previous model's order until the next retrain: the order of a queue is a preference, not a record.
 */
export async function saveRankings(
  db: Db,
  input: {
    reviewId: string;
    stage: Stage;
    /** Highest vote id when the labels were read; seeds the random share of the reordering. */
    basisSeq: number;
    /** labelsKey of the settled labels the model was trained on. */
    labelsKey: string;
    /** Id of the latest model when the caller decided to train (null: there was none). */
    after: number | null;
    records: number;
    rankings: LiveRankings;
    randomShare: number;
    /**
     * The retrain's time so far (ms), kept with the model until the caller records the whole
     * (recordRetrainTime): a retrain becoming due while this one reorders the queues waits for it.
     */
    busyMs: number;
    /**
     * Whether the stage serves records in the model's order (its order setting is `prioritised`).
     * With random order the model still ranks every record, for the stopping test and the records
     * library, but the queues stay as routed. Default true.
     */
    reorder?: boolean;
  },
): Promise<{ modelId: number; reordered: number } | null> {
  const { rankings: r } = input;
  const lock = `prioritisation:${input.reviewId}:${input.stage}`;
  const modelId = await db.transaction(async (tx) => {
    // One writer per review and stage, so "the latest model" below cannot change under us.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [lock]);
    const { rows: latest } = await tx.query<{ id: number; labelsKey: string | null; classifier: string }>(
      `SELECT id, labels_key AS "labelsKey", classifier FROM prioritisation_models
       WHERE review_id = $1 AND stage = $2 ORDER BY id DESC LIMIT 1`,
      [input.reviewId, input.stage],
    );
    const last = latest[0];
    if (last && Number(last.id) !== input.after) return null;
    if (last?.labelsKey === input.labelsKey && last.classifier === r.classifier) return null;
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO prioritisation_models (review_id, stage, basis_seq, labels_key, classifier, records, labelled, relevant, stopping, busy_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        input.reviewId,
        input.stage,
        input.basisSeq,
        input.labelsKey,
        r.classifier,
        input.records,
        r.labelled,
        r.relevant,
        JSON.stringify(r.stopping),
        Math.round(input.busyMs),
      ],
    );
    const id = Number(rows[0]!.id);
    if (r.shared)
      await tx.query(
        `INSERT INTO prioritisation_rankings (model_id, reviewer_id, scores) VALUES ($1, NULL, $2)`,
        [id, JSON.stringify(Object.fromEntries(r.shared))],
      );
    // Each reviewer's own ranking orders their queue below and is not kept: nothing reads it once
    // the queue is in its order (it was stored, a JSON object of every record's score, 50 a retrain,
    // and deleted at the next: some 3 ms of PostgreSQL's time a vote with 50 reviewers voting).
    // Only the latest rankings are read; older ones would just grow the table.
    await tx.query(
      `DELETE FROM prioritisation_rankings WHERE model_id IN (SELECT id FROM prioritisation_models WHERE review_id = $1 AND stage = $2 AND id < $3)`,
      [input.reviewId, input.stage, id],
    );
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'prioritisation.retrained',
      entityType: 'stage',
      entityId: input.stage,
      data: {
        modelId: id,
        basisSeq: input.basisSeq,
        labelled: r.labelled,
        relevant: r.relevant,
        pValue: r.stopping.pValue,
        estimatedRecall: r.stopping.estimatedRecall,
      },
      idempotencyKey: `prioritisation:${input.reviewId}:${input.stage}:model-${id}`,
    });
    return id;
  });
  if (modelId === null) return null;
  if (input.reorder === false) return { modelId, reordered: 0 };
  // Each reviewer's open queue, read at once, then put in order by one statement per reviewer
  // (reorder_open_queue, migration 0790): its own transaction, so a reviewer's vote waits for no
  // other reviewer's reorder, and it gives way to a newer model saved meanwhile.
  const queues = await openQueues(db, input.reviewId, input.stage, [...r.perReviewer.keys()]);
  let reordered = 0;
  for (const [reviewerId, scores] of r.perReviewer) {
    const queue = queues.get(reviewerId) ?? [];
    if (queue.length < 2) continue;
    const order = queueOrder(queue, scores, input);
    const base = queue[0]!.position;
    const { rows } = await db.query<{ queued: number | null }>(
      `SELECT reorder_open_queue($1, $2, $3, $4, $5, $6::uuid[], $7::int[]) AS queued`,
      [
        lock,
        modelId,
        input.reviewId,
        input.stage,
        reviewerId,
        order.map((i) => queue[i]!.id),
        order.map((_, k) => base + k),
      ],
    );
    const queued = rows[0]?.queued ?? null;
    // A newer model was saved meanwhile: its own reorders put the queues in its order.
    if (queued === null) break;
    reordered += queued;
  }
  return { modelId, reordered };
}

/** Records how long the retrain that saved a model took (training, saving and reordering). */
export async function recordRetrainTime(db: Sql, modelId: number, busyMs: number): Promise<void> {
  await db.query(`UPDATE prioritisation_models SET busy_ms = $2 WHERE id = $1`, [
    modelId,
    Math.round(busyMs),
  ]);
}

interface QueuedAssignment {
  id: string;
  recordId: string;
  position: number;
}

/** Each reviewer's open assignments, in their queue's order now. */
async function openQueues(
  db: Sql,
  reviewId: string,
  stage: Stage,
  reviewers: string[],
): Promise<Map<string, QueuedAssignment[]>> {
  const { rows } = await db.query<QueuedAssignment & { reviewerId: string }>(
    `SELECT reviewer_id AS "reviewerId", id, record_id AS "recordId", position FROM assignments
     WHERE review_id = $1 AND stage = $2 AND state = 'open' AND reviewer_id = ANY($3::uuid[])
     ORDER BY reviewer_id, position, record_id`,
    [reviewId, stage, reviewers],
  );
  const queues = new Map<string, QueuedAssignment[]>();
  for (const { reviewerId, ...a } of rows) {
    const queue = queues.get(reviewerId);
    if (queue) queue.push(a);
    else queues.set(reviewerId, [a]);
  }
  return queues;
}

/** The queue's indices by descending score, with the settings' random share (seeded by the basis). */
function queueOrder(
  queue: QueuedAssignment[],
  scores: Map<string, number>,
  input: { randomShare: number; basisSeq: number },
): number[] {
  return rankUnlabelled(
    queue.map((a) => scores.get(a.recordId) ?? -Infinity),
    new Uint8Array(queue.length),
    queue.length,
    {
      randomShare: input.randomShare,
      random: seededRandom(input.basisSeq),
      tieBreak: queue.map((_, i) => i),
    },
  );
}

/** The shared ranking (settled labels only) as routing reads it; null before any model exists. */
export async function latestScores(
  db: Sql,
  reviewId: string,
  stage: Stage,
): Promise<ReadonlyMap<string, number> | null> {
  const { rows } = await db.query<{ scores: Record<string, number> }>(
    `SELECT k.scores FROM prioritisation_rankings k JOIN prioritisation_models m ON m.id = k.model_id
     WHERE m.review_id = $1 AND m.stage = $2 AND k.reviewer_id IS NULL ORDER BY m.id DESC LIMIT 1`,
    [reviewId, stage],
  );
  return rows[0] ? new Map(Object.entries(rows[0].scores)) : null;
}

export interface PrioritisationModel {
  id: number;
  basisSeq: number;
  classifier: string;
  records: number;
  /** Settled records it was trained on, and how many of them were included. */
  labelled: number;
  relevant: number;
  trainedAt: Date;
  /** How long the retrain that saved it took, in ms (null: not recorded); see retrainWaitMs. */
  busyMs: number | null;
  stopping: StoppingResult | null;
}

export interface PrioritisationStatus {
  stage: Stage;
  settings: PrioritisationSettings;
  votes: number;
  /** The settled records now: what the next model trains on. */
  settled: { labelled: number; included: number; excluded: number };
  model: PrioritisationModel | null;
  /** Settled records beyond those the latest model used; it retrains when this reaches settings.retrainEvery. */
  settledSinceModel: number;
  stopped: { at: Date; excluded: number } | null;
  /** The stage's order of records: `prioritised` serves them in the model's order. */
  order: StageConfig['order'];
}

/** What deciding on a retrain needs: the settings, the settled labels now and those of the latest model. */
export interface RetrainState<Labels extends SettledCounts = SettledCounts> {
  settings: PrioritisationSettings;
  labels: Labels;
  model: (PrioritisationModel & { labelsKey: string | null }) | null;
  stopped: { at: Date; excluded: number } | null;
  /** The database's clock when read (ms since the epoch): the clock `model.trainedAt` is on. */
  nowMs: number;
}

/**
 * The retrain state with the settled labels counted (retrainDue), or also keyed (changedSinceModel).
 * One statement: a vote that settles an outcome reads it, and each round trip costs the web process a
 * socket write (a quarter of a millisecond on the bench's machine).
 */
export async function retrainState(db: Sql, reviewId: string, stage: Stage): Promise<RetrainState>;
export async function retrainState(
  db: Sql,
  reviewId: string,
  stage: Stage,
  keyed: 'keyed',
): Promise<RetrainState<SettledLabels>>;
export async function retrainState(
  db: Sql,
  reviewId: string,
  stage: Stage,
  keyed?: 'keyed',
): Promise<RetrainState<SettledCounts>> {
  const { rows } = await db.query<{
    settings: unknown;
    labels: SettledCounts & { key?: string };
    model: (Omit<PrioritisationModel, 'trainedAt'> & { trainedAt: string; labelsKey: string | null }) | null;
    stop: { at: string; data: { excludedRecordIds?: string[] } } | null;
    nowMs: number;
  }>(
    `SELECT (SELECT settings FROM prioritisation_settings WHERE review_id = $1 AND stage = $2) AS settings,
            (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS "nowMs",
            (SELECT row_to_json(l) FROM (${settledSql(keyed === 'keyed')}) l) AS labels,
            (SELECT row_to_json(m) FROM (
               SELECT id, basis_seq AS "basisSeq", labels_key AS "labelsKey", classifier, records, labelled,
                      relevant, created_at AS "trainedAt", busy_ms AS "busyMs", stopping
                 FROM prioritisation_models WHERE review_id = $1 AND stage = $2 ORDER BY id DESC LIMIT 1) m) AS model,
            (SELECT row_to_json(e) FROM (
               SELECT created_at AS at, data FROM events
                WHERE review_id = $1 AND type = 'automation.stopped' AND entity_id = $2
                ORDER BY id DESC LIMIT 1) e) AS stop`,
    [reviewId, stage],
  );
  const row = rows[0]!;
  const model = row.model ? { ...row.model, trainedAt: new Date(row.model.trainedAt) } : null;
  return {
    settings: settingsFrom(row.settings),
    labels: row.labels,
    model,
    stopped: row.stop
      ? { at: new Date(row.stop.at), excluded: row.stop.data.excludedRecordIds?.length ?? 0 }
      : null,
    nowMs: Number(row.nowMs),
  };
}

export async function prioritisationStatus(
  db: Sql,
  reviewId: string,
  stage: Stage,
): Promise<PrioritisationStatus> {
  const { settings, labels, model, stopped } = await retrainState(db, reviewId, stage);
  const { votes } = await votesBasis(db, reviewId, stage);
  const { config } = await getStageConfig(db, reviewId, stage);
  let shown: PrioritisationModel | null = null;
  if (model) {
    const { labelsKey: _key, ...rest } = model;
    shown = rest;
  }
  return {
    stage,
    settings,
    votes,
    settled: { labelled: labels.labelled, included: labels.included, excluded: labels.excluded },
    model: shown,
    settledSinceModel: Math.max(0, labels.labelled - (model?.labelled ?? 0)),
    stopped,
    order: config.order,
  };
}

/**
 * The lead's "stop early": records nobody has voted on yet are excluded as "automation" and their
 * open assignments revoked; the test result goes into an `automation.stopped` event, which PRISMA
 * counts as "excluded by automation tools". Records with any vote stay with the reviewers.
 */
export async function stopScreeningEarly(
  db: Db,
  input: {
    reviewId: string;
    stage: Stage;
    actorId: string;
    test: StoppingResult;
    forced: boolean;
    modelId: number | null;
  },
): Promise<{ excluded: string[] }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ recordId: string }>(
      `SELECT s.record_id AS "recordId" FROM stage_records s
       WHERE s.review_id = $1 AND s.stage = $2 AND s.status = 'awaiting-votes'
         AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.record_id = s.record_id AND d.stage = s.stage)
       ORDER BY s.record_id FOR UPDATE`,
      [input.reviewId, input.stage],
    );
    const ids = rows.map((r) => r.recordId);
    if (ids.length === 0)
      throw new WinnowError('CONFLICT', 'no unscreened records left to exclude at this stage');
    const outcome = {
      status: 'excluded',
      by: 'automation',
      reasons: ['stopping rule'],
      pValue: input.test.pValue,
      targetRecall: input.test.targetRecall,
    };
    await tx.query(
      `UPDATE stage_records SET status = 'excluded', outcome = $3, updated_at = now()
       WHERE stage = $2 AND record_id = ANY($1::uuid[]) AND status = 'awaiting-votes'`,
      [ids, input.stage, JSON.stringify(outcome)],
    );
    await tx.query(
      `UPDATE assignments SET state = 'revoked' WHERE stage = $2 AND record_id = ANY($1::uuid[]) AND state = 'open'`,
      [ids, input.stage],
    );
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'automation.stopped',
      actorId: input.actorId,
      entityType: 'stage',
      entityId: input.stage,
      data: {
        stage: input.stage,
        excludedRecordIds: ids,
        method: 'Callaghan & Mueller-Hansen (2020) hypergeometric stopping test',
        test: input.test,
        forced: input.forced,
        modelId: input.modelId,
      },
    });
    return { excluded: ids };
  });
}
