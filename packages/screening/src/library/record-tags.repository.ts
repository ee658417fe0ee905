import { appendEvent, WinnowError, type Sql } from '@winnow/core';

/** The tags every review starts with; a team adds its own. */
export const DEFAULT_TAGS = ['background', 'check later', 'ask the lead'] as const;

/** A tag as a person typed it, tidied: trimmed, inner white space single, at most 60 characters. */
export function tagName(raw: string): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (name.length === 0 || name.length > 60)
    throw new WinnowError('VALIDATION', 'A tag has 1 to 60 characters', { location: { field: 'name' } });
  return name;
}

/** SQL ($1 review, $2 the default tags): every tag name of the review, as `n(name)`. */
const TAG_NAMES = `(SELECT unnest($2::text[]) AS name
             UNION SELECT name FROM review_tags WHERE review_id = $1
             UNION SELECT DISTINCT name FROM record_tags WHERE review_id = $1) n`;

/** The review's tags (defaults, added ones and any in use) with how many records carry each. */
export async function listTags(db: Sql, reviewId: string): Promise<{ name: string; records: number }[]> {
  const { rows } = await db.query<{ name: string; records: number }>(
    `SELECT n.name, (SELECT count(*)::int FROM record_tags t WHERE t.review_id = $1 AND t.name = n.name) AS records
       FROM ${TAG_NAMES}
      ORDER BY lower(n.name), n.name`,
    [reviewId, [...DEFAULT_TAGS]],
  );
  return rows;
}

/**
 * The tag as the review already spells it, when it has one that differs only in case ("Patient
 * safety" typed where "patient safety" exists): one tag, not two. Otherwise the tidied name.
 */
async function reviewSpelling(db: Sql, reviewId: string, raw: string): Promise<string> {
  const name = tagName(raw);
  const { rows } = await db.query<{ name: string }>(
    `SELECT n.name FROM ${TAG_NAMES}
      WHERE lower(n.name) = lower($3) ORDER BY n.name = $3 DESC, n.name LIMIT 1`,
    [reviewId, [...DEFAULT_TAGS], name],
  );
  return rows[0]?.name ?? name;
}

export async function addReviewTag(tx: Sql, reviewId: string, actorId: string, raw: string): Promise<string> {
  const name = await reviewSpelling(tx, reviewId, raw);
  await tx.query(
    `INSERT INTO review_tags (review_id, name, created_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [reviewId, name, actorId],
  );
  return name;
}

/**
 * Tags or untags records of this review, each change an event in the same transaction. Records of
 * another review are refused as a whole (nothing is written). Returns how many records changed.
 */
export async function setRecordTag(
  tx: Sql,
  input: { reviewId: string; actorId: string; recordIds: readonly string[]; name: string; on: boolean },
): Promise<number> {
  const name = await reviewSpelling(tx, input.reviewId, input.name);
  const ids = [...new Set(input.recordIds)];
  const { rows: own } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM records WHERE review_id = $1 AND id = ANY($2::uuid[])`,
    [input.reviewId, ids],
  );
  if ((own[0]?.n ?? 0) !== ids.length) throw new WinnowError('NOT_FOUND', 'No such records in this review');
  const { rows: changed } = input.on
    ? await tx.query<{ id: string }>(
        `INSERT INTO record_tags (review_id, record_id, name, added_by)
         SELECT $1, id, $3, $4 FROM unnest($2::uuid[]) AS id
         ON CONFLICT DO NOTHING RETURNING record_id AS id`,
        [input.reviewId, ids, name, input.actorId],
      )
    : await tx.query<{ id: string }>(
        `DELETE FROM record_tags WHERE review_id = $1 AND record_id = ANY($2::uuid[]) AND name = $3
         RETURNING record_id AS id`,
        [input.reviewId, ids, name],
      );
  for (const { id } of changed)
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: input.on ? 'record.tagged' : 'record.untagged',
      actorId: input.actorId,
      entityType: 'record',
      entityId: id,
      data: { tag: name },
    });
  return changed.length;
}

/** One record's tags, by name; a record of another review is not found. */
export async function recordTags(db: Sql, reviewId: string, recordId: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string | null }>(
    `SELECT t.name FROM records r LEFT JOIN record_tags t ON t.record_id = r.id AND t.review_id = r.review_id
      WHERE r.review_id = $1 AND r.id = $2 ORDER BY t.name`,
    [reviewId, recordId],
  );
  if (rows.length === 0) throw new WinnowError('NOT_FOUND', 'No such record in this review');
  return rows.flatMap((r) => (r.name === null ? [] : [r.name]));
}
