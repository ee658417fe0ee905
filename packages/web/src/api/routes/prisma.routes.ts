import type { Request } from 'express';
import { z } from 'zod';
import { WinnowError, type Role } from '@winnow/core';
import {
  derivePrismaFlow,
  describeItems,
  describeWarnings,
  loadPrismaInput,
  markRecords,
  parsePrismaTemplateCsv,
  renderPrismaSvg,
  searchSummary,
  searchSummaryCsv,
  setPrevious,
  toPrismaTemplateCsv,
  type PrismaFlow,
} from '@winnow/screening';
import { MAX_PNG_WIDTH, renderPngOffThread } from '../../app/png-renderer.ts';
import { currentReview, currentUser, hasRole, param } from '../../http/request-context.ts';
import { route } from '../../http/route.ts';
import { sendDownload } from '../../http/user-file.ts';

/**
 * The diagram names which records were excluded and why: not for reviewers still screening blind, who
 * could read their co-reviewers' votes off it.
 */
export const PRISMA_ROLES: readonly Role[] = ['lead', 'adjudicator', 'viewer'];
const CSV_IMPORT_MAX_BYTES = 1024 * 1024;

/** Web-app path of the list behind a box; the SVG links each box and line to it. */
export function boxHref(reviewSlug: string, key: string): string {
  return `/reviews/${reviewSlug}/prisma/box/${encodeURIComponent(key)}`;
}

async function flowOf(req: Request, db: Parameters<typeof loadPrismaInput>[0]): Promise<PrismaFlow> {
  return derivePrismaFlow(await loadPrismaInput(db, currentReview(req).id));
}

/**
 * Keys of the boxes and lines the diagram links for these counts: each opens the list of what it
 * counts, an empty list when it counts nothing yet. Previous-version boxes are counts typed in, with
 * no records behind them.
 */
function linkedKeys(counts: PrismaFlow['counts']): Set<string> {
  const keys = new Set<string>();
  renderPrismaSvg(counts, {
    link: (key) => {
      if (!key.startsWith('previous_')) keys.add(key);
      return undefined;
    },
  });
  return keys;
}

/** In-progress lists the PRISMA page links whatever their count (the diagram draws them only above 0). */
const IN_PROGRESS_KEYS = new Set([
  'records_awaiting',
  'other_records_awaiting',
  'dbr_awaiting_retrieval',
  'dbr_awaiting_assessment',
  'other_awaiting_retrieval',
  'other_awaiting_assessment',
]);

async function readBody(req: Request, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > max) throw new WinnowError('PAYLOAD_TOO_LARGE', `The CSV is over ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export const prismaRoutes = [
  route({
    method: 'get',
    path: '/reviews/:review/prisma',
    tag: 'prisma',
    summary:
      'PRISMA 2020 flow derived from the review: counts of what has happened, in-progress counts (awaiting screening, retrieval, assessment) and inProgress, warnings naming records by short citation, and the ids behind each box (json); or the diagram as svg or png (marked in progress until every record has an outcome), or the PRISMA2020 template csv (in-progress rows after the template rows while the review runs)',
    access: PRISMA_ROLES,
    query: z.object({
      format: z.enum(['json', 'svg', 'png', 'csv']).default('json'),
      width: z.coerce.number().int().min(200).max(MAX_PNG_WIDTH).default(2000),
    }),
    responses: {
      '200':
        'JSON {counts, inProgress, warnings (with items: id, kind, citation, box), ids}; or image/svg+xml, image/png, text/csv',
    },
    handler: async ({ req, res, rt, query }) => {
      const review = currentReview(req);
      const input = await loadPrismaInput(rt.db, review.id);
      const flow = derivePrismaFlow(input);
      const slug = review.slug;
      if (query.format === 'json') return describeWarnings(rt.db, review.id, flow, input.searches);
      if (query.format === 'csv') {
        sendDownload(res, {
          fileName: `${slug}-prisma.csv`,
          mediaType: 'text/csv; charset=utf-8',
          body: toPrismaTemplateCsv(flow.counts),
        });
        return undefined;
      }
      const svg = renderPrismaSvg(flow.counts, {
        link: (key) => boxHref(slug, key),
        title: `PRISMA 2020 flow diagram: ${review.title}`,
      });
      // Shown in the page (fetched, then drawn) and offered as a download: inline, named, sandboxed.
      if (query.format === 'svg')
        sendDownload(res, {
          fileName: `${slug}-prisma.svg`,
          mediaType: 'image/svg+xml',
          body: svg,
          disposition: 'inline',
        });
      // Drawn in a worker thread: the event loop stays free for every other request meanwhile.
      else
        sendDownload(res, {
          fileName: `${slug}-prisma.png`,
          mediaType: 'image/png',
          body: await renderPngOffThread(svg, query.width),
          disposition: 'inline',
        });
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/prisma/boxes/:key',
    tag: 'prisma',
    summary:
      'The records, reports or studies one box counts, with titles (page through with offset/limit; around=<id> gives the page that holds that item)',
    access: PRISMA_ROLES,
    query: z.object({
      offset: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
      around: z.string().min(1).max(100).optional(),
    }),
    handler: async ({ req, rt, query }) => {
      const key = param(req, 'key');
      const flow = await flowOf(req, rt.db);
      // Own keys only: a key such as "__proto__" must not reach Object.prototype.
      const ids = Object.hasOwn(flow.ids, key)
        ? flow.ids[key]
        : IN_PROGRESS_KEYS.has(key) || linkedKeys(flow.counts).has(key)
          ? []
          : undefined;
      if (!ids) throw new WinnowError('NOT_FOUND', "This box is not in the review's PRISMA diagram.");
      // A warning links to the box that lists its record: open the page that holds it.
      const at = query.around === undefined ? -1 : ids.indexOf(query.around);
      const offset = at >= 0 ? Math.floor(at / query.limit) * query.limit : query.offset;
      const page = ids.slice(offset, offset + query.limit);
      return {
        key,
        count: ids.length,
        offset,
        items: await describeItems(rt.db, currentReview(req).id, page),
      };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/prisma/searches',
    tag: 'prisma',
    summary:
      'PRISMA-S search summary: source, platform, date, strategy, limits, records reported and imported',
    access: PRISMA_ROLES,
    query: z.object({ format: z.enum(['json', 'csv']).default('json') }),
    handler: async ({ req, res, rt, query }) => {
      const rows = searchSummary(await loadPrismaInput(rt.db, currentReview(req).id));
      if (query.format === 'json') return { searches: rows };
      sendDownload(res, {
        fileName: `${currentReview(req).slug}-searches.csv`,
        mediaType: 'text/csv; charset=utf-8',
        body: searchSummaryCsv(rows),
      });
      return undefined;
    },
  }),
  route({
    method: 'put',
    path: '/reviews/:review/prisma/previous',
    tag: 'prisma',
    summary: 'Studies and reports included in the previous version of an updated review (null clears)',
    access: ['lead'],
    body: z.object({
      previous: z
        .object({
          studies: z.number().int().min(0),
          reports: z.number().int().min(0),
          studyIds: z.array(z.string().min(1)).max(100_000).optional(),
        })
        .nullable(),
    }),
    handler: async ({ req, rt, body }) => {
      await setPrevious(rt.db, {
        reviewId: currentReview(req).id,
        previous: body.previous,
        actorId: currentUser(req).id,
      });
      return { counts: (await flowOf(req, rt.db)).counts };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/prisma/record-marks',
    tag: 'prisma',
    summary:
      'Mark records removed before screening (by automation tools, or for another reason) or excluded at title/abstract by a tool',
    access: ['lead'],
    body: z.object({
      recordIds: z.array(z.uuid()).min(1).max(10_000),
      mark: z.enum(['removed-by-automation', 'removed-other', 'excluded-by-automation']),
      reason: z.string().min(1).max(500).optional(),
    }),
    handler: async ({ req, rt, body }) =>
      markRecords(rt.db, { reviewId: currentReview(req).id, ...body, actorId: currentUser(req).id }),
  }),
  route({
    method: 'post',
    path: '/reviews/:review/prisma/template-check',
    tag: 'prisma',
    summary:
      'Validate a PRISMA2020 template CSV (counts from work done outside Winnow): errors name row and column; returns its counts, broken invariants and diagram. With asPrevious=1 (lead) its total studies and reports become the previous version of this updated review; fileName names the file in messages',
    access: PRISMA_ROLES,
    rawBody: true,
    query: z.object({
      asPrevious: z.enum(['0', '1']).default('0'),
      /** The chosen file's name, so that messages name it. */
      fileName: z.string().min(1).max(255).optional(),
    }),
    handler: async ({ req, rt, query }) => {
      const text = await readBody(req, Math.min(CSV_IMPORT_MAX_BYTES, rt.config.uploadMaxBytes));
      // Named as chosen, without control characters or quote marks (it is quoted in messages).
      const name = [...(query.fileName ?? '')].filter((ch) => ch >= ' ' && ch !== '\u007f' && ch !== '"');
      const file = name.length > 0 ? `"${name.join('')}"` : 'The file';
      const { counts, warnings } = parsePrismaTemplateCsv(text, file);
      if (query.asPrevious === '1') {
        if (!hasRole(req, 'lead'))
          throw new WinnowError('FORBIDDEN', 'Only a lead can set the previous version');
        await setPrevious(rt.db, {
          reviewId: currentReview(req).id,
          previous: { studies: counts.totalStudies, reports: counts.totalReports },
          actorId: currentUser(req).id,
        });
      }
      return { counts, warnings, svg: renderPrismaSvg(counts) };
    },
  }),
];
