import { z } from 'zod';
import { defineJob, type Enqueue, type Sql } from '@winnow/core';
import { getStageConfig } from '../stages/stage-config.repository.ts';
import { STAGES, type Stage } from '../stages/stage.types.ts';
import { setLabelsSettledHook, setScreeningScoreSource } from '../reconciliation/screening.jobs.ts';
import { computeLiveRankings } from './live-ranking.ts';
import { modelKey } from './model-settings.ts';
import {
  labelsKey,
  latestScores,
  loadLiveTrainingData,
  recordRetrainTime,
  retrainState,
  saveRankings,
  votesBasis,
  type PrioritisationModel,
  type RetrainState,
  type SettledLabels,
} from './prioritisation.repository.ts';

export const RETRAIN_JOB = 'prioritisation.retrain';

// Routing (config `order: prioritised`) reads the shared ranking through the hook screening provides.
setScreeningScoreSource(latestScores);

const payload = z.object({
  reviewId: z.uuid(),
  stage: z.enum(STAGES),
  /**
   * Why it runs: `settled-<count>-after-<model id>` when settled records made a retrain due (see
   * enqueueRetrainIfDue), `paced-after-<model id>-at-<s>` when that retrain waits for its time,
   * `manual-<ms>` when the lead asked. Part of the job id, so a re-sent
   * trigger is the same job.
   */
  trigger: z.string().regex(/^[A-Za-z0-9._-]{1,120}$/),
});

export const retrainJob = defineJob({
  name: RETRAIN_JOB,
  schema: payload,
  jobId: (p) => `prioritisation-retrain-${p.reviewId}-${p.stage}-${p.trigger}`,
  reviewId: (p) => p.reviewId,
  async handler(p, ctx) {
    const started = performance.now();
    // A triggered retrain checks again: another one may have trained on these labels meanwhile.
    // The lead's manual retrain runs whenever the labels or the classifier changed.
    let state: RetrainState;
    let why: Verdict;
    if (p.trigger.startsWith('manual-')) {
      const keyed = await retrainState(ctx.db, p.reviewId, p.stage, 'keyed');
      [state, why] = [keyed, changedSinceModel(keyed)];
    } else {
      state = await retrainState(ctx.db, p.reviewId, p.stage);
      why = retrainDue(state);
    }
    if (!why.due) return { skipped: why.reason };
    const { basisSeq } = await votesBasis(ctx.db, p.reviewId, p.stage);
    const data = await loadLiveTrainingData(ctx.db, p.reviewId, p.stage);
    await ctx.progress(
      0.3,
      `training on ${data.settled.length} settled records and ${data.votes.length} votes`,
    );
    // Let the queue's lock renewal run before the synchronous training (about 1 s per 10,000 records).
    await new Promise((resolve) => setImmediate(resolve));
    const rankings = computeLiveRankings(data, state.settings, `${p.reviewId}:${p.stage}`);
    // With random order the model ranks for the stopping test and the records library; the
    // queues keep the order they were routed in.
    const { config } = await getStageConfig(ctx.db, p.reviewId, p.stage);
    const saved = await saveRankings(ctx.db, {
      reorder: config.order === 'prioritised',
      reviewId: p.reviewId,
      stage: p.stage,
      basisSeq,
      labelsKey: labelsKey(data.settled),
      after: state.model ? Number(state.model.id) : null,
      records: data.records.length,
      rankings,
      randomShare: state.settings.randomShare,
      busyMs: performance.now() - started,
    });
    if (!saved)
      return { skipped: 'another retrain saved a model first, or one on these settled records exists' };
    await recordRetrainTime(ctx.db, saved.modelId, performance.now() - started);
    return {
      modelId: saved.modelId,
      reordered: saved.reordered,
      labelled: rankings.labelled,
      relevant: rankings.relevant,
      pValue: rankings.stopping.pValue,
      estimatedRecall: rankings.stopping.estimatedRecall,
    };
  },
});

export const PRIORITISATION_JOBS = [retrainJob];

type Verdict = { due: true } | { due: false; reason: string };

/** Settled records of both kinds exist and screening was not stopped early. */
function trainable(s: RetrainState): Verdict {
  if (s.stopped) return { due: false, reason: 'screening stopped early' };
  if (s.labels.included === 0 || s.labels.excluded === 0)
    return { due: false, reason: 'needs at least one included and one excluded settled record' };
  return { due: true };
}

/** A model can be trained and would differ from the latest one (other labels or another classifier). */
export function changedSinceModel(s: RetrainState<SettledLabels>): Verdict {
  const can = trainable(s);
  if (!can.due) return can;
  if (s.model && s.model.labelsKey === s.labels.key && s.model.classifier === modelKey(s.settings))
    return { due: false, reason: 'the latest model rests on these settled records' };
  return { due: true };
}

/**
 * The retrain rule: the first model as soon as one included and one excluded record are settled,
 * then again once `retrainEvery` more records have settled than the latest model used (more
 * records than it used are other labels than its own, so the counts decide: no key is needed).
 */
export function retrainDue(s: RetrainState): Verdict {
  const can = trainable(s);
  if (!can.due || !s.model) return can;
  const more = s.labels.labelled - s.model.labelled;
  if (more < s.settings.retrainEvery)
    return { due: false, reason: `${more} of ${s.settings.retrainEvery} more settled records` };
  return { due: true };
}

/** What the pace of retraining reads of the latest model. */
type ModelPace = Pick<PrioritisationModel, 'trainedAt' | 'busyMs'>;

/**
 * When the next retrain may start (ms since the epoch, on the database's clock): once the latest
 * model is RETRAIN_PACE times as old as its retrain took, and at most RETRAIN_MAX_WAIT_MS after it.
 * A retrain trains on every settled record and reorders every reviewer's queue; with many people
 * voting at once a few records settle each second, and retraining at each `retrainEvery` of them
 * kept the worker and the database busy retraining (50 reviewers on 1,000 records: a retrain every
 * 0.3 s, each 0.15-0.2 s). Paced, retraining takes at most about a tenth of the time, and a small
 * team, whose retrains take a fraction of the time between its votes, never waits. The cap keeps
 * one retrain slowed by a busy machine from holding the next back for long. 0 (no wait) for the
 * first model or one whose time was not recorded.
 */
export function retrainNotBefore(model: ModelPace | null): number {
  if (!model?.busyMs) return 0;
  return model.trainedAt.getTime() + Math.min(RETRAIN_PACE * model.busyMs, RETRAIN_MAX_WAIT_MS);
}

/** How long a retrain the counts make due waits (ms) at `nowMs` (see retrainNotBefore). */
export function retrainWaitMs(model: ModelPace | null, nowMs: number): number {
  return Math.max(0, Math.ceil(retrainNotBefore(model) - nowMs));
}

/** The latest model must be this many times as old as its retrain took before the next (retrainNotBefore). */
export const RETRAIN_PACE = 10;
/** The longest a due retrain waits after the latest model (retrainNotBefore). */
export const RETRAIN_MAX_WAIT_MS = 60_000;

/**
 * The paced retrain this process queued for each review and stage, and until when it waits: the
 * records settling meanwhile join it, so until then they neither count the labels again nor queue
 * it again (with many people voting, most settled records come while a retrain waits).
 */
const pacedRetrains = new Map<string, { until: number; jobId: string }>();

/**
 * Queues a retrain when settled labels make one due (see retrainDue). Called where outcomes settle
 * (the reconciliation job), never on a page view. The job id carries the settled count rounded down
 * to a multiple of retrainEvery and the model it follows, so the records settling while one retrain
 * waits join that job; one that ended without a model (its labels were reopened meanwhile) holds
 * back at most until the count reaches the next multiple. A retrain that must wait (retrainWaitMs)
 * is queued once per model and time, delayed until then: the records settling meanwhile join it,
 * and it trains on whatever is settled when it runs. (Should that run find nothing due, its labels
 * were reopened; the next settled record after its time queues one at once.)
 */
export async function enqueueRetrainIfDue(
  db: Sql,
  enqueue: Enqueue,
  reviewId: string,
  stage: Stage,
): Promise<{ jobId: string } | null> {
  const key = `${reviewId}|${stage}`;
  const paced = pacedRetrains.get(key);
  if (paced && Date.now() < paced.until) return { jobId: paced.jobId };
  const state = await retrainState(db, reviewId, stage);
  if (!retrainDue(state).due) return null;
  const after = state.model ? Number(state.model.id) : 0;
  const wait = retrainWaitMs(state.model, state.nowMs);
  if (wait > 0) {
    // Named by its time too: should it run and find nothing due (labels reopened), a retrain due
    // again before the model's full time is known (busy_ms grows once the reorders are done) is a
    // new job, not the finished one.
    const at = Math.ceil(retrainNotBefore(state.model) / 1000);
    const queued = await enqueue(
      RETRAIN_JOB,
      { reviewId, stage, trigger: `paced-after-${after}-at-${at}` },
      { delayMs: wait },
    );
    if (pacedRetrains.size >= 1_000) pacedRetrains.clear();
    pacedRetrains.set(key, { until: Date.now() + wait, jobId: queued.jobId });
    return queued;
  }
  const every = state.settings.retrainEvery;
  const settled = Math.floor(state.labels.labelled / every) * every;
  return enqueue(RETRAIN_JOB, { reviewId, stage, trigger: `settled-${settled}-after-${after}` });
}

setLabelsSettledHook(enqueueRetrainIfDue);
