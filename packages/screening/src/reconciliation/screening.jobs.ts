import { z } from 'zod';
import { defineJob, type Enqueue, type Sql } from '@winnow/core';
import { STAGES, type Stage } from '../stages/stage.types.ts';
import {
  enterTitleAbstract,
  recordNeedsRouting,
  routeStage,
  type ScoreSource,
} from '../routing/assignments.repository.ts';
import { getStageConfig } from '../stages/stage-config.repository.ts';
import { reconcileRecord, type ReconcileResult } from './reconcile.repository.ts';
import { isSettled } from './reconcile.ts';

const uuid = z.uuid();

export const ROUTE_JOB = 'screening.route';
export const RECONCILE_JOB = 'screening.reconcile';

let scoreSource: ScoreSource | undefined;
/** Prioritisation plugs its score order in here (config `order: prioritised`); random until then. */
export function setScreeningScoreSource(source: ScoreSource | undefined): void {
  scoreSource = source;
}

type LabelsSettledHook = (db: Sql, enqueue: Enqueue, reviewId: string, stage: Stage) => Promise<unknown>;
let labelsSettled: LabelsSettledHook | undefined;
/**
 * Prioritisation plugs its retrain trigger in here: the reconciliation job calls it whenever a
 * record's outcome changes or is settled, the only place settled labels change.
 */
export function setLabelsSettledHook(hook: LabelsSettledHook | undefined): void {
  labelsSettled = hook;
}

const routePayload = z.object({
  reviewId: uuid,
  stage: z.enum(STAGES),
  /**
   * Why routing runs (e.g. `dedup-<dedup trigger>` after each dedup run, `advance-<window>`,
   * `opened-<event>`, `manual-<n>`); part of the job id, so a re-sent job is the same job.
   */
  trigger: z.string().regex(/^[A-Za-z0-9._-]{1,120}$/),
  /**
   * Set on a run queued for one record entering the stage (one per advancing record, as queued
   * before advance windows; such jobs may still wait in a queue): nothing to do once it is routed.
   */
  recordId: uuid.optional(),
});

export const routeJob = defineJob({
  name: ROUTE_JOB,
  schema: routePayload,
  jobId: (p) => `screening-route-${p.reviewId}-${p.stage}-${p.trigger}`,
  reviewId: (p) => p.reviewId,
  async handler(p, ctx) {
    if (p.recordId) {
      const { config } = await getStageConfig(ctx.db, p.reviewId, p.stage);
      const needs = await recordNeedsRouting(ctx.db, {
        reviewId: p.reviewId,
        stage: p.stage,
        recordId: p.recordId,
        votesNeeded: config.votesNeeded,
      });
      if (!needs)
        return { entered: 0, assigned: 0, revoked: 0, shortfall: 0, moved: 0, withdrawn: 0, skipped: true };
    }
    // Records enter even while the stage is held: they wait in it and are routed when it opens.
    const entered = p.stage === 'title-abstract' ? await enterTitleAbstract(ctx.db, p.reviewId) : 0;
    await ctx.progress(0.1, `${entered} new records entered the stage`);
    const result = await routeStage(ctx.db, {
      reviewId: p.reviewId,
      stage: p.stage,
      ...(scoreSource ? { scores: scoreSource } : {}),
      onProgress: (n) => ctx.progress(0.5, `${n} assignments made`),
    });
    await ctx.progress(
      1,
      result.held
        ? `${entered} new records wait: the stage is on hold`
        : `${result.assigned} assignments made` +
            (result.withdrawn > 0 ? `, ${result.withdrawn} withdrawn from records merged as duplicates` : ''),
    );
    return { entered, ...result };
  },
});

const reconcilePayload = z.object({
  reviewId: uuid,
  recordId: uuid,
  stage: z.enum(STAGES),
  /** The decision/resolution id that triggered it: each event gets its own job, re-sends dedupe. */
  seq: z.number().int().min(0),
});

export const reconcileJob = defineJob({
  name: RECONCILE_JOB,
  schema: reconcilePayload,
  jobId: (p) => `screening-reconcile-${p.recordId}-${p.stage}-${p.seq}`,
  // Not listed under the review: the review's job list is open to every member, and a reconcile job
  // for a record (or its "1 of 2 votes cast") would tell a blind reviewer that someone has voted.
  reviewId: () => null,
  async handler(p, ctx) {
    const r = await reconcileRecord(ctx.db, p);
    // Also when a re-run finds the outcome already settled: the first run may have stopped before this.
    await screeningFollowUps(ctx.db, ctx.enqueue, p, r);
    return { changed: r.changed };
  },
});

/**
 * What a reconciliation queues to run elsewhere, after its transaction committed: a retrain when
 * settled labels make one due (also when the outcome was already settled: an earlier run may have
 * stopped before this), and routing of the stage a record advanced to. Called by the reconciliation
 * job and by the vote route, which reconciles in the vote's own transaction. Should a process stop
 * between the commit and this, nothing is lost for long: the next settled record checks the retrain
 * again, and every routing run of the stage picks up records not yet routed.
 */
export async function screeningFollowUps(
  db: Sql,
  enqueue: Enqueue,
  p: { reviewId: string; recordId: string; stage: Stage; seq: number },
  r: ReconcileResult,
): Promise<void> {
  if (labelsSettled && (r.changed || isSettled(r.outcome)))
    await labelsSettled(db, enqueue, p.reviewId, p.stage);
  if (r.advancedTo) await routeAdvanced(enqueue, p.reviewId, r.advancedTo);
}

/**
 * The routing window this process last queued a run for, per review and stage (see routeAdvanced):
 * the records advancing meanwhile are routed by that run, so they queue nothing more.
 */
const advanceWindows = new Map<string, number>();

/**
 * Queues routing of a stage a record advanced to (after its transaction committed). Time is cut into
 * windows of ADVANCE_ROUTING_DELAY_MS; the records that advance in one window are routed by one run,
 * queued once (its id names the window, so other processes queueing it too add nothing) and started
 * one window after the window ends. A run routes every record of the stage not yet routed, and
 * starts after every record that advanced in its window has committed, even where a process's clock
 * runs up to a window behind. With many people voting, records advance several times a second;
 * one job per advancing record (each waiting, then mostly finding its record routed by an earlier
 * run) was some 350 jobs for 1,500 votes of 50 reviewers, and their queueing and bookkeeping about
 * 1.8 ms of CPU per vote across the worker, PostgreSQL and Redis (the screening-latency bench).
 */
async function routeAdvanced(enqueue: Enqueue, reviewId: string, stage: Stage): Promise<void> {
  const now = Date.now();
  const window = Math.floor(now / ADVANCE_ROUTING_DELAY_MS);
  const key = `${reviewId}|${stage}`;
  if (advanceWindows.get(key) === window) return;
  await enqueue(
    ROUTE_JOB,
    { reviewId, stage, trigger: `advance-${window}` },
    { delayMs: (window + 2) * ADVANCE_ROUTING_DELAY_MS - now },
  );
  if (advanceWindows.size >= 1_000) advanceWindows.clear();
  advanceWindows.set(key, window);
}

/** The window in which advancing records share one routing run (see routeAdvanced). */
export const ADVANCE_ROUTING_DELAY_MS = 500;

export const SCREENING_JOBS = [routeJob, reconcileJob];
