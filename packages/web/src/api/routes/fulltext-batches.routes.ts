import { z } from 'zod';
import { WinnowError } from '@winnow/core';
import {
  addBatchUpload,
  closeBatch,
  createBatch,
  FULLTEXT_EXTRACT_JOB,
  FULLTEXT_MATCH_JOB,
  getBatch,
  listBatches,
  resolveBatchFile,
  safeFileName,
  summariseBatch,
} from '@winnow/screening';
import { currentReview, currentUser, param } from '../../http/request-context.ts';
import { ANY_MEMBER, route } from '../../http/route.ts';

const SCREENERS = ['reviewer', 'lead', 'adjudicator'] as const;
const base = '/reviews/:review/fulltext/batches';
const batchParams = { batchId: z.uuid({ error: 'must be a UUID' }) };
const fileParams = {
  ...batchParams,
  position: z.string().regex(/^[1-9]\d{0,6}$/, 'must be a file number from 1'),
};

export const fullTextBatchRoutes = [
  route({
    method: 'post',
    path: base,
    tag: 'full-text',
    summary: 'Start a bulk upload of full texts (then add files and ask for matching)',
    access: SCREENERS,
    handler: async ({ req, res, rt }) => {
      res.status(201);
      return {
        batchId: await createBatch(rt.db, { reviewId: currentReview(req).id, actorId: currentUser(req).id }),
      };
    },
  }),
  route({
    method: 'get',
    path: base,
    tag: 'full-text',
    summary: 'The latest bulk uploads with how many files wait for the lead to pick their report',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => ({ batches: await listBatches(rt.db, currentReview(req).id) }),
  }),
  route({
    method: 'post',
    path: `${base}/:batchId/files`,
    tag: 'full-text',
    summary:
      'Add one PDF, or one zip of PDFs, to a bulk upload (raw body; ?fileName=; each file size-limited)',
    access: SCREENERS,
    rawBody: true,
    params: batchParams,
    query: z.object({ fileName: z.string().min(1).max(255) }),
    handler: async ({ req, res, rt, query }) => {
      const declared = Number(req.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > rt.config.uploadMaxBytes)
        throw new WinnowError(
          'PAYLOAD_TOO_LARGE',
          `${query.fileName} is ${declared} bytes; the limit is ${rt.config.uploadMaxBytes}`,
        );
      const files = await addBatchUpload(rt.db, {
        reviewId: currentReview(req).id,
        batchId: param(req, 'batchId'),
        fileName: query.fileName,
        source: req,
        maxBytes: rt.config.uploadMaxBytes,
      });
      res.status(201);
      return { files };
    },
  }),
  route({
    method: 'post',
    path: `${base}/:batchId/match`,
    tag: 'full-text',
    summary:
      'Match the uploaded files to reports sought for retrieval (queued job; its progress under /jobs)',
    access: SCREENERS,
    params: batchParams,
    responses: { '202': '{ jobId }' },
    handler: async ({ req, res, rt }) => {
      const review = currentReview(req);
      const batchId = param(req, 'batchId');
      await closeBatch(rt.db, review.id, batchId);
      const { jobId } = await rt.queue.enqueue(FULLTEXT_MATCH_JOB, {
        reviewId: review.id,
        batchId,
        actorId: currentUser(req).id,
      });
      res.status(202);
      return { jobId };
    },
  }),
  route({
    method: 'get',
    path: `${base}/:batchId`,
    tag: 'full-text',
    summary:
      'One bulk upload: each file with what became of it (attached, match these, unmatched, duplicate, failed) and candidates',
    access: ANY_MEMBER,
    params: batchParams,
    handler: async ({ req, rt }) => {
      const batch = await getBatch(rt.db, currentReview(req).id, param(req, 'batchId'));
      return { batch, summary: summariseBatch(batch) };
    },
  }),
  route({
    method: 'post',
    path: `${base}/:batchId/files/:position/attach`,
    tag: 'full-text',
    summary: 'The lead picks the report a file waiting for a match is the full text of',
    access: ['lead'],
    params: fileParams,
    body: z.object({ reportId: z.uuid() }),
    handler: async ({ req, rt, body }) => {
      const review = currentReview(req);
      const file = await resolveBatchFile(rt.db, {
        reviewId: review.id,
        batchId: param(req, 'batchId'),
        position: Number(param(req, 'position')),
        reportId: body.reportId,
        actorId: currentUser(req).id,
      });
      await rt.queue.enqueue(FULLTEXT_EXTRACT_JOB, {
        reviewId: review.id,
        blobId: file.blobId,
        fileName: safeFileName(file.fileName),
      });
      return { attached: true };
    },
  }),
];
