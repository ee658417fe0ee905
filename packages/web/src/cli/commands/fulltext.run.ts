import { createReadStream, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { getReviewBySlug, WinnowError } from '@winnow/core';
import {
  addBatchUpload,
  closeBatch,
  createBatch,
  FULLTEXT_MATCH_JOB,
  type BatchSummary,
} from '@winnow/screening';
import type { CommandContext } from '../command.ts';

/** The files a user named: files as they are, folders for the PDFs and zips directly inside. */
function filesToAdd(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    const st = statSync(a, { throwIfNoEntry: false });
    if (!st) throw new WinnowError('NOT_FOUND', `${a}: no such file or folder`, { location: { file: a } });
    if (st.isDirectory())
      out.push(
        ...readdirSync(a)
          .filter((f) => /\.(pdf|zip)$/i.test(f))
          .sort()
          .map((f) => path.join(a, f)),
      );
    else out.push(a);
  }
  if (out.length === 0)
    throw new WinnowError('BAD_REQUEST', 'winnow fulltext add: no PDF or zip files found');
  return out;
}

export async function runFullTextAdd({ rt, args, reviewSlug, config }: CommandContext) {
  if (args.length === 0)
    throw new WinnowError('BAD_REQUEST', 'winnow fulltext add: give PDF files, a folder or a zip');
  const files = filesToAdd(args);
  const review = await getReviewBySlug(rt.db, reviewSlug);
  const batchId = await createBatch(rt.db, { reviewId: review.id, actorId: null });
  for (const file of files)
    await addBatchUpload(rt.db, {
      reviewId: review.id,
      batchId,
      fileName: path.basename(file),
      source: createReadStream(file),
      maxBytes: config.uploadMaxBytes,
    });
  await closeBatch(rt.db, review.id, batchId);
  const { jobId } = await rt.queue.enqueue(FULLTEXT_MATCH_JOB, {
    reviewId: review.id,
    batchId,
    actorId: null,
  });
  const summary = (await rt.queue.waitFor(jobId)) as BatchSummary;
  return {
    attached: summary.attached,
    ambiguous: summary.ambiguous,
    unmatched: summary.unmatched,
    duplicates: summary.duplicates,
    ...(summary.failed.length ? { failed: summary.failed } : {}),
  };
}
