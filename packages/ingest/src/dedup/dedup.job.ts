import { defineJob } from '@winnow/core';
import { z } from 'zod';
import { runDedup } from './dedup.service.ts';

/**
 * Named, not imported: ingest does not depend on screening; the job registry checks the name and
 * payload when this is enqueued, so a rename there fails here at once.
 */
const ROUTE_JOB = 'screening.route';

/**
 * `dedup.run`: re-derives a review's duplicate groups. Enqueued after each completed import
 * (`{ reviewId, trigger: importId }`), after manual decisions and by `winnow dedupe`
 * (`trigger: dedupStateKey(...)`). Idempotent: the stored state is replaced in one transaction.
 * When done it queues title/abstract routing keyed on the same trigger, so new unique records
 * reach reviewers and records merged away leave their queues with no further call; a re-run of
 * this job sends the same routing job again, which is deduplicated (and routing is idempotent).
 */
export const dedupRunJob = defineJob({
  name: 'dedup.run',
  schema: z.object({
    reviewId: z.string().uuid(),
    trigger: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/)
      .default('manual'),
  }),
  jobId: (p) => `dedup-${p.reviewId}-${p.trigger}`,
  reviewId: (p) => p.reviewId,
  handler: async (p, ctx) => {
    const summary = await runDedup(ctx.db, p.reviewId, ctx.jobId, (f, m) => ctx.progress(f, m));
    await ctx.enqueue(ROUTE_JOB, {
      reviewId: p.reviewId,
      stage: 'title-abstract',
      trigger: `dedup-${p.trigger}`,
    });
    return summary;
  },
});
