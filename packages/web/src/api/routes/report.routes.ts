import { REPORT_PARTS, type ReportPart } from '@winnow/extraction';
import { z } from 'zod';
import { currentReview, currentRoles, currentUser } from '../../http/request-context.ts';
import { route } from '../../http/route.ts';
import { renderReviewReport } from '../../app/review-report.ts';
import { sendDownload } from '../../http/user-file.ts';

/** `parts=flow,methods`: a comma list of report parts; empty or absent means every part. */
export const reportPartsSchema = z
  .string()
  .optional()
  .transform((s, ctx): ReportPart[] => {
    const list = (s ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const bad = list.filter((p) => !(REPORT_PARTS as readonly string[]).includes(p));
    if (bad.length)
      ctx.addIssue({
        code: 'custom',
        message: `Unknown report part ${bad.join(', ')}: choose from ${REPORT_PARTS.join(', ')}`,
      });
    return list.length ? (list as ReportPart[]) : [...REPORT_PARTS];
  });

export const reportRoutes = [
  route({
    method: 'get',
    path: '/reviews/:review/report',
    tag: 'extraction',
    summary:
      'The review as a report (DOCX or HTML): PRISMA flow and searches, methods, profile tables, evidence by theme, references (vancouver or harvard) and excluded reports; parts switchable (lead only)',
    access: ['lead'],
    query: z.object({
      format: z.enum(['docx', 'html']).default('docx'),
      parts: reportPartsSchema,
      style: z.enum(['vancouver', 'harvard']).default('vancouver'),
    }),
    handler: async ({ req, res, rt, query }) => {
      const review = currentReview(req);
      const out = await renderReviewReport(
        rt.db,
        review,
        { id: currentUser(req).id, roles: currentRoles(req) },
        { format: query.format, parts: query.parts, style: query.style },
      );
      sendDownload(res, { fileName: out.fileName, mediaType: out.mediaType, body: out.body });
    },
  }),
];
