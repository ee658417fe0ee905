import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  MANUAL_FOUND_VIA,
  MANUAL_REPORT_TYPES,
  manualRecordRis,
  manualSourceName,
  requestImport,
  type ManualReportType,
} from '@winnow/ingest';
import { currentReview, currentUser } from '../../http/request-context.ts';
import { route } from '../../http/route.ts';
import { titled } from '../../http/validation-message.ts';

const REPORT_TYPES = Object.keys(MANUAL_REPORT_TYPES) as [ManualReportType, ...ManualReportType[]];
const thisYear = () => new Date().getUTCFullYear();

const manualRecord = titled(
  z.object({
    title: z
      .string()
      .trim()
      .min(1, 'the title is missing')
      .max(2_000, 'the title is longer than 2,000 characters'),
    authors: z
      .array(z.string().trim().max(300, 'an author name is longer than 300 characters'))
      .max(200)
      .default([]),
    organisation: z.string().trim().max(300, 'the organisation is longer than 300 characters').optional(),
    year: z.coerce
      .number({ message: 'the year must be a number such as 2019' })
      .int('the year must be a whole number such as 2019')
      .min(1500, 'the year must be 1500 or later')
      .refine((y) => y <= thisYear() + 1, 'the year is in the future')
      .optional(),
    url: z
      .string()
      .trim()
      .max(2_000, 'the web address is longer than 2,000 characters')
      .regex(/^https?:\/\/\S+$/i, 'the web address must start with http:// or https://')
      .optional(),
    accessed: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'the date accessed must be a date such as 2024-05-02')
      .refine((d) => !Number.isNaN(Date.parse(d)), 'the date accessed is not a real date')
      .optional(),
    reportType: z.enum(REPORT_TYPES, { message: 'choose the report type' }),
    foundVia: z.enum(MANUAL_FOUND_VIA, {
      message: 'say where it was found: website, organisation or citation searching',
    }),
    foundIn: z.string().trim().max(200, 'where it was found is longer than 200 characters').optional(),
    abstract: z.string().trim().max(100_000).optional(),
  }),
  // The words of the add-record form, so a refused value is named as the form labels it.
  {
    url: 'Web address',
    accessed: 'Date accessed',
    reportType: 'Report type',
    foundVia: 'Where it was found',
    foundIn: 'Found in',
  },
).refine((r) => r.authors.some((a) => a !== '') || (r.organisation ?? '') !== '', {
  message: 'name the authors or the organisation',
  path: ['authors'],
});

export const manualRecordRoutes = [
  route({
    method: 'post',
    path: '/reviews/:review/records',
    tag: 'records',
    summary:
      'Add a record by hand (leads): { title, authors[] or organisation, year, url, accessed, reportType, foundVia: website|organisation|citation, foundIn }. Logged as an import of its own under a search of that kind (counted in PRISMA other methods) and deduplicated like any record',
    access: ['lead'],
    body: manualRecord,
    responses: { '202': '{ importId, searchId, jobId }' },
    handler: async ({ req, res, rt, body }) => {
      const review = currentReview(req);
      const ris = manualRecordRis({ ...body, authors: body.authors.filter((a) => a !== '') });
      const imp = await requestImport(rt.db, {
        reviewId: review.id,
        // Named for the imports list: no file was uploaded, so no file extension. Never saved as a
        // file either, so the title keeps its colons and quotes; only line breaks and tabs go.
        fileName: `Added by hand - ${body.title
          .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 80)}`,
        source: Readable.from([ris]),
        maxBytes: rt.config.uploadMaxBytes,
        search: {
          sourceName: manualSourceName(body),
          sourceKind: body.foundVia,
          searchedOn: body.accessed,
        },
        format: 'ris',
        byHand: true,
        actorId: currentUser(req).id,
      });
      const { jobId } = await rt.queue.enqueue('ingest.import', { importId: imp.id, reviewId: review.id });
      res.status(202);
      return { importId: imp.id, searchId: imp.searchId, jobId };
    },
  }),
];
