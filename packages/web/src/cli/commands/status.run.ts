import { getReviewBySlug } from '@winnow/core';
import { reviewStatus } from '../../status/status-contributors.ts';
import type { CommandContext } from '../command.ts';

export async function runStatus({ rt, reviewSlug }: CommandContext) {
  const review = await getReviewBySlug(rt.db, reviewSlug);
  return { review: review.slug, title: review.title, ...(await reviewStatus(rt.db, review.id)) };
}
