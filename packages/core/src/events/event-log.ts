import type { Sql } from '../db/db.types.ts';

export interface NewEvent {
  reviewId: string | null;
  /** Dotted, past tense: `import.completed`, `decision.cast`, `dedup.merged`, `conflict.resolved`. */
  type: string;
  actorId?: string | null;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
  /** When set, appending the same key again is a no-op (a retried job writes once). */
  idempotencyKey?: string;
}

export interface EventRow {
  id: number;
  reviewId: string | null;
  type: string;
  actorId: string | null;
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

const COLUMNS = `id, review_id AS "reviewId", type, actor_id AS "actorId", entity_type AS "entityType",
  entity_id AS "entityId", data, created_at AS "createdAt"`;

/**
 * Appends one event. Call it inside the transaction that makes the change it records, so the
 * change and its event land together. Returns null when the idempotency key was already used.
 */
export async function appendEvent(tx: Sql, e: NewEvent): Promise<EventRow | null> {
  const { rows } = await tx.query<EventRow>(
    `INSERT INTO events (review_id, type, actor_id, entity_type, entity_id, data, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      e.reviewId,
      e.type,
      e.actorId ?? null,
      e.entityType,
      e.entityId,
      JSON.stringify(e.data ?? {}),
      e.idempotencyKey ?? null,
    ],
  );
  return rows[0] ?? null;
}

/** Events appended per statement by appendEvents. */
const EVENT_BATCH = 1000;

/**
 * Appends many events, in their order, a statement per thousand: as appendEvent each, without a
 * round trip each (a dedup run logs a merge per group, over a thousand for a large import). Like
 * appendEvent, an idempotency key already used appends nothing.
 */
export async function appendEvents(tx: Sql, events: readonly NewEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += EVENT_BATCH) {
    const part = events.slice(i, i + EVENT_BATCH);
    await tx.query(
      `INSERT INTO events (review_id, type, actor_id, entity_type, entity_id, data, idempotency_key)
       SELECT r, t, a, et, ei, d::jsonb, k
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
              WITH ORDINALITY AS v(r, t, a, et, ei, d, k, n)
        ORDER BY n
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [
        part.map((e) => e.reviewId),
        part.map((e) => e.type),
        part.map((e) => e.actorId ?? null),
        part.map((e) => e.entityType),
        part.map((e) => e.entityId),
        part.map((e) => JSON.stringify(e.data ?? {})),
        part.map((e) => e.idempotencyKey ?? null),
      ],
    );
  }
}

export interface EventQuery {
  reviewId: string;
  types?: string[];
  entityType?: string;
  entityId?: string;
  afterId?: number;
  limit?: number;
  /**
   * Leaves out every event about these records at these stages (`data.stage`): the caller is
   * blinded on them (screening's blinding policy decides which). Filtered in the query, so `limit`
   * and `afterId` paging still work.
   */
  withoutRecordStages?: readonly { recordId: string; stage: string }[];
}

export async function listEvents(db: Sql, q: EventQuery): Promise<EventRow[]> {
  const where = ['review_id = $1'];
  const params: unknown[] = [q.reviewId];
  if (q.types?.length) {
    params.push(q.types);
    where.push(`type = ANY($${params.length}::text[])`);
  }
  if (q.entityType) {
    params.push(q.entityType);
    where.push(`entity_type = $${params.length}`);
  }
  if (q.entityId) {
    params.push(q.entityId);
    where.push(`entity_id = $${params.length}`);
  }
  if (q.afterId !== undefined) {
    params.push(q.afterId);
    where.push(`id > $${params.length}`);
  }
  if (q.withoutRecordStages?.length) {
    params.push(q.withoutRecordStages.map((h) => h.recordId));
    params.push(q.withoutRecordStages.map((h) => h.stage));
    where.push(
      `NOT (entity_type = 'record' AND (entity_id, coalesce(data->>'stage', '')) IN (SELECT * FROM unnest($${params.length - 1}::text[], $${params.length}::text[])))`,
    );
  }
  params.push(q.limit ?? 10_000);
  const { rows } = await db.query<EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${params.length}`,
    params,
  );
  return rows;
}
