import { getReviewBySlug } from '@winnow/core';
import { dedupStateKey, type DedupSummary } from '@winnow/ingest';
import type { CommandContext } from '../command.ts';

export async function runDedupe({ rt, reviewSlug }: CommandContext): Promise<DedupSummary> {
  const review = await getReviewBySlug(rt.db, reviewSlug);
  const trigger = await dedupStateKey(rt.db, review.id);
  const { jobId } = await rt.queue.enqueue('dedup.run', { reviewId: review.id, trigger });
  return (await rt.queue.waitFor(jobId)) as DedupSummary;
}
