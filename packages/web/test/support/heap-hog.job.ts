import { defineJob } from '@winnow/core';
import { z } from 'zod';

/**
 * A job for heap-guard.test.ts that keeps allocating and reporting progress, as an import of an
 * input far too large would: the worker must fail it before the process runs out of memory.
 */
export const heapHogJob = defineJob({
  name: 'test.heap-hog',
  schema: z.object({ run: z.string() }),
  jobId: (p) => `hog-${p.run}`,
  reviewId: () => null,
  attempts: 3,
  handler: async (_p, ctx) => {
    const hog: number[][] = [];
    for (let i = 0; ; i++) {
      hog.push(Array.from({ length: 50_000 }, (_, k) => k + i));
      if (i % 20 === 0) await ctx.progress(0.5, `${hog.length} blocks`);
    }
  },
});
