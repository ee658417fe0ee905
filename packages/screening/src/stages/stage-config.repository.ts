import { appendEvent, WinnowError, type Db, type Sql } from '@winnow/core';
import {
  stageConfigSchema,
  withReasonCodes,
  type StageConfig,
  type StageConfigInput,
} from './stage-config.schema.ts';
import { STAGES, type Stage } from './stage.types.ts';

export interface StoredStageConfig {
  config: StageConfig;
  /** Null while a calibration pilot holds the stage closed. */
  openedAt: Date | null;
  /** Set while a lead holds the stage closed: records wait in it, nobody is assigned or served. */
  heldAt: Date | null;
}

/** Both stages' configs, in STAGES order (the library reads them together). */
export function getStageConfigs(db: Sql, reviewId: string): Promise<StoredStageConfig[]> {
  return Promise.all(STAGES.map((s) => getStageConfig(db, reviewId, s)));
}

export async function getStageConfig(db: Sql, reviewId: string, stage: Stage): Promise<StoredStageConfig> {
  const { rows } = await db.query<{ config: string; openedAt: Date | null; heldAt: Date | null }>(
    `SELECT config::text AS config, opened_at AS "openedAt", held_at AS "heldAt"
     FROM stage_configs WHERE review_id = $1 AND stage = $2`,
    [reviewId, stage],
  );
  const row = rows[0];
  // A stage nobody has configured is open: a new review's records flow without any set-up.
  if (!row) return { config: parseStageConfig(null), openedAt: new Date(0), heldAt: null };
  return { config: parseStageConfig(row.config), openedAt: row.openedAt, heldAt: row.heldAt };
}

const parsedConfigs = new Map<string, StageConfig>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * A stored configuration (its JSON text; null when the stage has none) as a validated StageConfig.
 * Every vote and every "next record" reads the configuration, and it changes rarely: parsing is
 * memoised on the text, and the shared result is frozen so no caller can change it for the others.
 */
export function parseStageConfig(text: string | null): StageConfig {
  const key = text ?? '{}';
  let config = parsedConfigs.get(key);
  if (!config) {
    // structuredClone: zod shares default arrays between results, and those must stay unfrozen.
    config = deepFreeze(structuredClone(stageConfigSchema.parse(JSON.parse(key))));
    if (parsedConfigs.size >= 200) parsedConfigs.clear();
    parsedConfigs.set(key, config);
  }
  return config;
}

/** Makes sure the row exists, so routing and reconciliation can lock it. */
export async function ensureStageConfig(tx: Sql, reviewId: string, stage: Stage): Promise<void> {
  await tx.query(`INSERT INTO stage_configs (review_id, stage) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    reviewId,
    stage,
  ]);
}

/** Serialises routing of one stage across processes: the row lock is held until the transaction ends. */
export async function lockStage(tx: Sql, reviewId: string, stage: Stage): Promise<void> {
  await ensureStageConfig(tx, reviewId, stage);
  await tx.query(`SELECT 1 FROM stage_configs WHERE review_id = $1 AND stage = $2 FOR UPDATE`, [
    reviewId,
    stage,
  ]);
}

/** Names a configuration path the way the settings page labels it. */
function describeConfigPath(path: readonly PropertyKey[]): string {
  const [head, index, leaf] = path;
  const n = typeof index === 'number' ? ` ${index + 1}` : '';
  switch (head) {
    case 'votesNeeded':
      return 'Votes needed';
    case 'criteria':
      return 'Criteria';
    case 'exclusionReasons':
      return `Exclusion reason${n}${leaf === 'code' ? ' (its name)' : ''}`;
    case 'highlight':
      return `${index === 'exclude' ? 'Exclude' : 'Include'} highlight terms`;
    case 'adjudication':
      return 'Who may resolve conflicts';
    default:
      return String(head ?? 'Stage settings');
  }
}

/** Reason codes used by any vote or resolution at the stage: these may be retired, never deleted. */
async function usedReasonCodes(tx: Sql, reviewId: string, stage: Stage): Promise<Set<string>> {
  const { rows } = await tx.query<{ code: string }>(
    `SELECT DISTINCT jsonb_array_elements_text(reasons) AS code FROM decisions WHERE review_id = $1 AND stage = $2
     UNION SELECT DISTINCT jsonb_array_elements_text(reasons) FROM resolutions WHERE review_id = $1 AND stage = $2`,
    [reviewId, stage],
  );
  return new Set(rows.map((r) => r.code));
}

export async function saveStageConfig(
  db: Db,
  input: { reviewId: string; stage: Stage; config: StageConfigInput; actorId: string },
): Promise<StageConfig> {
  const parsed = stageConfigSchema.safeParse(withReasonCodes(input.config));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    throw new WinnowError('VALIDATION', `${describeConfigPath(path)}: ${issue?.message}`, {
      location: { field: path.join('.') || 'config' },
    });
  }
  return db.transaction(async (tx) => {
    const before = await getStageConfig(tx, input.reviewId, input.stage);
    const kept = new Set(parsed.data.exclusionReasons.map((r) => r.code));
    const dropped = before.config.exclusionReasons.filter((r) => !kept.has(r.code));
    if (dropped.length > 0) {
      const used = await usedReasonCodes(tx, input.reviewId, input.stage);
      const inUse = dropped.find((r) => used.has(r.code));
      if (inUse) {
        throw new WinnowError(
          'VALIDATION',
          `The exclusion reason “${inUse.label}” is used by past votes: retire it instead of deleting it, so those votes keep their reason`,
          { location: { field: 'exclusionReasons' } },
        );
      }
    }
    await tx.query(
      `INSERT INTO stage_configs (review_id, stage, config) VALUES ($1, $2, $3)
       ON CONFLICT (review_id, stage) DO UPDATE SET config = EXCLUDED.config, updated_at = now()`,
      [input.reviewId, input.stage, JSON.stringify(parsed.data)],
    );
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'stage.configured',
      actorId: input.actorId,
      entityType: 'stage',
      entityId: input.stage,
      data: { previous: before.config, config: parsed.data },
    });
    return parsed.data;
  });
}

export async function setStageOpen(tx: Sql, reviewId: string, stage: Stage, open: boolean): Promise<void> {
  await ensureStageConfig(tx, reviewId, stage);
  await tx.query(
    `UPDATE stage_configs SET opened_at = ${open ? 'coalesce(opened_at, now())' : 'NULL'} WHERE review_id = $1 AND stage = $2`,
    [reviewId, stage],
  );
}

/**
 * Holds a stage closed or opens it again (lead), logged as `stage.held` / `stage.opened`. Returns
 * the event of the change, or null when the stage already was that way (nothing is logged). Runs
 * under the stage lock, so a routing run sees the stage either held or open, never half-way.
 */
export async function setStageHeld(
  db: Db,
  input: { reviewId: string; stage: Stage; held: boolean; actorId: string },
): Promise<{ eventId: number } | null> {
  return db.transaction(async (tx) => {
    await lockStage(tx, input.reviewId, input.stage);
    const { rows } = input.held
      ? await tx.query(
          `UPDATE stage_configs SET held_at = now(), held_by = $3
           WHERE review_id = $1 AND stage = $2 AND held_at IS NULL RETURNING stage`,
          [input.reviewId, input.stage, input.actorId],
        )
      : await tx.query(
          `UPDATE stage_configs SET held_at = NULL, held_by = NULL
           WHERE review_id = $1 AND stage = $2 AND held_at IS NOT NULL RETURNING stage`,
          [input.reviewId, input.stage],
        );
    if (rows.length === 0) return null;
    const event = await appendEvent(tx, {
      reviewId: input.reviewId,
      type: input.held ? 'stage.held' : 'stage.opened',
      actorId: input.actorId,
      entityType: 'stage',
      entityId: input.stage,
      data: { stage: input.stage },
    });
    return { eventId: event!.id };
  });
}

/** Whether a lead holds the stage closed; read under the stage lock by routing. */
export async function isStageHeld(db: Sql, reviewId: string, stage: Stage): Promise<boolean> {
  const { rows } = await db.query<{ held: boolean }>(
    `SELECT held_at IS NOT NULL AS held FROM stage_configs WHERE review_id = $1 AND stage = $2`,
    [reviewId, stage],
  );
  return rows[0]?.held ?? false;
}
