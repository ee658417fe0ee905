import { getBlobInfo, listEvents, WinnowError, type Db } from '@winnow/core';
import {
  assertAssigned,
  codebookToJson,
  defaultProfiles,
  codingProgress,
  codingQueue,
  createIncludedStudies,
  joinStudies,
  consensusDraft,
  decideEmergent,
  ensureExtractionSettings,
  extractionTables,
  finaliseStudyConsensus,
  getCodebook,
  listCodebookVersions,
  listCurrentCodings,
  listCurrentConsensus,
  listEmergent,
  listStudies,
  loadExportInput,
  migrateCodings,
  proposeEmergent,
  renderExport,
  reviewAgreement,
  saveCoding,
  saveCodebookVersion,
  setCodersPerStudy,
  type Codebook,
  type FieldValues,
  type ProfileOptions,
  type StudyRow,
} from '@winnow/extraction';
import type { Request } from 'express';
import { z } from 'zod';
import { currentReview, currentUser, hasRole, param } from '../../http/request-context.ts';
import { ANY_MEMBER, route } from '../../http/route.ts';
import { titled } from '../../http/validation-message.ts';
import { sendDownload, sendStoredFile } from '../../http/user-file.ts';
import { fullTextOf } from './fulltext.routes.ts';

const LEADS = ['lead', 'adjudicator'] as const;
const CODERS = ['lead', 'reviewer', 'adjudicator', 'coder'] as const;
const base = '/reviews/:review/extraction';
// Values are checked against the codebook version by the domain (with field-named errors).
const values = z.record(
  z.string(),
  z.object({ type: z.string() }).passthrough(),
) as unknown as z.ZodType<FieldValues>;

/** The study in the path, checked to belong to the review; a coder must be assigned to it. */
async function studyFor(req: Request, db: Db): Promise<string> {
  const id = param(req, 'study');
  const review = currentReview(req);
  const found = z.uuid().safeParse(id).success
    ? (await db.query(`SELECT 1 FROM studies WHERE id = $1 AND review_id = $2`, [id, review.id])).rows
        .length > 0
    : false;
  if (!found) throw new WinnowError('NOT_FOUND', 'This study is not in this review');
  if (!hasRole(req, 'lead', 'adjudicator')) await assertAssigned(db, review.id, id, currentUser(req).id);
  return id;
}

/**
 * The full text the coding page shows: of the report named by `?report=` (one of the study's
 * reports), else the study's (its first report with a file).
 */
async function studyFullText(req: Request, db: Db): Promise<StudyRow['fullText']> {
  const studyId = await studyFor(req, db);
  const [study] = await listStudies(db, currentReview(req).id, [studyId]);
  const wanted = req.query.report;
  if (wanted === undefined) return study?.fullText ?? null;
  const report = study?.reports.find((r) => r.id === wanted);
  if (!report) throw new WinnowError('NOT_FOUND', 'This report is not one of this study’s reports');
  return report.fullText;
}

/** One profile table, split by publication type when the default profiles would split it. */
export function profilesFor(book: Codebook, field: string): ProfileOptions[] {
  const match = defaultProfiles(book).filter((p) => p.field === field);
  return match.length > 0 ? match : [{ field }];
}

export const extractionRoutes = [
  route({
    method: 'get',
    path: `${base}/codebook`,
    tag: 'extraction',
    summary: 'The current codebook, settings and version list',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const reviewId = currentReview(req).id;
      const settings = await ensureExtractionSettings(rt.db, reviewId);
      const versions = await listCodebookVersions(rt.db, reviewId);
      return {
        settings,
        codebook: versions.at(-1),
        versions: versions.map((v) => ({ version: v.version, changeNote: v.changeNote ?? null })),
      };
    },
  }),
  route({
    method: 'get',
    path: `${base}/codebook/versions/:version`,
    tag: 'extraction',
    summary: 'One version of the codebook',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => ({
      codebook: await getCodebook(rt.db, currentReview(req).id, Number(param(req, 'version')) || -1),
    }),
  }),
  route({
    method: 'get',
    path: `${base}/codebook.json`,
    tag: 'extraction',
    summary: 'Download the current codebook as JSON (importable by another review)',
    access: ANY_MEMBER,
    handler: async ({ req, res, rt }) => {
      const book = await getCodebook(rt.db, currentReview(req).id);
      sendDownload(res, {
        fileName: `${book.id}-v${book.version}.codebook.json`,
        mediaType: 'application/json; charset=utf-8',
        body: codebookToJson(book),
      });
    },
  }),
  route({
    method: 'post',
    path: `${base}/codebook`,
    tag: 'extraction',
    summary: 'Import a codebook (JSON) as the next version; errors name the path (lead only)',
    access: ['lead'],
    body: z.unknown(),
    handler: async ({ req, res, rt, body }) => {
      const reviewId = currentReview(req).id;
      await ensureExtractionSettings(rt.db, reviewId);
      const book = await rt.db.transaction((tx) =>
        saveCodebookVersion(tx, reviewId, body, currentUser(req).id),
      );
      res.status(201);
      return { codebook: book };
    },
  }),
  route({
    method: 'put',
    path: `${base}/settings`,
    tag: 'extraction',
    summary: 'Coders per study: 2 (dual, default) or 1 (lead only)',
    access: ['lead'],
    body: z.object({ codersPerStudy: z.union([z.literal(1), z.literal(2)]) }),
    handler: async ({ req, rt, body }) => {
      await setCodersPerStudy(rt.db, currentReview(req).id, body.codersPerStudy, currentUser(req).id);
      return { settings: await ensureExtractionSettings(rt.db, currentReview(req).id) };
    },
  }),
  route({
    method: 'post',
    path: `${base}/assign`,
    tag: 'extraction',
    summary: 'Queue the assignment of included studies to coders (reviewers); returns the job id (lead only)',
    access: ['lead'],
    handler: async ({ req, res, rt }) => {
      const reviewId = currentReview(req).id;
      const last = (await listEvents(rt.db, { reviewId, limit: 10_000 })).at(-1)?.id ?? 0;
      const { jobId } = await rt.queue.enqueue('extraction.assign', { reviewId, basis: `e${last}` });
      res.status(202);
      return { jobId };
    },
  }),
  route({
    method: 'get',
    path: `${base}/studies`,
    tag: 'extraction',
    summary: 'Included studies: all with progress for leads/adjudicators, only your own queue for coders',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const reviewId = currentReview(req).id;
      if (hasRole(req, 'lead', 'adjudicator')) {
        const [studies, progress] = await Promise.all([
          listStudies(rt.db, reviewId),
          codingProgress(rt.db, reviewId),
        ]);
        const p = new Map(progress.map((x) => [x.studyId, x]));
        return { studies: studies.map((s) => ({ ...s, progress: p.get(s.id) ?? null })) };
      }
      const queue = await codingQueue(rt.db, reviewId, currentUser(req).id);
      const studies = await listStudies(
        rt.db,
        reviewId,
        queue.map((q) => q.studyId),
      );
      const status = new Map(queue.map((q) => [q.studyId, q.status]));
      return { studies: studies.map((s) => ({ ...s, myStatus: status.get(s.id) })) };
    },
  }),
  route({
    method: 'post',
    path: `${base}/studies`,
    tag: 'extraction',
    summary:
      'Make a study of each report included at full text that has none, without assigning coders, so reports of one study can be joined first (lead only)',
    access: ['lead'],
    handler: async ({ req, rt }) => createIncludedStudies(rt.db, currentReview(req).id),
  }),
  route({
    method: 'post',
    path: `${base}/studies/:study/join`,
    tag: 'extraction',
    summary:
      'Join this study to another (`into`): its reports become reports of that study, and it is removed; refused once someone has coded it. Answers with that study as the list now shows it (lead only)',
    access: ['lead'],
    body: titled(z.object({ into: z.uuid() }), { into: 'The study to join it to' }),
    handler: async ({ req, rt, body }) => {
      const reviewId = currentReview(req).id;
      const joined = await joinStudies(rt.db, {
        reviewId,
        studyId: await studyFor(req, rt.db),
        into: body.into,
        actorId: currentUser(req).id,
      });
      // The study joined to, as the list now shows it (its number and title may have changed).
      const [study] = await listStudies(rt.db, reviewId, [body.into]);
      return { ...joined, study };
    },
  }),
  route({
    method: 'get',
    path: `${base}/studies/:study`,
    tag: 'extraction',
    summary: 'One study with your own current coding (blind: never another coder’s)',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const studyId = await studyFor(req, rt.db);
      const reviewId = currentReview(req).id;
      const [study] = await listStudies(rt.db, reviewId, [studyId]);
      const [mine] = await listCurrentCodings(rt.db, reviewId, { studyId, coderId: currentUser(req).id });
      return { study, coding: mine ?? null, codebook: await getCodebook(rt.db, reviewId) };
    },
  }),
  route({
    method: 'get',
    path: `${base}/studies/:study/fulltext`,
    tag: 'extraction',
    summary:
      'The study’s full-text file (PDF) for the coding page: the same sending as the report file route (Range requests too)',
    access: ANY_MEMBER,
    handler: async ({ req, res, rt }) => {
      const fullText = await studyFullText(req, rt.db);
      const info = fullText ? await getBlobInfo(rt.db, fullText.blobId) : null;
      if (!fullText || !info) throw new WinnowError('NOT_FOUND', 'No full text attached to this study');
      // Served per the type checked at upload (the retrieval's), never the blob's stored one.
      await sendStoredFile(req, res, rt.db, {
        blobId: info.id,
        fileName: fullText.fileName ?? info.fileName,
        checkedType: fullText.mediaType ?? 'application/octet-stream',
        bytes: info.bytes,
        sha256: info.sha256,
      });
    },
  }),
  route({
    method: 'get',
    path: `${base}/studies/:study/fulltext/text`,
    tag: 'extraction',
    summary:
      'The full text as selectable text per page, for taking quotations with their page ({status, message, pageCount, pages})',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const fullText = await studyFullText(req, rt.db);
      const info = fullText ? await getBlobInfo(rt.db, fullText.blobId) : null;
      if (!info || !fullText) throw new WinnowError('NOT_FOUND', 'No full text attached to this study');
      if (fullText.mediaType !== 'application/pdf')
        return {
          status: 'failed',
          message: 'This file is not a PDF, so it has no text to quote.',
          pageCount: null,
          pages: [],
        };
      // The text the extraction job stored (read now, once, for files attached before it existed).
      return fullTextOf(rt.db, currentReview(req).id, info.id, fullText.fileName ?? info.fileName);
    },
  }),
  route({
    method: 'put',
    path: `${base}/studies/:study/coding`,
    tag: 'extraction',
    summary: 'Save (or submit) your coding of a study against the current codebook',
    access: CODERS,
    body: z.object({ values, submit: z.boolean().default(false) }),
    handler: async ({ req, rt, body }) => {
      const studyId = param(req, 'study');
      if (!z.uuid().safeParse(studyId).success)
        throw new WinnowError('NOT_FOUND', 'This study is not in your coding queue');
      const coding = await saveCoding(rt.db, {
        reviewId: currentReview(req).id,
        studyId,
        coderId: currentUser(req).id,
        values: body.values,
        submit: body.submit,
      });
      return { coding };
    },
  }),
  route({
    method: 'get',
    path: `${base}/emergent-codes`,
    tag: 'extraction',
    summary: 'Emergent (inductive) codes: all for leads, your own for coders',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const all = await listEmergent(rt.db, currentReview(req).id);
      const me = currentUser(req).id;
      return { codes: hasRole(req, 'lead', 'adjudicator') ? all : all.filter((c) => c.proposedBy === me) };
    },
  }),
  route({
    method: 'post',
    path: `${base}/emergent-codes`,
    tag: 'extraction',
    summary: 'Propose an emergent code while coding (flagged inductive until a lead approves it)',
    access: CODERS,
    body: titled(
      z.object({
        fieldKey: z.string().min(1),
        parentKey: z.string().min(1).nullable().optional(),
        label: z.string().min(1).max(500),
        description: z.string().max(5000).optional(),
        studyId: z.uuid().optional(),
      }),
      { label: 'The new emergent code', description: 'The code’s description' },
    ),
    handler: async ({ req, res, rt, body }) => {
      // A coder may only tie a proposal to a study in their own queue (leads: any study of this review).
      if (body.studyId && !hasRole(req, 'lead', 'adjudicator'))
        await assertAssigned(rt.db, currentReview(req).id, body.studyId, currentUser(req).id);
      const code = await proposeEmergent(rt.db, currentReview(req).id, {
        ...body,
        proposedBy: currentUser(req).id,
      });
      res.status(201);
      return { code };
    },
  }),
  route({
    method: 'post',
    path: `${base}/emergent-codes/decide`,
    tag: 'extraction',
    summary: 'Approve emergent codes into the next codebook version, or reject them (lead only)',
    access: ['lead'],
    body: z.object({ approve: z.array(z.uuid()).default([]), reject: z.array(z.uuid()).default([]) }),
    handler: async ({ req, rt, body }) =>
      decideEmergent(rt.db, currentReview(req).id, body, currentUser(req).id),
  }),
  route({
    method: 'post',
    path: `${base}/codings/migrate`,
    tag: 'extraction',
    summary:
      'Carry current codings to the latest codebook version; reports what could not be carried (lead only)',
    access: ['lead'],
    handler: async ({ req, rt }) => migrateCodings(rt.db, currentReview(req).id, currentUser(req).id),
  }),
  route({
    method: 'get',
    path: `${base}/studies/:study/consensus`,
    tag: 'extraction',
    summary: 'Consensus draft (agreed values and differences) and the current final record',
    access: [...LEADS],
    handler: async ({ req, rt }) => {
      const studyId = await studyFor(req, rt.db);
      const reviewId = currentReview(req).id;
      const final = (await listCurrentConsensus(rt.db, reviewId)).find((c) => c.studyId === studyId) ?? null;
      const codings = await listCurrentCodings(rt.db, reviewId, { studyId, submittedOnly: true });
      return { ...(await consensusDraft(rt.db, reviewId, studyId)), final, codings };
    },
  }),
  route({
    method: 'post',
    path: `${base}/studies/:study/consensus`,
    tag: 'extraction',
    summary: 'Finalise the consensus record: every difference needs a resolution',
    access: [...LEADS],
    body: z.object({ resolutions: values.default({}) }),
    handler: async ({ req, res, rt, body }) => {
      const studyId = await studyFor(req, rt.db);
      const consensus = await finaliseStudyConsensus(
        rt.db,
        currentReview(req).id,
        studyId,
        body.resolutions,
        currentUser(req).id,
      );
      res.status(201);
      return { consensus };
    },
  }),
  route({
    method: 'get',
    path: `${base}/agreement`,
    tag: 'extraction',
    summary: 'Per-field agreement between coders (kappa for categorical fields, exact match otherwise)',
    access: [...LEADS],
    handler: async ({ req, rt }) => reviewAgreement(rt.db, currentReview(req).id),
  }),
  route({
    method: 'get',
    path: `${base}/export`,
    tag: 'extraction',
    summary: 'Extraction tables as CSV, XLSX or JSON: wide, long and/or profile tables',
    access: [...LEADS],
    query: z.object({
      format: z.enum(['csv', 'xlsx', 'json']).default('xlsx'),
      table: z.enum(['wide', 'long', 'profile', 'all']).default('all'),
      multi: z.enum(['binary', 'joined']).default('binary'),
      field: z.string().optional(),
    }),
    handler: async ({ req, res, rt, query }) => {
      const review = currentReview(req);
      const input = await loadExportInput(rt.db, review.id);
      const tables = extractionTables(input, {
        tables: query.table === 'all' ? undefined : [query.table],
        multi: query.multi,
        profiles: query.field ? profilesFor(input.codebook, query.field) : undefined,
      });
      const out = await renderExport(tables, query.format);
      sendDownload(res, {
        fileName: `${review.slug}-extraction-${query.table}.${out.extension}`,
        mediaType: out.mediaType,
        body: out.body,
      });
    },
  }),
];
