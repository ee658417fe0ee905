import { defineJob } from '@winnow/core';
import { z } from 'zod';
import { runDedup } from './dedup.service.ts';

/**
 * `dedup.run`: re-derives a review's duplicate groups. Enqueued after each completed import
 * (`{ reviewId, trigger: importId }`), after manual decisions and by `winnow dedupe`
 * (`trigger: dedupStateKey(...)`). Idempotent: the stored state is replaced in one transaction.
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
  handler: async (p, ctx) => runDedup(ctx.db, p.reviewId, ctx.jobId, (f, m) => ctx.progress(f, m)),
});
