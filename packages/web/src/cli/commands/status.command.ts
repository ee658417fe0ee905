import { getReviewBySlug } from '@winnow/core';
import { reviewStatus } from '../../status/status-contributors.ts';
import { command } from '../command.ts';

export const statusCommand = command({
  name: 'status',
  summary: 'Counts per stage for a review, derived from its record',
  needs: 'runtime',
  async run({ rt, reviewSlug }) {
    const review = await getReviewBySlug(rt.db, reviewSlug);
    return { review: review.slug, title: review.title, ...(await reviewStatus(rt.db, review.id)) };
  },
});
