import { defineJob } from '@winnow/core';
import { z } from 'zod';
import { safeFileName } from './full-text.schema.ts';
import { runBatchMatch } from './fulltext-batch-match.repository.ts';
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

export const FULLTEXT_MATCH_JOB = 'fulltext.match';

/**
 * Matches the files of one bulk upload to the reports sought for retrieval and attaches the
 * confident matches (queueing each one's text reading). The job id is the batch's; the work skips
 * files already decided, so a retried job picks up where the last one stopped.
 */
export const fullTextMatchJob = defineJob({
  name: FULLTEXT_MATCH_JOB,
  schema: z.object({ reviewId: z.uuid(), batchId: z.uuid(), actorId: z.uuid().nullable() }),
  jobId: (p) => `fulltext-match-${p.batchId}`,
  reviewId: (p) => p.reviewId,
  attempts: 3,
  handler: async (p, ctx) =>
    runBatchMatch(ctx.db, p, {
      progress: (f, m) => ctx.progress(f, m),
      attached: async (file) => {
        await ctx.enqueue(FULLTEXT_EXTRACT_JOB, {
          reviewId: p.reviewId,
          ...file,
          fileName: safeFileName(file.fileName),
        });
      },
    }),
});

export const FULLTEXT_JOBS = [fullTextExtractJob, fullTextMatchJob];
