import { getReviewBySlug } from '@winnow/core';
import { listReviewQueue } from '@winnow/ingest';
import type { CommandContext } from '../command.ts';
import { numberOption } from '../option-value.ts';

export async function runDuplicatesQueue({ rt, reviewSlug, opts }: CommandContext) {
  const limit = numberOption(opts.limit, { whole: true, from: 1, to: 500 }, 50, 'limit');
  const review = await getReviewBySlug(rt.db, reviewSlug);
  return listReviewQueue(rt.db, review.id, limit);
}
