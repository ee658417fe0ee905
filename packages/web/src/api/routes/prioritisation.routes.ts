import { z } from 'zod';
import { WinnowError } from '@winnow/core';
import {
  enqueueRetrainIfDue,
  getPrioritisationSettings,
  liveStoppingTest,
  loadLiveTrainingData,
  prioritisationSettingsSchema,
  prioritisationStatus,
  RETRAIN_JOB,
  setPrioritisationSettings,
  STAGES,
  stopScreeningEarly,
  type Stage,
} from '@winnow/screening';
import type { Runtime } from '../../app/runtime.ts';
import { currentReview, currentUser, param } from '../../http/request-context.ts';
import { ANY_MEMBER, route } from '../../http/route.ts';
import type { Request } from 'express';

function stageOf(req: Request): Stage {
  const s = param(req, 'stage');
  if (!(STAGES as readonly string[]).includes(s))
    throw new WinnowError('NOT_FOUND', `no stage "${s}" (stages: ${STAGES.join(', ')})`);
  return s as Stage;
}

const enqueue = (rt: Runtime) => (name: string, payload: unknown) => rt.queue.enqueue(name, payload);

export const prioritisationRoutes = [
  route({
    method: 'get',
    path: '/reviews/:review/prioritisation/:stage',
    tag: 'prioritisation',
    summary: 'Latest model, estimated recall and stopping-test p-value; queues a retrain when one is due',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const review = currentReview(req);
      const stage = stageOf(req);
      // Settled labels only feed these numbers, so they reveal no one's unsettled vote.
      const status = await prioritisationStatus(rt.db, review.id, stage);
      const queued = status.stopped ? null : await enqueueRetrainIfDue(rt.db, enqueue(rt), review.id, stage);
      return { ...status, retrainQueued: queued?.jobId ?? null };
    },
  }),
  route({
    method: 'put',
    path: '/reviews/:review/prioritisation/:stage/settings',
    tag: 'prioritisation',
    summary: 'Retrain cadence (votes), random share, classifier, stopping target recall and confidence',
    access: ['lead'],
    body: prioritisationSettingsSchema.partial(),
    handler: async ({ req, rt, body }) => ({
      settings: await setPrioritisationSettings(rt.db, {
        reviewId: currentReview(req).id,
        stage: stageOf(req),
        settings: body,
        actorId: currentUser(req).id,
      }),
    }),
  }),
  route({
    method: 'post',
    path: '/reviews/:review/prioritisation/:stage/retrain',
    tag: 'prioritisation',
    summary: 'Queue a retrain now',
    access: ['lead'],
    handler: async ({ req, res, rt }) => {
      const review = currentReview(req);
      const { jobId } = await rt.queue.enqueue(RETRAIN_JOB, {
        reviewId: review.id,
        stage: stageOf(req),
        trigger: `manual-${Date.now()}`,
      });
      res.status(202);
      return { jobId };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/prioritisation/:stage/stop',
    tag: 'prioritisation',
    summary:
      'Stop screening early: exclude the records nobody has voted on as "automation", recording the stopping test',
    access: ['lead'],
    body: z.object({
      /** Stop even though the test does not reject "recall < target" (recorded as forced). */
      force: z.boolean().default(false),
    }),
    handler: async ({ req, rt, body }) => {
      const review = currentReview(req);
      const stage = stageOf(req);
      const settings = await getPrioritisationSettings(rt.db, review.id, stage);
      // The test is recomputed on the labels as they are now, not taken from the last model.
      const test = liveStoppingTest(await loadLiveTrainingData(rt.db, review.id, stage), settings);
      if (!test.canStop && !body.force) {
        throw new WinnowError(
          'CONFLICT',
          `the stopping test does not yet support stopping: p = ${test.pValue.toPrecision(3)} for recall < ${settings.targetRecall} (needs < ${(1 - settings.confidence).toFixed(3)}); send force: true to stop anyway`,
          { test },
        );
      }
      const status = await prioritisationStatus(rt.db, review.id, stage);
      const { excluded } = await stopScreeningEarly(rt.db, {
        reviewId: review.id,
        stage,
        actorId: currentUser(req).id,
        test,
        forced: !test.canStop,
        modelId: status.model?.id ?? null,
      });
      return { excluded: excluded.length, test, forced: !test.canStop };
    },
  }),
];
