import { addMember, createReview, getUserByEmail, listReviews } from '@winnow/core';
import type { CommandContext } from '../command.ts';

export async function runReviewCreate({ rt, args, opts }: CommandContext) {
  const slug = args[0];
  if (!slug) throw new Error('Give the review a slug: winnow review create <slug>');
  const review = await createReview(rt.db, {
    slug,
    title: typeof opts.title === 'string' ? opts.title : slug,
    description: typeof opts.description === 'string' ? opts.description : '',
  });
  if (typeof opts.lead === 'string') {
    const user = await getUserByEmail(rt.db, opts.lead);
    await addMember(rt.db, { reviewId: review.id, userId: user.id, role: 'lead' });
  }
  return { review: { id: review.id, slug: review.slug, title: review.title } };
}

export async function runReviewList({ rt }: CommandContext) {
  const reviews = await listReviews(rt.db);
  return {
    reviews: reviews.map((r) => ({ id: r.id, slug: r.slug, title: r.title, createdAt: r.createdAt })),
  };
}
