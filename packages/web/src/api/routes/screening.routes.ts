import { z } from 'zod';
import { WinnowError } from '@winnow/core';
import {
  agreementFor,
  calibrationConfigSchema,
  cancelCalibration,
  castDecision,
  checkCalibration,
  countShortOfReviewers,
  currentVotes,
  decisionInputSchema,
  decisionLog,
  getStageConfig,
  highlightSegments,
  listConflicts,
  countConflicts,
  loadRecordVotes,
  nextForReviewer,
  RECONCILE_JOB,
  redactVotes,
  resolveConflict,
  changeResolution,
  retractDecision,
  ROUTE_JOB,
  saveStageConfig,
  screeningFollowUps,
  setStageHeld,
  stageTotals,
  STAGES,
  startCalibration,
  visibility,
  assignedReviewers,
  type QueuedRecord,
  type Stage,
  type StageConfig,
} from '@winnow/screening';
import { currentReview, currentRoles, currentUser, param } from '../../http/request-context.ts';
import { INT4_MAX } from '../../http/path-params.ts';
import { ANY_MEMBER, route } from '../../http/route.ts';
import { titled } from '../../http/validation-message.ts';
import type { Runtime } from '../../app/runtime.ts';
import type { Request } from 'express';
import { decisionsCsv } from './screening.csv.ts';
import { sendDownload } from '../../http/user-file.ts';

const stageParam = (req: Request): Stage => {
  const s = param(req, 'stage');
  if (!(STAGES as readonly string[]).includes(s))
    throw new WinnowError('NOT_FOUND', `No stage "${s}"; stages are ${STAGES.join(', ')}`);
  return s as Stage;
};

/** What the screening page shows of a record; highlighting is done here so the client stays dumb. */
function recordView(r: QueuedRecord, cfg: StageConfig) {
  const d = r.data as {
    authors?: { asWritten?: string; family?: string }[];
    abstract?: string;
    journal?: string;
    keywords?: string[];
    mesh?: string[];
    doi?: string;
  };
  const abstract = d.abstract ?? '';
  return {
    recordId: r.recordId,
    reportId: r.reportId,
    position: r.position,
    title: r.title,
    year: r.year,
    authors: (d.authors ?? []).map((a) => a.asWritten ?? a.family ?? '').filter(Boolean),
    journal: d.journal ?? null,
    doi: d.doi ?? null,
    keywords: d.keywords ?? [],
    mesh: d.mesh ?? [],
    abstract,
    highlight: {
      title: highlightSegments(r.title, cfg.highlight),
      abstract: highlightSegments(abstract, cfg.highlight),
    },
  };
}

async function enqueueReconcile(rt: Runtime, reviewId: string, recordId: string, stage: Stage, seq: number) {
  return rt.queue.enqueue(RECONCILE_JOB, { reviewId, recordId, stage, seq });
}

const EXPORT_BLIND_NOTE = 'records you still have to screen are left out (blind mode)';

/** An adjudicator's decision on a conflict (resolve, change). */
const adjudicatorDecisionBody = z.object({
  vote: z.enum(['include', 'exclude']),
  reasons: z.array(z.string()).max(20).optional(),
  note: z.string().max(5_000).optional(),
});

export const screeningRoutes = [
  route({
    method: 'get',
    path: '/reviews/:review/stages/:stage/config',
    tag: 'screening',
    summary:
      'Stage configuration: votes needed, blind mode, criteria, exclusion reasons, highlighting; for a lead, how many records no current reviewer can complete',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const review = currentReview(req).id;
      const stage = stageParam(req);
      const stored = await getStageConfig(rt.db, review, stage);
      return {
        stage,
        config: stored.config,
        open: stored.openedAt !== null,
        held: stored.heldAt !== null,
        // For the lead: records waiting for votes that no current reviewer is left to give.
        ...(currentRoles(req).includes('lead')
          ? {
              shortOfReviewers: await countShortOfReviewers(rt.db, {
                reviewId: review,
                stage,
                votesNeeded: stored.config.votesNeeded,
              }),
            }
          : {}),
      };
    },
  }),
  route({
    method: 'put',
    path: '/reviews/:review/stages/:stage/config',
    tag: 'screening',
    summary: 'Change the stage configuration (lead); re-routes records if votes needed changed',
    access: ['lead'],
    body: z.record(z.string(), z.unknown()),
    handler: async ({ req, rt, body }) => {
      const review = currentReview(req);
      const stage = stageParam(req);
      const config = await saveStageConfig(rt.db, {
        reviewId: review.id,
        stage,
        config: body,
        actorId: currentUser(req).id,
      });
      const { jobId } = await rt.queue.enqueue(ROUTE_JOB, {
        reviewId: review.id,
        stage,
        trigger: `config-${Date.now()}`,
      });
      return { config, jobId };
    },
  }),
  route({
    method: 'put',
    path: '/reviews/:review/stages/:stage/hold',
    tag: 'screening',
    summary:
      'Hold the stage closed (records wait, queues serve nothing) or open it again, which routes what waited (lead)',
    access: ['lead'],
    body: z.object({ held: z.boolean() }),
    handler: async ({ req, rt, body }) => {
      const reviewId = currentReview(req).id;
      const stage = stageParam(req);
      const change = await setStageHeld(rt.db, {
        reviewId,
        stage,
        held: body.held,
        actorId: currentUser(req).id,
      });
      // Keyed on the event of the opening, so a repeated request queues one run.
      const jobId =
        change && !body.held
          ? (await rt.queue.enqueue(ROUTE_JOB, { reviewId, stage, trigger: `opened-${change.eventId}` }))
              .jobId
          : null;
      return { stage, held: body.held, changed: change !== null, jobId };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/stages/:stage/route',
    tag: 'screening',
    summary: 'Queue routing: records enter the stage and are spread over its reviewers (lead)',
    access: ['lead'],
    handler: async ({ req, res, rt }) => {
      const { jobId } = await rt.queue.enqueue(ROUTE_JOB, {
        reviewId: currentReview(req).id,
        stage: stageParam(req),
        trigger: `manual-${Date.now()}`,
      });
      res.status(202);
      return { jobId };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/stages/:stage/next',
    tag: 'screening',
    summary: 'The next record assigned to the caller (204 when none), with a few more for prefetch',
    access: ['reviewer', 'lead', 'adjudicator'],
    query: z.object({
      prefetch: z.coerce.number().int().min(0).max(10).optional(),
      // A queue position: an integer column.
      after: z.coerce.number().int().min(0).max(INT4_MAX).optional(),
    }),
    handler: async ({ req, res, rt, query }) => {
      const review = currentReview(req);
      const stageName = stageParam(req);
      const userId = currentUser(req).id;
      const [{ queued, config, mine }, stage] = await Promise.all([
        nextForReviewer(rt.db, {
          reviewId: review.id,
          stage: stageName,
          userId,
          limit: 1 + (query.prefetch ?? 0),
          after: query.after ?? 0,
        }),
        stageTotals(rt.db, review.id, stageName),
      ]);
      if (queued.length === 0) {
        res.status(204).end();
        return undefined;
      }
      const [first, ...rest] = queued.map((q) => recordView(q, config));
      const progress = { mine, stage };
      return { record: first, upcoming: rest, progress };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/stages/:stage/records/:recordId',
    tag: 'screening',
    summary: 'One record at a stage with the votes the caller may see (blinding applied)',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const review = currentReview(req);
      const stage = stageParam(req);
      const recordId = z.uuid().parse(param(req, 'recordId'));
      const user = currentUser(req);
      const { rows } = await rt.db.query<QueuedRecord & { status: string; outcome: unknown }>(
        `SELECT r.id AS "recordId", rp.id AS "reportId", 0 AS position, r.title, r.year, r.data, s.status, s.outcome
         FROM stage_records s JOIN records r ON r.id = s.record_id LEFT JOIN reports rp ON rp.record_id = r.id AND s.stage = 'full-text'
         WHERE s.record_id = $1 AND s.stage = $2 AND s.review_id = $3`,
        [recordId, stage, review.id],
      );
      const row = rows[0];
      if (!row)
        throw new WinnowError(
          'NOT_FOUND',
          `This record is not at ${stage === 'full-text' ? 'full-text' : 'title/abstract'} screening`,
        );
      const { config } = await getStageConfig(rt.db, review.id, stage);
      const rv = await loadRecordVotes(rt.db, recordId, stage);
      const current = currentVotes(rv.votes);
      const settled = row.status === 'advanced' || row.status === 'excluded';
      const vis = visibility({
        blind: config.blind,
        viewerId: user.id,
        roles: currentRoles(req),
        assignedReviewerIds: await assignedReviewers(rt.db, recordId, stage),
        voterIds: current.map((v) => v.reviewerId),
        adjudicatorVoterIds: [
          ...currentVotes(rv.adjudicatorVotes).map((v) => v.reviewerId),
          ...rv.resolutions.map((r) => r.adjudicatorId),
        ],
        settled,
      });
      const mine =
        [...currentVotes(rv.votes), ...currentVotes(rv.adjudicatorVotes)].find(
          (v) => v.reviewerId === user.id,
        ) ?? null;
      return {
        record: recordView(row, config),
        myVote: mine,
        votes: redactVotes(vis, user.id, current),
        voteCount: vis.voteCount ? current.length : null,
        status: vis.outcome ? row.status : null,
        outcome: vis.outcome ? row.outcome : null,
        visibility: vis,
      };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/stages/:stage/decisions',
    tag: 'screening',
    summary: 'Cast a vote on a record assigned to the caller (a new event; changes never overwrite)',
    access: ['reviewer', 'lead', 'adjudicator'],
    // Record ids are UUIDs: a malformed one is refused by name here, not by PostgreSQL.
    body: decisionInputSchema.extend({ recordId: z.uuid() }),
    handler: async ({ req, res, rt, body }) => {
      const review = currentReview(req);
      const stage = stageParam(req);
      const cast = await castDecision(rt.db, {
        reviewId: review.id,
        stage,
        userId: currentUser(req).id,
        roles: currentRoles(req),
        decision: body,
      });
      // Reconciled in the vote's transaction: only what runs elsewhere (routing, a retrain) is queued.
      await screeningFollowUps(
        rt.db,
        (name, payload, opts) => rt.queue.enqueue(name, payload, opts),
        { reviewId: review.id, recordId: cast.recordId, stage, seq: cast.decisionId },
        cast.reconciled,
      );
      res.status(201);
      return { decisionId: cast.decisionId, recordId: cast.recordId };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/stages/:stage/decisions/undo',
    tag: 'screening',
    summary: 'Undo the caller’s vote on a record (logged as a retraction; the record returns to the queue)',
    access: ['reviewer', 'lead', 'adjudicator'],
    body: z.object({ recordId: z.uuid() }),
    handler: async ({ req, rt, body }) => {
      const review = currentReview(req);
      const stage = stageParam(req);
      const r = await retractDecision(rt.db, {
        reviewId: review.id,
        stage,
        userId: currentUser(req).id,
        recordId: body.recordId,
      });
      await enqueueReconcile(rt, review.id, r.recordId, stage, r.decisionId);
      return { decisionId: r.decisionId, recordId: r.recordId };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/stages/:stage/my-decisions',
    tag: 'screening',
    summary:
      'The caller’s own current screening votes at a stage, newest first, each with its record as the screening page shows it (for moving back with the arrows)',
    access: ['reviewer', 'lead', 'adjudicator'],
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }),
    handler: async ({ req, rt, query }) => {
      const review = currentReview(req);
      const stage = stageParam(req);
      const { rows } = await rt.db.query<
        QueuedRecord & {
          decisionId: number;
          vote: string;
          reasons: string[];
          note: string | null;
          createdAt: Date;
        }
      >(
        `SELECT x.*, rp.id AS "reportId" FROM (
           SELECT DISTINCT ON (d.record_id) d.id AS "decisionId", d.record_id AS "recordId", r.title, r.year, r.data,
                  0 AS position, d.vote, d.reasons, d.note, d.created_at AS "createdAt"
             FROM decisions d JOIN records r ON r.id = d.record_id
            WHERE d.review_id = $1 AND d.stage = $2 AND d.reviewer_id = $3 AND d.role = 'reviewer'
            ORDER BY d.record_id, d.id DESC) x
           LEFT JOIN reports rp ON rp.record_id = x."recordId" AND $2 = 'full-text'
         WHERE x.vote <> 'retract' ORDER BY x."decisionId" DESC LIMIT $4`,
        [review.id, stage, currentUser(req).id, query.limit ?? 50],
      );
      const { config } = await getStageConfig(rt.db, review.id, stage);
      return {
        decisions: rows.map((r) => ({
          decisionId: r.decisionId,
          recordId: r.recordId,
          title: r.title,
          vote: r.vote,
          reasons: r.reasons,
          note: r.note,
          createdAt: r.createdAt,
          record: recordView(r, config),
        })),
      };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/conflicts',
    tag: 'screening',
    summary:
      'Conflicts for adjudication, oldest first (the first `limit`, at most 1000), with the `total` that have this status; votes are shown only once the caller has voted or resolved',
    access: ['adjudicator', 'lead'],
    query: z.object({
      stage: z.enum(STAGES).optional(),
      status: z.enum(['open', 'resolved', 'superseded']).optional(),
      limit: z.coerce.number().int().min(0).max(1000).default(1000),
    }),
    handler: async ({ req, rt, query }) => {
      const which = { reviewId: currentReview(req).id, stage: query.stage, status: query.status ?? 'open' };
      // One snapshot for the page and its count: read apart, a conflict resolved in between was
      // counted as gone while its card was still sent, and the page showed one card too few.
      return rt.db.transaction(async (tx) => {
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        const conflicts = await listConflicts(tx, {
          ...which,
          viewerId: currentUser(req).id,
          roles: currentRoles(req),
          limit: query.limit,
        });
        return { conflicts, total: await countConflicts(tx, which) };
      });
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/conflicts/:id',
    tag: 'screening',
    summary:
      'One conflict whatever its status (the card of a conflict just decided), votes by the same rule as the list: an adjudicator gets them only once they have voted on or resolved it',
    access: ['adjudicator', 'lead'],
    handler: async ({ req, rt }) => {
      const id = z.uuid().safeParse(param(req, 'id'));
      const [conflict] = id.success
        ? await listConflicts(rt.db, {
            reviewId: currentReview(req).id,
            id: id.data,
            viewerId: currentUser(req).id,
            roles: currentRoles(req),
          })
        : [];
      if (!conflict) throw new WinnowError('NOT_FOUND', 'This conflict does not exist');
      return { conflict };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/conflicts/:id/resolve',
    tag: 'screening',
    summary: 'Resolve a conflict as include or exclude (adjudicator or lead who did not screen the record)',
    access: ['adjudicator', 'lead'],
    body: adjudicatorDecisionBody,
    handler: async ({ req, rt, body }) => {
      const review = currentReview(req);
      const r = await resolveConflict(rt.db, {
        reviewId: review.id,
        conflictId: z.uuid().parse(param(req, 'id')),
        userId: currentUser(req).id,
        roles: currentRoles(req),
        vote: body.vote,
        ...(body.reasons ? { reasons: body.reasons } : {}),
        ...(body.note ? { note: body.note } : {}),
      });
      const { jobId } = await enqueueReconcile(rt, review.id, r.recordId, r.stage, r.resolutionId);
      return { resolutionId: r.resolutionId, recordId: r.recordId, jobId };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/conflicts/:id/change',
    tag: 'screening',
    summary:
      'Change the decision on a resolved conflict (adjudicator or lead who did not screen the record) while it still stands; refused once full text has begun on a record it would take out of full text',
    access: ['adjudicator', 'lead'],
    params: { id: z.uuid({ error: 'must be a UUID' }) },
    body: adjudicatorDecisionBody,
    handler: async ({ req, rt, body }) => {
      const review = currentReview(req);
      const r = await changeResolution(rt.db, {
        reviewId: review.id,
        conflictId: param(req, 'id'),
        userId: currentUser(req).id,
        roles: currentRoles(req),
        vote: body.vote,
        ...(body.reasons ? { reasons: body.reasons } : {}),
        ...(body.note ? { note: body.note } : {}),
      });
      // Reconciled in the change's transaction: only routing (a record back in full text) is queued.
      await screeningFollowUps(
        rt.db,
        (name, payload, opts) => rt.queue.enqueue(name, payload, opts),
        { reviewId: review.id, recordId: r.recordId, stage: r.stage, seq: r.resolutionId },
        r.reconciled,
      );
      return { resolutionId: r.resolutionId, recordId: r.recordId, outcome: r.reconciled.outcome };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/agreement',
    tag: 'screening',
    // Lead only: with few records a pair's contingency table shows who voted how, which an
    // adjudicator may learn only after deciding (records the lead still screens are left out).
    summary: 'Cohen’s kappa, percent agreement and PABAK per reviewer pair and pooled (lead)',
    access: ['lead'],
    query: z.object({ stage: z.enum(STAGES).optional(), maybe: z.enum(['include', 'category']).optional() }),
    handler: async ({ req, rt, query }) => {
      const stage = query.stage ?? 'title-abstract';
      return {
        stage,
        ...(await agreementFor(rt.db, {
          reviewId: currentReview(req).id,
          stage,
          viewerId: currentUser(req).id,
          roles: currentRoles(req),
          maybeAs: query.maybe ?? 'include',
        })),
      };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/stages/:stage/calibration',
    tag: 'screening',
    summary:
      'Start a calibration pilot every reviewer screens; the stage opens when kappa reaches the threshold (lead)',
    access: ['lead'],
    // Titled as the settings page labels them, so a refused value is named in its words.
    body: titled(calibrationConfigSchema.partial(), {
      size: 'The number of pilot records',
      threshold: 'The kappa threshold',
    }),
    handler: async ({ req, res, rt, body }) => {
      const review = currentReview(req);
      const stage = stageParam(req);
      const cal = await startCalibration(rt.db, {
        reviewId: review.id,
        stage,
        config: body,
        actorId: currentUser(req).id,
      });
      const { jobId } = await rt.queue.enqueue(ROUTE_JOB, {
        reviewId: review.id,
        stage,
        trigger: `calibration-${cal.id}`,
      });
      res.status(201);
      return { calibrationId: cal.id, records: cal.recordIds.length, config: cal.config, jobId };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/stages/:stage/calibration',
    tag: 'screening',
    summary: 'Calibration status: pilot votes remaining, kappa, whether the stage is open (lead)',
    access: ['lead'],
    handler: async ({ req, rt }) => ({
      calibration: await checkCalibration(rt.db, { reviewId: currentReview(req).id, stage: stageParam(req) }),
    }),
  }),
  route({
    method: 'post',
    path: '/reviews/:review/stages/:stage/calibration/cancel',
    tag: 'screening',
    summary: 'Stop the pilot and open the stage now (lead; logged)',
    access: ['lead'],
    handler: async ({ req, rt }) => {
      await cancelCalibration(rt.db, {
        reviewId: currentReview(req).id,
        stage: stageParam(req),
        actorId: currentUser(req).id,
      });
      return { ok: true };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/decisions.csv',
    tag: 'screening',
    summary: `The screening log as CSV (lead; ${EXPORT_BLIND_NOTE})`,
    access: ['lead'],
    handler: async ({ req, res, rt }) => {
      const rows = await decisionLog(rt.db, currentReview(req).id, { excludeOpenFor: currentUser(req).id });
      sendDownload(res, {
        fileName: `${currentReview(req).slug}-decisions.csv`,
        mediaType: 'text/csv; charset=utf-8',
        body: decisionsCsv(rows),
      });
      return undefined;
    },
  }),
];
