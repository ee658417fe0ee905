import { z } from 'zod';
import { WinnowError } from '@winnow/core';
import {
  csvRows,
  getImport,
  listImports,
  recordToCsvRow,
  recordToRis,
  requestImport,
  SOURCE_KINDS,
  streamRecords,
  summaryOf,
  updateSearch,
  type NormalisedRecord,
} from '@winnow/ingest';
import { currentReview, currentUser, param } from '../../http/request-context.ts';
import { INT4_MAX } from '../../http/path-params.ts';
import { ANY_MEMBER, route } from '../../http/route.ts';
import { setUserFileHeaders } from '../../http/user-file.ts';

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const importRoutes = [
  route({
    method: 'post',
    path: '/reviews/:review/imports',
    tag: 'imports',
    summary:
      'Upload one database export (raw body; ?fileName=&source=&kind=&platform=&searched=&reported=&format=&force=); enqueues the import job',
    access: ['lead'],
    rawBody: true,
    query: z.object({
      fileName: z.string().min(1).max(255),
      source: z.string().max(200).optional(),
      kind: z.enum(SOURCE_KINDS).default('database'),
      platform: z.string().max(200).optional(),
      searched: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
        .optional(),
      strategy: z.string().max(100_000).optional(),
      limits: z.string().max(2_000).optional(),
      // Stored in an integer column.
      reported: z.coerce.number().int().min(0).max(INT4_MAX).optional(),
      format: z.string().max(20).optional(),
      searchId: z.string().uuid().optional(),
      force: flag.optional(),
    }),
    responses: { '202': '{ importId, searchId, jobId }' },
    handler: async ({ req, res, rt, query }) => {
      const review = currentReview(req);
      const declared = Number(req.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > rt.config.uploadMaxBytes) {
        throw new WinnowError(
          'PAYLOAD_TOO_LARGE',
          `${query.fileName} is ${declared} bytes; the limit is ${rt.config.uploadMaxBytes}`,
        );
      }
      const imp = await requestImport(rt.db, {
        reviewId: review.id,
        fileName: query.fileName,
        source: req,
        maxBytes: rt.config.uploadMaxBytes,
        searchId: query.searchId,
        search: query.searchId
          ? undefined
          : {
              sourceName: query.source ?? query.fileName,
              sourceKind: query.kind,
              platform: query.platform,
              searchedOn: query.searched,
              strategy: query.strategy,
              limits: query.limits,
              recordsReported: query.reported,
            },
        format: query.format,
        force: query.force ?? false,
        actorId: currentUser(req).id,
      });
      const { jobId } = await rt.queue.enqueue('ingest.import', { importId: imp.id, reviewId: review.id });
      res.status(202);
      return { importId: imp.id, searchId: imp.searchId, jobId };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/imports',
    tag: 'imports',
    summary: 'Imports of the review with their search (PRISMA-S), status, counts and first diagnostics',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => ({
      imports: (await listImports(rt.db, currentReview(req).id)).map((i) => ({
        ...summaryOf(i),
        byHand: i.byHand,
        sourceName: i.sourceName,
        searchedOn: i.searchedOn,
        recordsReported: i.recordsReported,
        search: i.searchId
          ? {
              sourceKind: i.sourceKind,
              platform: i.platform,
              strategy: i.strategy,
              limits: i.limits,
            }
          : null,
        createdAt: i.createdAt,
      })),
    }),
  }),
  route({
    method: 'patch',
    path: '/reviews/:review/searches/:searchId',
    tag: 'imports',
    summary:
      'Correct a search’s PRISMA-S details: { sourceName, sourceKind, platform, searchedOn, strategy, limits, recordsReported } (each optional; null clears); logged as search.updated',
    access: ['lead'],
    params: { searchId: z.uuid({ error: 'must be a UUID' }) },
    body: z
      .object({
        sourceName: z.string().trim().min(1, 'name the source').max(200),
        sourceKind: z.enum(SOURCE_KINDS),
        platform: z.string().trim().max(200).nullable(),
        searchedOn: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date')
          .nullable(),
        strategy: z.string().max(100_000).nullable(),
        limits: z.string().max(2_000).nullable(),
        recordsReported: z.number().int().min(0).max(INT4_MAX).nullable(),
      })
      .partial()
      .strict(),
    handler: async ({ req, rt, body }) => ({
      search: await updateSearch(rt.db, {
        reviewId: currentReview(req).id,
        searchId: param(req, 'searchId'),
        changes: body,
        actorId: currentUser(req).id,
      }),
    }),
  }),
  route({
    method: 'get',
    path: '/reviews/:review/imports/:importId',
    tag: 'imports',
    summary: 'One import: status, format, records, warnings and errors with file, record and line',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const id = param(req, 'importId');
      const imp = z.string().uuid().safeParse(id).success ? await getImport(rt.db, id) : null;
      if (!imp || imp.reviewId !== currentReview(req).id)
        throw new WinnowError('NOT_FOUND', 'No such import in this review');
      return summaryOf(imp);
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/records/export',
    tag: 'imports',
    summary:
      'All records of the review as RIS or CSV (?format=ris|csv&unique=true for deduplicated records only)',
    access: ANY_MEMBER,
    query: z.object({ format: z.enum(['ris', 'csv']).default('ris'), unique: flag.optional() }),
    handler: async ({ req, res, rt, query }) => {
      const review = currentReview(req);
      // Records carry their raw source text verbatim: user bytes, sent with the user-file headers.
      setUserFileHeaders(res, {
        fileName: `${review.slug}-records.${query.format}`,
        mediaType: query.format === 'ris' ? 'application/x-research-info-systems' : 'text/csv; charset=utf-8',
        disposition: 'attachment',
      });
      let first = true;
      for await (const page of streamRecords(rt.db, review.id, { uniqueOnly: query.unique ?? false })) {
        const records = page.map((r) => ({ ...(r.data as unknown as NormalisedRecord), raw: r.raw }));
        res.write(
          query.format === 'ris'
            ? records.map(recordToRis).join('\n') + '\n'
            : csvRows(records.map(recordToCsvRow), first),
        );
        first = false;
      }
      if (first && query.format === 'csv') res.write(csvRows([], true));
      res.end();
      return undefined;
    },
  }),
];
