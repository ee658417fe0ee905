import { defineJob } from '@winnow/core';
import { z } from 'zod';
import { failImport, getImport } from './import.repository.ts';
import { runImport } from './import.service.ts';

/**
 * `ingest.import`: parses one stored upload into records, then enqueues `dedup.run` for the review.
 * The job id is the import id, so a re-sent job is the same job; the writes are keyed, so a
 * retried job (worker killed mid-file) completes the import without writing anything twice.
 */
export const ingestImportJob = defineJob({
  name: 'ingest.import',
  schema: z.object({ importId: z.string().uuid(), reviewId: z.string().uuid() }),
  jobId: (p) => `import-${p.importId}`,
  reviewId: (p) => p.reviewId,
  attempts: 5,
  handler: async (p, ctx) => {
    const summary = await runImport(ctx.db, p.importId, {
      progress: (f, m) => ctx.progress(f, m),
      limits: ctx.config.importLimits,
    });
    if (summary.status === 'complete')
      await ctx.enqueue('dedup.run', { reviewId: p.reviewId, trigger: p.importId });
    return summary;
  },
  // Failed for good (attempts used up, or stopped after taking its worker down): the import is
  // marked failed and its partial records go, so the same file can be uploaded again.
  onFailed: async (p, { db, reason }) => {
    const imp = await getImport(db, p.importId);
    if (imp?.status === 'pending') await db.transaction((tx) => failImport(tx, imp, reason));
  },
});
