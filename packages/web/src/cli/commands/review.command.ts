import type { Review } from '@winnow/core';
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
  run: async (ctx) => (await import('./review.run.ts')).runReviewCreate(ctx),
  human: (r: { review: Review }) => `created review ${r.review.slug} (${r.review.id})`,
});

export const reviewListCommand = command({
  name: 'review list',
  summary: 'List reviews',
  needs: 'runtime',
  run: async (ctx) => (await import('./review.run.ts')).runReviewList(ctx),
  human: (r: { reviews: Review[] }) =>
    r.reviews.map((x) => `${x.slug}\t${x.title}`).join('\n') || '(no reviews)',
});
