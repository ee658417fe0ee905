import { defineJob } from '@winnow/core';
import { z } from 'zod';
import { extractFullText } from './fulltext-text.repository.ts';

export const FULLTEXT_EXTRACT_JOB = 'fulltext.extract';

/**
 * Reads an attached PDF's text per page (queued after every attachment). The job id is the blob's,
 * so a re-sent job is the same job; the write replaces the file's pages, so a retried one is too.
 */
export const fullTextExtractJob = defineJob({
  name: FULLTEXT_EXTRACT_JOB,
  schema: z.object({ reviewId: z.uuid(), blobId: z.uuid(), fileName: z.string().min(1).max(255) }),
  jobId: (p) => `fulltext-extract-${p.blobId}`,
  reviewId: (p) => p.reviewId,
  attempts: 3,
  handler: async (p, ctx) => {
    const result = await extractFullText(ctx.db, p);
    await ctx.progress(1, result.message ?? `${result.pages} pages read`);
    return result;
  },
});

export const FULLTEXT_JOBS = [fullTextExtractJob];
