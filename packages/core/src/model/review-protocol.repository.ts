import type { Db } from '../db/db.types.ts';
import { WinnowError } from '../errors/winnow-error.ts';
import { appendEvent } from '../events/event-log.ts';
import type { Review } from './reviews.repository.ts';

/** The protocol as registered: what the review asks, what it includes, where it is registered. */
export interface ReviewProtocol {
  question: string;
  eligibility: string;
  registration: string;
}

export const EMPTY_PROTOCOL: ReviewProtocol = { question: '', eligibility: '', registration: '' };

export function protocolOf(review: Pick<Review, 'settings'>): ReviewProtocol {
  const p = (review.settings.protocol ?? {}) as Partial<ReviewProtocol>;
  return { ...EMPTY_PROTOCOL, ...p };
}

export type ReviewChange = Partial<ReviewProtocol> & { title?: string };

/**
 * Changes the title and protocol fields in one transaction; each field that actually changed is one
 * `review.updated` event with its previous value, so the log says who changed what and from what.
 */
export async function updateReview(
  db: Db,
  input: { reviewId: string; change: ReviewChange; actorId: string },
): Promise<Review> {
  if (input.change.title !== undefined && input.change.title.trim() === '') {
    throw new WinnowError('VALIDATION', 'The title cannot be empty', { location: { field: 'title' } });
  }
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<Review>(
      `SELECT id, slug, title, description, settings, created_at AS "createdAt" FROM reviews WHERE id = $1 FOR UPDATE`,
      [input.reviewId],
    );
    const review = rows[0];
    if (!review) throw new WinnowError('NOT_FOUND', 'No such review');
    const before = { title: review.title, ...protocolOf(review) };
    const after = { ...before };
    for (const [key, value] of Object.entries(input.change) as [keyof typeof before, string | undefined][]) {
      if (value !== undefined) after[key] = key === 'title' ? value.trim() : value;
    }
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => after[k] !== before[k]);
    if (changed.length === 0) return review;
    const protocol: ReviewProtocol = {
      question: after.question,
      eligibility: after.eligibility,
      registration: after.registration,
    };
    const { rows: updated } = await tx.query<Review>(
      `UPDATE reviews SET title = $2, settings = jsonb_set(settings, '{protocol}', $3::jsonb) WHERE id = $1
       RETURNING id, slug, title, description, settings, created_at AS "createdAt"`,
      [input.reviewId, after.title, JSON.stringify(protocol)],
    );
    for (const field of changed) {
      await appendEvent(tx, {
        reviewId: input.reviewId,
        type: 'review.updated',
        actorId: input.actorId,
        entityType: 'review',
        entityId: input.reviewId,
        data: { field, value: after[field], previous: before[field] },
      });
    }
    return updated[0]!;
  });
}
