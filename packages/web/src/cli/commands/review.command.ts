import { addMember, createReview, getUserByEmail, listReviews, type Review } from '@winnow/core';
import { command } from '../command.ts';

export const reviewCreateCommand = command({
  name: 'review create',
  summary: 'Create a review',
  usage: '<slug>',
  options: {
    title: { type: 'string', description: 'Title (default: the slug)' },
    description: { type: 'string', description: 'Description' },
    lead: { type: 'string', description: 'Email of an existing user who becomes lead' },
  },
  needs: 'runtime',
  async run({ rt, args, opts }) {
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
  },
  human: (r: { review: Review }) => `created review ${r.review.slug} (${r.review.id})`,
});

export const reviewListCommand = command({
  name: 'review list',
  summary: 'List reviews',
  needs: 'runtime',
  async run({ rt }) {
    const reviews = await listReviews(rt.db);
    return {
      reviews: reviews.map((r) => ({ id: r.id, slug: r.slug, title: r.title, createdAt: r.createdAt })),
    };
  },
  human: (r: { reviews: Review[] }) =>
    r.reviews.map((x) => `${x.slug}\t${x.title}`).join('\n') || '(no reviews)',
});
