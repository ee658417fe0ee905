import { getReviewBySlug } from '@winnow/core';
import { dedupStateKey, type DedupSummary } from '@winnow/ingest';
import { command } from '../command.ts';

export const dedupeCommand = command({
  name: 'dedupe',
  summary: 'Deduplicate the review’s records (also runs after every import); manual decisions are kept',
  needs: 'workers',
  async run({ rt, reviewSlug }) {
    const review = await getReviewBySlug(rt.db, reviewSlug);
    const trigger = await dedupStateKey(rt.db, review.id);
    const { jobId } = await rt.queue.enqueue('dedup.run', { reviewId: review.id, trigger });
    return (await rt.queue.waitFor(jobId)) as DedupSummary;
  },
  human: (r: DedupSummary) =>
    `${r.records} records, ${r.groups} duplicate groups, ${r.duplicatesRemoved} duplicates removed (${r.autoMerged} pairs merged automatically), ${r.needsReview} questions to review (covering ${r.pendingPairs} candidate pairs)`,
});
