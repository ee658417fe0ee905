import { defineJob } from '@winnow/core';
import { z } from 'zod';
import { assignCoding } from './assignment.repository.ts';

/**
 * Turns newly included reports into studies and queues them for coding. `basis` (any token the
 * caller picks, e.g. the latest event id) lets a later run get a fresh job id while an exact
 * re-send is deduplicated; the work itself is idempotent either way.
 */
export const extractionAssignJob = defineJob({
  name: 'extraction.assign',
  schema: z.object({
    reviewId: z.uuid(),
    basis: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    /** After a change of members: hand on a leaver's tasks, start nothing new (see assignCoding). */
    existingOnly: z.boolean().optional(),
  }),
  jobId: (p) => `extraction-assign-${p.reviewId}-${p.basis}`,
  reviewId: (p) => p.reviewId,
  handler: async (p, ctx) => {
    const result = await assignCoding(ctx.db, p.reviewId, { existingOnly: p.existingOnly ?? false });
    await ctx.progress(1, `${result.newStudies} new studies, ${result.assigned} assignments`);
    return result;
  },
});
