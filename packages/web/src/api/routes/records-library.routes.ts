import { z } from 'zod';
import { WinnowError, type Db } from '@winnow/core';
import {
  assertRecordsInReview,
  csvRows,
  recordToCsvRow,
  recordToRis,
  type NormalisedRecord,
} from '@winnow/ingest';
import {
  addReviewTag,
  DUPLICATE_STATUSES,
  listTags,
  recordTags,
  setRecordTag,
  LIBRARY_SORTS,
  LibrarySearchError,
  RECORD_STATES,
  searchRecords,
  selectedRecordIds,
  selectionCells,
  selectionColumns,
  selectionFileName,
  getStageConfigs,
  SELECTION_HEADERS,
  STAGES,
  type LibraryQuery,
  type LibraryViewer,
} from '@winnow/screening';
import type { Request, Response } from 'express';
import { currentReview, currentUser, currentViewer } from '../../http/request-context.ts';
import { ANY_MEMBER, route } from '../../http/route.ts';
import { setUserFileHeaders } from '../../http/user-file.ts';
import { titled } from '../../http/validation-message.ts';

/** Members who work on records tag them; viewers read. */
const TAGGERS = ['lead', 'reviewer', 'adjudicator', 'coder'] as const;

const YEAR = z.coerce.number().int().min(0).max(9999);

const libraryQuery = titled(
  z.object({
    q: z.string().max(2000).optional(),
    stage: z.enum(STAGES).default('title-abstract'),
    state: z
      .union([z.enum(RECORD_STATES), z.array(z.enum(RECORD_STATES))])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional(),
    reason: z.string().max(500).optional(),
    tag: z.string().max(60).optional(),
    source: z.string().uuid().optional(),
    duplicate: z.enum(DUPLICATE_STATUSES).optional(),
    yearFrom: YEAR.optional(),
    yearTo: YEAR.optional(),
    fullText: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    sort: z.enum(LIBRARY_SORTS).default('relevance'),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    format: z.enum(['json', 'ris', 'csv']).default('json'),
  }),
  // The words of the records page's search box and year filter.
  { q: 'The search', yearFrom: 'The “from” year', yearTo: 'The “to” year' },
).superRefine((q, ctx) => {
  // A reversed range matches nothing: refused, so the page says why instead of "no records".
  if (q.yearFrom !== undefined && q.yearTo !== undefined && q.yearFrom > q.yearTo)
    ctx.addIssue({
      code: 'custom',
      path: ['yearTo'],
      message: `The “to” year (${q.yearTo}) comes before the “from” year (${q.yearFrom}).`,
    });
});

const viewerOf = (req: Request): LibraryViewer => currentViewer(req);

/** A malformed search is the reviewer's to fix: say what is wrong and where, in words. */
async function withSearchErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof LibrarySearchError)) throw e;
    throw new WinnowError(
      'VALIDATION',
      `The search could not be read: ${e.detail.message} (at character ${e.detail.at + 1})`,
      { location: { field: 'q', column: String(e.detail.at + 1) } },
    );
  }
}

/**
 * Streams records `ids` (the viewer's review's only) as RIS or CSV, a thousand at a time. The CSV
 * says, beside each record's fields, where it stands as the Records page shows it to this member:
 * a lead exporting the records excluded for one reason sees that reason.
 */
async function sendSelection(
  res: Response,
  db: Db,
  viewer: LibraryViewer,
  ids: readonly string[],
  file: { format: 'ris' | 'csv'; fileName: string },
): Promise<void> {
  const { format } = file;
  // Records carry their raw source text verbatim: user bytes, sent with the user-file headers.
  setUserFileHeaders(res, {
    fileName: file.fileName,
    mediaType: format === 'ris' ? 'application/x-research-info-systems' : 'text/csv; charset=utf-8',
    disposition: 'attachment',
  });
  if (format === 'csv') res.write(csvRows([], true, SELECTION_HEADERS));
  const configs = format === 'csv' ? await getStageConfigs(db, viewer.reviewId) : undefined;
  for (let i = 0; i < ids.length; i += 1000) {
    const part = ids.slice(i, i + 1000);
    const { rows } = await db.query<{ id: string; data: NormalisedRecord; raw: string }>(
      `SELECT id, data, raw FROM records WHERE review_id = $1 AND id = ANY($2::uuid[])`,
      [viewer.reviewId, part],
    );
    const byId = new Map(rows.map((r) => [r.id, { ...r.data, raw: r.raw }]));
    if (format === 'ris') {
      const records = part.map((id) => byId.get(id)).filter((r) => r !== undefined);
      res.write(records.map(recordToRis).join('\n') + '\n');
      continue;
    }
    const columns = await selectionColumns(db, viewer, part, configs);
    const cells: string[][] = [];
    for (const id of part) {
      const record = byId.get(id);
      const more = columns.get(id);
      if (record && more) cells.push([...recordToCsvRow(record), ...selectionCells(more)]);
    }
    res.write(csvRows(cells, false));
  }
  res.end();
}

/** The day an export is made, as its file name gives it. */
const today = (): string => new Date().toISOString().slice(0, 10);

export const recordsLibraryRoutes = [
  route({
    method: 'get',
    path: '/reviews/:review/records',
    tag: 'records',
    summary:
      'The records library: full-text search (phrases, prefix*, AND/OR/NOT, brackets) over title, abstract, authors, keywords and journal; filters by stage state, exclusion reason, source, duplicate status, years and full text; sorted and paged, with the count of each filter value ({total, items, facets}); format=ris|csv exports the whole selection. Blinding applies to states, reasons and counts',
    access: ANY_MEMBER,
    query: libraryQuery,
    handler: async ({ req, res, rt, query }) => {
      const { format, ...rest } = query;
      const q: LibraryQuery = Object.fromEntries(
        Object.entries(rest).filter(([, v]) => v !== undefined),
      ) as unknown as LibraryQuery;
      const viewer = viewerOf(req);
      if (format === 'json') return withSearchErrors(() => searchRecords(rt.db, viewer, q));
      const ids = await withSearchErrors(() => selectedRecordIds(rt.db, viewer, q));
      const review = currentReview(req);
      await sendSelection(res, rt.db, viewer, ids, {
        format,
        fileName: selectionFileName(review.slug, q, format, today()),
      });
      return undefined;
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/records/selection',
    tag: 'records',
    summary:
      "Export the records ticked on the Records page (up to 10,000 ids of this review) as RIS or CSV, with the CSV's state columns as blinding allows; 404 if any id is not this review's",
    access: ANY_MEMBER,
    body: titled(
      z.object({
        recordIds: z.array(z.string().uuid()).min(1).max(10_000),
        format: z.enum(['ris', 'csv']),
      }),
      { recordIds: 'The selected records' },
    ),
    handler: async ({ req, res, rt, body }) => {
      const review = currentReview(req);
      const ids = [...new Set(body.recordIds)];
      // Another review's record is not found here, as everywhere: nothing of it is sent.
      if (!(await assertRecordsInReview(rt.db, review.id, ids)))
        throw new WinnowError('NOT_FOUND', 'Some of the selected records are not in this review');
      await sendSelection(res, rt.db, viewerOf(req), ids, {
        format: body.format,
        fileName: `${review.slug}-records-selected-${today()}.${body.format}`,
      });
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/tags',
    tag: 'records',
    summary:
      "The review's tags (background, check later, ask the lead and the team's own) with how many records carry each",
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => ({ tags: await listTags(rt.db, currentReview(req).id) }),
  }),
  route({
    method: 'post',
    path: '/reviews/:review/tags',
    tag: 'records',
    summary: 'Add a tag to the review (1-60 characters)',
    access: TAGGERS,
    body: titled(z.object({ name: z.string().max(200) }), { name: 'The tag' }),
    handler: async ({ req, res, rt, body }) => {
      const name = await rt.db.transaction((tx) =>
        addReviewTag(tx, currentReview(req).id, currentUser(req).id, body.name),
      );
      res.status(201);
      return { name };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/records/:recordId/tags',
    tag: 'records',
    summary: "One record's tags",
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => ({
      tags: await recordTags(rt.db, currentReview(req).id, String(req.params.recordId)),
    }),
  }),
  route({
    method: 'post',
    path: '/reviews/:review/records/tags',
    tag: 'records',
    summary:
      'Tag or untag records ({recordIds, tag, on}); each change is an event. Answers how many records changed',
    access: TAGGERS,
    body: titled(
      z.object({
        recordIds: z.array(z.string().uuid()).min(1).max(10_000),
        tag: z.string().max(200),
        on: z.boolean(),
      }),
      { recordIds: 'The records to tag', tag: 'The tag' },
    ),
    handler: async ({ req, rt, body }) => {
      const reviewId = currentReview(req).id;
      const changed = await rt.db.transaction((tx) =>
        setRecordTag(tx, {
          reviewId,
          actorId: currentUser(req).id,
          recordIds: body.recordIds,
          name: body.tag,
          on: body.on,
        }),
      );
      return { changed };
    },
  }),
];
