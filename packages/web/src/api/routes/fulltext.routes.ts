import { z } from 'zod';
import { getBlobInfo, WinnowError, type Db } from '@winnow/core';
import {
  addRetrieval,
  extractFullText,
  forgetStageTotals,
  FULLTEXT_EXTRACT_JOB,
  getFullTextText,
  getReport,
  safeFileName,
  storeAttachment,
} from '@winnow/screening';
import { linkReportToStudy } from '@winnow/extraction';
import { currentReview, currentUser, param } from '../../http/request-context.ts';
import { ANY_MEMBER, route } from '../../http/route.ts';
import { titled } from '../../http/validation-message.ts';
import { sendStoredFile } from '../../http/user-file.ts';

const SCREENERS = ['reviewer', 'lead', 'adjudicator'] as const;
const reportId = (p: string) => z.uuid().parse(p);

/**
 * A file's stored text. Files attached before text was read at upload have no reading yet and no
 * job coming: they are read here once, the same way the job reads them, and stored.
 */
export async function fullTextOf(
  db: Db,
  reviewId: string,
  blobId: string,
  fileName: string,
  withPages = true,
) {
  const text = await getFullTextText(db, blobId, withPages);
  if (text.status !== 'pending') return text;
  const { rows } = await db.query(
    `SELECT 1 FROM jobs WHERE id = $1 AND state IN ('queued', 'active', 'retrying')`,
    [`fulltext-extract-${blobId}`],
  );
  if (rows.length > 0) return text;
  await extractFullText(db, { reviewId, blobId, fileName });
  return getFullTextText(db, blobId, withPages);
}

export const fullTextRoutes = [
  route({
    method: 'get',
    path: '/reviews/:review/reports/:reportId',
    tag: 'full-text',
    summary: 'A report: retrieval state (file, URL, not retrieved), study and sibling reports',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => ({
      report: await getReport(rt.db, currentReview(req).id, reportId(param(req, 'reportId'))),
    }),
  }),
  route({
    method: 'post',
    path: '/reviews/:review/reports/:reportId/file',
    tag: 'full-text',
    summary:
      'Attach the full text: a PDF only (raw body; ?fileName=; must start with %PDF- and open in pdf.js; size-limited)',
    access: SCREENERS,
    rawBody: true,
    query: z.object({ fileName: z.string().min(1).max(255) }),
    handler: async ({ req, res, rt, query }) => {
      const review = currentReview(req);
      const declared = Number(req.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > rt.config.uploadMaxBytes) {
        throw new WinnowError(
          'PAYLOAD_TOO_LARGE',
          `${query.fileName} is ${declared} bytes; the limit is ${rt.config.uploadMaxBytes}`,
        );
      }
      const stored = await storeAttachment(rt.db, {
        reviewId: review.id,
        reportId: reportId(param(req, 'reportId')),
        fileName: query.fileName,
        source: req,
        maxBytes: rt.config.uploadMaxBytes,
        actorId: currentUser(req).id,
      });
      // A report marked not retrieved rejoins the stage's count: the progress bar shows it at once.
      forgetStageTotals(review.id);
      await rt.queue.enqueue(FULLTEXT_EXTRACT_JOB, {
        reviewId: review.id,
        blobId: stored.blobId,
        fileName: safeFileName(query.fileName),
      });
      res.status(201);
      return stored;
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/reports/:reportId/files/:blobId',
    tag: 'full-text',
    summary:
      'The attached file itself (PDF inline, anything else as a download; answers Range requests with 206 so viewers page through large files)',
    access: ANY_MEMBER,
    handler: async ({ req, res, rt }) => {
      const review = currentReview(req);
      const report = await getReport(rt.db, review.id, reportId(param(req, 'reportId')));
      const blobId = param(req, 'blobId');
      const source = report.sources.find((s) => s.kind === 'file' && s.blobId === blobId);
      const info = source ? await getBlobInfo(rt.db, blobId) : null;
      if (!source || source.kind !== 'file' || !info)
        throw new WinnowError('NOT_FOUND', 'This file is not attached to this report');
      // The type is the retrieval's checked one, never the blob's (which once kept the request's).
      await sendStoredFile(req, res, rt.db, {
        blobId,
        fileName: source.fileName,
        checkedType: source.mediaType,
        bytes: info.bytes,
        sha256: info.sha256,
      });
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/reports/:reportId/files/:blobId/text',
    tag: 'full-text',
    summary:
      'The attached PDF’s text per page ({status: read | no-text-layer | failed | pending, message, pageCount, pages: [{page, text}]}; ?pages=false for the status alone)',
    access: ANY_MEMBER,
    query: z.object({ pages: z.enum(['true', 'false']).default('true') }),
    handler: async ({ req, rt, query }) => {
      const review = currentReview(req);
      const report = await getReport(rt.db, review.id, reportId(param(req, 'reportId')));
      const blobId = param(req, 'blobId');
      const source = report.sources.find((s) => s.kind === 'file' && s.blobId === blobId);
      if (!source || source.kind !== 'file')
        throw new WinnowError('NOT_FOUND', 'This file is not attached to this report');
      return fullTextOf(rt.db, review.id, blobId, source.fileName, query.pages === 'true');
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/reports/:reportId/url',
    tag: 'full-text',
    summary: 'Record where the full text is (http/https URL)',
    access: SCREENERS,
    // Titled as the full-text panel asks for it, so a refused address is named in its words.
    body: titled(
      z.object({
        url: z.url({
          protocol: /^https?$/,
          message: 'must be a web address starting with http:// or https://',
        }),
      }),
      { url: 'The full text’s address' },
    ),
    handler: async ({ req, res, rt, body }) => {
      const id = await addRetrieval(rt.db, {
        reviewId: currentReview(req).id,
        reportId: reportId(param(req, 'reportId')),
        retrieval: { kind: 'url', url: body.url },
        actorId: currentUser(req).id,
      });
      forgetStageTotals(currentReview(req).id);
      res.status(201);
      return { retrievalId: id };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/reports/:reportId/not-retrieved',
    tag: 'full-text',
    summary:
      'Mark a report not retrieved (PRISMA "reports not retrieved"), with the reason: no reviewer assesses it then. Over an attached PDF only with confirm: true (409 otherwise)',
    access: SCREENERS,
    body: titled(z.object({ reason: z.string().trim().min(1).max(1_000), confirm: z.boolean().optional() }), {
      reason: 'The reason it could not be retrieved',
    }),
    handler: async ({ req, res, rt, body }) => {
      const id = await addRetrieval(rt.db, {
        reviewId: currentReview(req).id,
        reportId: reportId(param(req, 'reportId')),
        retrieval: { kind: 'not-retrieved', reason: body.reason },
        actorId: currentUser(req).id,
        replaceFile: body.confirm === true,
      });
      // The report leaves the stage's count: the progress bar shows it at once.
      forgetStageTotals(currentReview(req).id);
      res.status(201);
      return { retrievalId: id };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/reports/:reportId/study',
    tag: 'full-text',
    summary:
      'Link a report to a study: an existing studyId, a label for a new study, or separate: true for a study of its own named after the report. A study left with no report is removed (refused once coded)',
    access: ['lead', 'reviewer', 'adjudicator'],
    body: titled(
      z.object({
        studyId: z.uuid().optional(),
        label: z.string().trim().min(1).max(300).optional(),
        separate: z.boolean().optional(),
      }),
      { label: 'The new study’s name' },
    ),
    handler: async ({ req, rt, body }) =>
      linkReportToStudy(rt.db, {
        reviewId: currentReview(req).id,
        reportId: reportId(param(req, 'reportId')),
        studyId: body.studyId,
        label: body.label,
        separate: body.separate,
        actorId: currentUser(req).id,
      }),
  }),
];
