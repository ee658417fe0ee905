import { getReviewBySlug, WinnowError } from '@winnow/core';
import { listReviewQueue } from '@winnow/ingest';
import type { CommandContext } from '../command.ts';

export async function runDuplicatesQueue({ rt, reviewSlug, opts }: CommandContext) {
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new WinnowError('VALIDATION', `--limit ${String(opts.limit)}: give a whole number from 1 to 500`);
  const review = await getReviewBySlug(rt.db, reviewSlug);
  return listReviewQueue(rt.db, review.id, limit);
}
