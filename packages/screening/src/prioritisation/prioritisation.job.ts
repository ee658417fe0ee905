import { z } from 'zod';
import { defineJob, type Enqueue, type Sql } from '@winnow/core';
import { STAGES, type Stage } from '../stages/stage.types.ts';
import { setScreeningScoreSource } from '../reconciliation/screening.jobs.ts';
import { computeLiveRankings } from './live-ranking.ts';
import {
  getPrioritisationSettings,
  latestScores,
  loadLiveTrainingData,
  modelExists,
  prioritisationStatus,
  saveRankings,
  votesBasis,
} from './prioritisation.repository.ts';

export const RETRAIN_JOB = 'prioritisation.retrain';

// Routing (config `order: prioritised`) reads the shared ranking through the hook screening provides.
setScreeningScoreSource(latestScores);

const payload = z.object({
  reviewId: z.uuid(),
  stage: z.enum(STAGES),
  /** Vote count bucket (votes / retrainEvery) or a manual trigger: part of the job id, so re-sends dedupe. */
  trigger: z.string().regex(/^[A-Za-z0-9._-]{1,120}$/),
});

export const retrainJob = defineJob({
  name: RETRAIN_JOB,
  schema: payload,
  jobId: (p) => `prioritisation-retrain-${p.reviewId}-${p.stage}-${p.trigger}`,
  reviewId: (p) => p.reviewId,
  async handler(p, ctx) {
    const { basisSeq } = await votesBasis(ctx.db, p.reviewId, p.stage);
    const settings = await getPrioritisationSettings(ctx.db, p.reviewId, p.stage);
    if (p.trigger.startsWith('watch-')) {
      // The watch retrains every retrainEvery votes without needing a hook in the vote path.
      const status = await prioritisationStatus(ctx.db, p.reviewId, p.stage);
      if (status.stopped) return { skipped: 'screening stopped early' };
      if (status.votesSinceModel < Math.max(1, status.model ? settings.retrainEvery : 1)) {
        await keepWatching(ctx, p);
        return { skipped: 'no retrain due', votesSinceModel: status.votesSinceModel };
      }
    }
    if (await modelExists(ctx.db, p.reviewId, p.stage, basisSeq)) {
      await keepWatching(ctx, p);
      return { skipped: 'a model on these votes exists', basisSeq };
    }
    const data = await loadLiveTrainingData(ctx.db, p.reviewId, p.stage);
    await ctx.progress(
      0.3,
      `training on ${data.settled.length} settled records and ${data.votes.length} votes`,
    );
    // Let the queue's lock renewal run before the synchronous training (about 1 s per 10,000 records).
    await new Promise((resolve) => setImmediate(resolve));
    const rankings = computeLiveRankings(data, settings, `${p.reviewId}:${p.stage}`);
    const saved = await saveRankings(ctx.db, {
      reviewId: p.reviewId,
      stage: p.stage,
      basisSeq,
      records: data.records.length,
      rankings,
      randomShare: settings.randomShare,
    });
    await keepWatching(ctx, p);
    return {
      basisSeq,
      modelId: saved?.modelId ?? null,
      reordered: saved?.reordered ?? 0,
      labelled: rankings.labelled,
      relevant: rankings.relevant,
      pValue: rankings.stopping.pValue,
      estimatedRecall: rankings.stopping.estimatedRecall,
    };
  },
});

export const PRIORITISATION_JOBS = [retrainJob];

const WATCH_MS = 30_000;

/**
 * While reviewers still have open assignments, check again in WATCH_MS. Ids carry the time bucket,
 * so chains started from several places merge into one, and the chain ends when screening does.
 */
async function keepWatching(
  ctx: { db: Sql; enqueue: Enqueue },
  p: { reviewId: string; stage: Stage },
): Promise<void> {
  const { rows } = await ctx.db.query(
    `SELECT 1 FROM assignments WHERE review_id = $1 AND stage = $2 AND state = 'open' LIMIT 1`,
    [p.reviewId, p.stage],
  );
  if (rows.length === 0) return;
  const bucket = Math.floor(Date.now() / WATCH_MS) + 1;
  await ctx.enqueue(
    RETRAIN_JOB,
    { reviewId: p.reviewId, stage: p.stage, trigger: `watch-${bucket}` },
    { delayMs: WATCH_MS },
  );
}

/**
 * Enqueues a retrain once every `retrainEvery` votes at the stage. The job id carries the vote
 * bucket, so calling this after every vote (or on every dashboard poll) queues one job per bucket.
 * Screening's vote route can call it after each vote; the prioritisation routes call it too.
 */
export async function enqueueRetrainIfDue(
  db: Sql,
  enqueue: Enqueue,
  reviewId: string,
  stage: Stage,
): Promise<{ jobId: string } | null> {
  const settings = await getPrioritisationSettings(db, reviewId, stage);
  const { votes } = await votesBasis(db, reviewId, stage);
  const bucket = Math.floor(votes / settings.retrainEvery);
  if (bucket === 0) {
    // Nothing to learn from yet: make sure a watch is running so the first retrain comes on time.
    const watch = Math.floor(Date.now() / WATCH_MS) + 1;
    return enqueue(RETRAIN_JOB, { reviewId, stage, trigger: `watch-${watch}` }, { delayMs: WATCH_MS });
  }
  return enqueue(RETRAIN_JOB, { reviewId, stage, trigger: `votes-${bucket}` });
}
