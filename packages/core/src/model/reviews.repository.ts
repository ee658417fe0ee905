import type { Sql } from '../db/db.types.ts';
import { WinnowError } from '../errors/winnow-error.ts';
import { appendEvent } from '../events/event-log.ts';

/** A coder codes included studies and does not screen; reviewers screen and code. */
export type Role = 'lead' | 'reviewer' | 'adjudicator' | 'viewer' | 'coder';
export const ROLES: readonly Role[] = ['lead', 'reviewer', 'adjudicator', 'viewer', 'coder'];

export interface Review {
  id: string;
  slug: string;
  title: string;
  description: string;
  settings: Record<string, unknown>;
  createdAt: Date;
}

const COLUMNS = `id, slug, title, description, settings, created_at AS "createdAt"`;

export async function createReview(
  db: { transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> },
  input: { slug: string; title: string; description?: string; actorId?: string | null },
): Promise<Review> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(input.slug)) {
    throw new WinnowError(
      'VALIDATION',
      `Review slug "${input.slug}" must be lower-case letters, digits and dashes`,
      {
        location: { field: 'slug' },
      },
    );
  }
  return db.transaction(async (tx) => {
    const existing = await tx.query('SELECT 1 FROM reviews WHERE slug = $1', [input.slug]);
    if (existing.rows.length)
      throw new WinnowError('CONFLICT', `A review with slug "${input.slug}" already exists`);
    const { rows } = await tx.query<Review>(
      `INSERT INTO reviews (slug, title, description) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
      [input.slug, input.title, input.description ?? ''],
    );
    const review = rows[0]!;
    await appendEvent(tx, {
      reviewId: review.id,
      type: 'review.created',
      actorId: input.actorId ?? null,
      entityType: 'review',
      entityId: review.id,
      data: { slug: review.slug, title: review.title },
    });
    return review;
  });
}

export async function findReviewBySlug(db: Sql, slug: string): Promise<Review | null> {
  const { rows } = await db.query<Review>(`SELECT ${COLUMNS} FROM reviews WHERE slug = $1`, [slug]);
  return rows[0] ?? null;
}

export async function getReviewBySlug(db: Sql, slug: string): Promise<Review> {
  const review = await findReviewBySlug(db, slug);
  if (!review) throw new WinnowError('NOT_FOUND', `No review "${slug}"`);
  return review;
}

export async function listReviews(db: Sql, userId?: string): Promise<Review[]> {
  if (!userId) {
    return (await db.query<Review>(`SELECT ${COLUMNS} FROM reviews ORDER BY created_at`)).rows;
  }
  const { rows } = await db.query<Review>(
    `SELECT ${COLUMNS} FROM reviews r WHERE EXISTS (SELECT 1 FROM members m WHERE m.review_id = r.id AND m.user_id = $1)
     ORDER BY created_at`,
    [userId],
  );
  return rows;
}

/** Settings are merged shallowly per key; the change is logged with its previous value. */
export async function updateReviewSettings(
  db: { transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> },
  reviewId: string,
  key: string,
  value: unknown,
  actorId: string | null,
): Promise<void> {
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ settings: Record<string, unknown> }>(
      'SELECT settings FROM reviews WHERE id = $1 FOR UPDATE',
      [reviewId],
    );
    const previous = rows[0]?.settings[key];
    await tx.query(`UPDATE reviews SET settings = jsonb_set(settings, $2::text[], $3::jsonb) WHERE id = $1`, [
      reviewId,
      [key],
      JSON.stringify(value),
    ]);
    await appendEvent(tx, {
      reviewId,
      type: 'review.settings-changed',
      actorId,
      entityType: 'review',
      entityId: reviewId,
      data: { key, value, previous: previous ?? null },
    });
  });
}
